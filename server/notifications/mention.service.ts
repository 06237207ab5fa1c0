/** `mention` notifications for @names in notes, follow-ups and task descriptions. */
import type { NotificationEntityType } from '../../schema/wire/notifications.ts';
import { type MentionCandidate, mentionExcerpt, newMentions } from './mentions.ts';
import { linkTo } from './notification.ts';
import { mentionText } from './notification-text.ts';
import type { Notifier, PendingDelivery, Trx } from './notifier.ts';

export interface MentionInput {
  actorId: string;
  /** The team whose members can be mentioned (the entity's team). */
  teamId: string;
  text: string;
  /** The text before this edit: only people newly mentioned are notified. */
  previousText?: string;
  entity: { type: NotificationEntityType; id: string; name: string };
  link?: string;
}

/** Active members of a team, as mention candidates. */
export async function mentionCandidates(trx: Trx, teamId: string): Promise<(MentionCandidate & { locale: 'en' | 'zh-CN' })[]> {
  return trx
    .selectFrom('users')
    .select(['id', 'name', 'email', 'locale'])
    .where('team_id', '=', teamId)
    .where('active', '=', true)
    .execute();
}

/**
 * Stores a `mention` notification for each teammate newly mentioned in
 * `text` (never the actor, never anyone outside the team) and returns the
 * pending deliveries, to deliver after commit.
 */
export async function notifyMentions(
  ctx: { notifier: Notifier },
  trx: Trx,
  input: MentionInput,
): Promise<PendingDelivery[]> {
  if (!input.text.includes('@')) return [];
  const team = await mentionCandidates(trx, input.teamId);
  const ids = newMentions(input.text, input.previousText ?? '', team).filter((id) => id !== input.actorId);
  if (ids.length === 0) return [];
  const actor = await trx.selectFrom('users').select('name').where('id', '=', input.actorId).executeTakeFirst();
  const excerpt = mentionExcerpt(input.text);
  const out: PendingDelivery[] = [];
  for (const id of ids) {
    const member = team.find((u) => u.id === id)!;
    const text = mentionText(member.locale, input.entity, actor?.name ?? '', excerpt);
    out.push(
      await ctx.notifier.notify(trx, {
        recipientId: id,
        type: 'mention',
        title: text.title,
        body: text.body,
        link: input.link ?? linkTo(input.entity),
        entity: { type: input.entity.type, id: input.entity.id },
        actorId: input.actorId,
      }),
    );
  }
  return out;
}
