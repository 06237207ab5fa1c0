/**
 * The `assignment` notification: a customer, opportunity or task was given
 * to someone other than the person who made the change. Every write path that
 * changes an owner or assignee (REST, import, document projection) calls
 * this in its transaction and delivers the result after commit.
 */
import type { NotificationEntityType } from '../../schema/wire/notifications.ts';
import { readScope, scopeAllows } from '../../schema/policy/scope.ts';
import { linkTo } from './notification.ts';
import { assignmentText } from './notification-text.ts';
import type { Notifier, PendingDelivery, Trx } from './notifier.ts';

export interface AssignmentInput {
  /** Who made the change; null for changes made by the system. */
  actorId: string | null;
  /** The new owner or assignee; null (unassigned) notifies nobody. */
  recipientId: string | null;
  /** The previous owner, when known: re-saving the same owner notifies nobody. */
  previousRecipientId?: string | null;
  entity: { type: NotificationEntityType; id: string; name: string };
  /**
   * The entity's team: a recipient outside it (admins excepted) is never told.
   * When omitted, it is read from the entity's row with `trx` (which must then exist).
   */
  teamId?: string;
  /** Defaults to the entity's own page. */
  link?: string;
}

/** Whether a change of owner deserves an assignment notification. Pure. */
export function assignmentRecipient(input: Pick<AssignmentInput, 'actorId' | 'recipientId' | 'previousRecipientId'>): string | null {
  const { actorId, recipientId, previousRecipientId } = input;
  if (!recipientId) return null;
  if (recipientId === actorId) return null;
  if (previousRecipientId !== undefined && previousRecipientId === recipientId) return null;
  return recipientId;
}

/** Service records are read by whoever reads their customer. */
const scopedTypeOf = (type: NotificationEntityType) => (type === 'service_record' ? 'customer' : type);

/** The team an entity belongs to, from its own table; null when there is no such row. */
async function entityTeam(trx: Trx, entity: { type: NotificationEntityType; id: string }): Promise<string | null> {
  switch (entity.type) {
    case 'customer':
      return (await trx.selectFrom('customers').select('team_id').where('id', '=', entity.id).executeTakeFirst())?.team_id ?? null;
    case 'opportunity':
      return (await trx.selectFrom('opportunities').select('team_id').where('id', '=', entity.id).executeTakeFirst())?.team_id ?? null;
    case 'task':
      return (await trx.selectFrom('tasks').select('team_id').where('id', '=', entity.id).executeTakeFirst())?.team_id ?? null;
    case 'service_record':
      return (await trx.selectFrom('service_records').select('team_id').where('id', '=', entity.id).executeTakeFirst())?.team_id ?? null;
    default: {
      const never: never = entity.type;
      return never;
    }
  }
}

/**
 * Stores the notification in `trx` and returns its pending delivery, or null
 * when nobody is to be told (self-assignment, no change, inactive recipient,
 * or a recipient outside the entity's team).
 * Call `deliver()` on the result after the transaction commits.
 */
export async function notifyAssignment(
  ctx: { notifier: Notifier },
  trx: Trx,
  input: AssignmentInput,
): Promise<PendingDelivery | null> {
  const recipientId = assignmentRecipient(input);
  if (!recipientId) return null;
  const recipient = await trx
    .selectFrom('users')
    .select(['locale', 'active', 'team_id', 'role'])
    .where('id', '=', recipientId)
    .executeTakeFirst();
  if (!recipient?.active) return null;
  const teamId = input.teamId ?? (await entityTeam(trx, input.entity));
  if (!teamId) return null;
  // Nobody is told of a record they may not read.
  if (!scopeAllows(readScope({ id: recipientId, role: recipient.role, teamId: recipient.team_id }, scopedTypeOf(input.entity.type)), { teamId, ownerId: recipientId })) return null;
  const actor = input.actorId
    ? await trx.selectFrom('users').select('name').where('id', '=', input.actorId).executeTakeFirst()
    : undefined;
  const text = assignmentText(recipient.locale, input.entity, actor?.name ?? null);
  return ctx.notifier.notify(trx, {
    recipientId,
    type: 'assignment',
    title: text.title,
    body: text.body,
    link: input.link ?? linkTo(input.entity),
    entity: { type: input.entity.type, id: input.entity.id },
    actorId: input.actorId,
  });
}
