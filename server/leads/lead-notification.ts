/**
 * "A lead was assigned to you": stored in the caller's transaction, delivered after commit, like
 * the assignment notifications of customers (server/notifications/assignment.ts). Leads are not
 * one of the notification entity types, so the notification links to the lead's page and
 * carries no entity reference.
 */
import { readScope, scopeAllows } from '../../schema/policy/scope.ts';
import type { Locale } from '../../schema/wire/user.ts';
import { assignmentRecipient } from '../notifications/assignment.ts';
import type { Notifier, PendingDelivery, Trx } from '../notifications/notifier.ts';

/** The words, in the recipient's language. Pure. */
export function leadAssignmentText(locale: Locale, leadName: string, actorName: string | null): { title: string; body: string } {
  switch (locale) {
    case 'en':
      return { title: `A lead was assigned to you: ${leadName}`, body: actorName ? `Assigned by ${actorName}` : '' };
    case 'zh-CN':
      return { title: `有销售线索分配给你：${leadName}`, body: actorName ? `分配人：${actorName}` : '' };
    default: {
      const never: never = locale;
      return never;
    }
  }
}

export const leadLink = (id: string) => `/leads/${id}`;

export async function notifyLeadAssignment(
  ctx: { notifier: Notifier },
  trx: Trx,
  input: { actorId: string; recipientId: string | null; previousRecipientId?: string | null; lead: { id: string; name: string; teamId: string } },
): Promise<PendingDelivery | null> {
  const recipientId = assignmentRecipient(input);
  if (!recipientId) return null;
  const recipient = await trx.selectFrom('users').select(['locale', 'active', 'team_id', 'role']).where('id', '=', recipientId).executeTakeFirst();
  if (!recipient?.active) return null;
  // Nobody is told of a lead they may not read (leads are read as customers are).
  const scope = readScope({ id: recipientId, role: recipient.role, teamId: recipient.team_id }, 'customer');
  if (!scopeAllows(scope, { teamId: input.lead.teamId, ownerId: recipientId })) return null;
  const actor = await trx.selectFrom('users').select('name').where('id', '=', input.actorId).executeTakeFirst();
  const text = leadAssignmentText(recipient.locale, input.lead.name, actor?.name ?? null);
  return ctx.notifier.notify(trx, {
    recipientId,
    type: 'assignment',
    title: text.title,
    body: text.body,
    link: leadLink(input.lead.id),
    entity: null,
    actorId: input.actorId,
  });
}
