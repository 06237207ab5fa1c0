/**
 * Assignment notifications for owner changes written by the board
 * projection: stored in the hub's commit transaction, delivered once it has
 * committed (a rolled-back commit leaves no row and sends nothing).
 */
import { notifyAssignment } from '../notifications/assignment.ts';
import type { PendingDelivery, Trx } from '../notifications/notifier.ts';
import type { ProjectionCommit } from '../realtime/doc-kind.ts';
import type { User } from '../users/user.ts';
import type { OwnerChange } from './board.projection.ts';

export async function notifyOwnerChanges(
  commit: ProjectionCommit,
  trx: Trx,
  actor: User | null,
  changes: readonly OwnerChange[],
): Promise<void> {
  const pendings: PendingDelivery[] = [];
  for (const c of changes) {
    const p = await notifyAssignment(commit.ctx, trx, {
      actorId: actor?.id ?? null,
      recipientId: c.ownerId,
      previousRecipientId: c.previousOwnerId,
      entity: { type: 'opportunity', id: c.opportunityId, name: c.name },
      teamId: c.teamId,
    });
    if (p) pendings.push(p);
  }
  if (pendings.length > 0) commit.afterCommit(() => commit.ctx.notifier.deliver(pendings));
}
