/**
 * The customers row as a projection of its `customer:<id>` document, written
 * in the transaction that stores the document's updates (so a query after an
 * edit sees it). Columns added by later migrations that derive from the
 * document belong here too. It is also the one writer of the history of
 * field changes, of assignment notifications for a new owner and of mention
 * notifications for people newly @-mentioned in the notes or follow-ups,
 * however the change was made (REST, an open tab, a merge).
 */
import type { Transaction } from 'kysely';
import type { CustomerUpdate } from '../../schema/tables/customer.table.ts';
import type { Database } from '../../schema/types.ts';
import { CUSTOMER_FIELDS } from '../../schema/wire/customer.ts';
import { projectActivities } from '../activities/activity.projection.ts';
import { notifyAssignment } from '../notifications/assignment.ts';
import { notifyMentions } from '../notifications/mention.service.ts';
import type { ProjectionCommit } from '../realtime/doc-kind.ts';
import type { User } from '../users/user.ts';
import { recordFieldChanges } from './customer-audit.ts';
import { type CustomerProjection, projectedColumns } from './customer-doc.ts';
import { CUSTOMER_RECORD_COLUMNS, diffRows } from './customer.ts';

export async function projectCustomer(
  trx: Transaction<Database>,
  id: string,
  p: CustomerProjection,
  now: Date,
  by: { user: User | null; commit?: ProjectionCommit } = { user: null },
): Promise<void> {
  const before = await trx
    .selectFrom('customers')
    .select([...CUSTOMER_RECORD_COLUMNS, 'mention_snippets'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!before) return;
  const f = p.fields;
  const row: CustomerUpdate = { ...projectedColumns(p), updated_at: now };
  // The name is required in the document; a document that never had one keeps the row's.
  if (f.name) row.name = f.name.trim();
  const after = await trx.updateTable('customers').set(row).where('id', '=', id).returning(CUSTOMER_RECORD_COLUMNS).executeTakeFirstOrThrow();
  await projectActivities(trx, { id, teamId: after.team_id }, p.followups, now);

  const actorId = by.user?.id ?? null;
  const changes = diffRows(before, after, CUSTOMER_FIELDS);
  if (Object.keys(changes).length > 0) {
    await recordFieldChanges(trx, { actorId, teamId: after.team_id, customerId: id, changes, now });
  }
  const commit = by.commit;
  if (commit && after.owner_id && after.owner_id !== before.owner_id) {
    const pending = await notifyAssignment(commit.ctx, trx, {
      actorId,
      recipientId: after.owner_id,
      previousRecipientId: before.owner_id,
      entity: { type: 'customer', id, name: after.name },
      teamId: after.team_id,
    });
    if (pending) commit.afterCommit(() => commit.ctx.notifier.deliver([pending]));
  }
  const previous = before.mention_snippets.join('\n');
  const current = p.mentionSnippets.join('\n');
  if (commit && actorId && current !== previous && current.includes('@')) {
    const pendings = await notifyMentions(commit.ctx, trx, {
      actorId,
      teamId: after.team_id,
      text: current,
      previousText: previous,
      entity: { type: 'customer', id, name: after.name },
    });
    if (pendings.length > 0) commit.afterCommit(() => commit.ctx.notifier.deliver(pendings));
  }
}
