/**
 * The customers row as a projection of its `customer:<id>` document, written
 * in the projection run's transaction (`uow.trx`, projector.ts). Columns
 * added by later migrations that derive from the document belong here too.
 * It is also the one writer of the history of field changes, and the one
 * source of the assignment events for a new owner and of the mention events
 * for people newly @-mentioned in the notes or follow-ups (the notifications
 * listen to them), however the change was made (REST, an open tab, a merge).
 */
import type { CustomerUpdate } from '../../schema/tables/customer.table.ts';
import { CUSTOMER_FIELDS } from '../../schema/wire/customer.ts';
import { projectActivities } from '../activities/activity.projection.ts';
import type { NotificationEvent } from '../notifications/notification-events.ts';
import type { UnitOfWork } from '../realtime/doc-kind.ts';
import { recordFieldChanges } from './customer-audit.ts';
import { type CustomerProjection, projectedColumns } from './customer-doc.ts';
import { CUSTOMER_RECORD_COLUMNS, diffRows } from './customer.ts';

export async function projectCustomer(uow: UnitOfWork<NotificationEvent>, id: string, p: CustomerProjection): Promise<void> {
  const { trx, now } = uow;
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

  const actorId = uow.user?.id ?? null;
  const changes = diffRows(before, after, CUSTOMER_FIELDS);
  if (Object.keys(changes).length > 0) {
    await recordFieldChanges(trx, { actorId, teamId: after.team_id, customerId: id, changes, now });
  }
  const entity = { type: 'customer', id, name: after.name } as const;
  if (after.owner_id && after.owner_id !== before.owner_id) {
    await uow.emit({
      type: 'assignment',
      actorId,
      recipientId: after.owner_id,
      previousRecipientId: before.owner_id,
      entity,
      teamId: after.team_id,
    });
  }
  const previous = before.mention_snippets.join('\n');
  const current = p.mentionSnippets.join('\n');
  if (actorId && current !== previous && current.includes('@')) {
    await uow.emit({ type: 'mention', actorId, teamId: after.team_id, text: current, previousText: previous, entity });
  }
}
