/**
 * Assignment notifications for owner changes written by the board
 * projection. The projection runs inside the hub's commit transaction, which
 * offers no after-commit hook to kind code; so the notifications are stored
 * in that transaction and delivered once a read outside it sees them (that
 * read waits for the commit on PGlite's single session, and polls briefly on
 * PostgreSQL). A rolled-back commit leaves no row, and nothing is delivered.
 */
import type { AppContext } from '../context.ts';
import { notifyAssignment } from '../notifications/assignment.ts';
import type { PendingDelivery, Trx } from '../notifications/notifier.ts';
import type { User } from '../users/user.ts';
import type { OwnerChange } from './board.projection.ts';

/** How long to wait for the commit to become visible before giving up on live delivery (the rows stay listed). */
export const DELIVERY_WAIT_MS = 5_000;
export const DELIVERY_POLL_MS = 25;

export async function notifyOwnerChanges(ctx: AppContext, trx: Trx, actor: User | null, changes: readonly OwnerChange[]): Promise<void> {
  const pendings: PendingDelivery[] = [];
  for (const c of changes) {
    const p = await notifyAssignment(ctx, trx, {
      actorId: actor?.id ?? null,
      recipientId: c.ownerId,
      previousRecipientId: c.previousOwnerId,
      entity: { type: 'opportunity', id: c.opportunityId, name: c.name },
      teamId: c.teamId,
    });
    if (p) pendings.push(p);
  }
  if (pendings.length > 0) void deliverWhenCommitted(ctx, pendings);
}

async function deliverWhenCommitted(ctx: AppContext, pendings: PendingDelivery[]): Promise<void> {
  const ids = pendings.map((p) => p.notification.id);
  const deadline = Date.now() + DELIVERY_WAIT_MS;
  try {
    for (;;) {
      const rows = await ctx.db.selectFrom('notifications').select('id').where('id', 'in', ids).execute();
      if (rows.length === ids.length) {
        ctx.notifier.deliver(pendings);
        return;
      }
      if (Date.now() > deadline) return;
      await new Promise((r) => setTimeout(r, DELIVERY_POLL_MS));
    }
  } catch (err) {
    ctx.log.warn({ err }, 'delivering opportunity assignment notifications failed');
  }
}
