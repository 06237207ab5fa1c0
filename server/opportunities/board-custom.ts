/**
 * Custom field values on board cards (`custom.<key>` entries; docs/custom-fields.md,
 * "Opportunities"): each changed value is checked against the active opportunity definitions
 * that apply to the card's team (the workspace's and that team's) with the same rules as a
 * customer's (`customKeyProblem`), and `user` values name an active member of that team.
 * The definitions are read once per update, and only when it touches a custom value.
 */
import type * as Y from 'yjs';
import { customCardKey } from '../../schema/wire/board.ts';
import type { CustomFieldDto } from '../../schema/wire/custom-fields.ts';
import { listCustomFields, toCustomFieldDto } from '../custom-fields/custom-field.repository.ts';
import { customKeyProblem } from '../customers/customer-custom-doc.ts';
import type { DB } from '../db/database.ts';
import { AppError } from '../http/app-error.ts';
import type { RefusedPart } from '../realtime/doc-kind.ts';
import { findUserTeams } from './board-doc.repository.ts';
import type { CardTouch } from './board-doc.ts';

/** The active opportunity definitions that apply to a team, by key. */
function rulesOf(defs: readonly CustomFieldDto[], teamId: string | undefined): Map<string, CustomFieldDto> {
  return new Map(defs.filter((d) => d.teamId === null || d.teamId === teamId).map((d) => [d.key, d]));
}

/**
 * The first refused custom value of the touched cards, or null. `teamOf` answers a card's
 * team (its stored one, or its customer's for a card not yet projected).
 */
export async function checkCardCustomValues(
  db: DB,
  cardMap: Y.Map<unknown>,
  touches: Iterable<Pick<CardTouch, 'id' | 'isNew' | 'custom'>>,
  teamOf: (cardId: string) => string | undefined,
): Promise<{ error: AppError; part: RefusedPart } | null> {
  const touched = [...touches].filter((t) => t.custom.size > 0);
  if (touched.length === 0) return null;
  const defs = (await listCustomFields(db, 'opportunity', { teams: 'all', archived: false })).map(toCustomFieldDto);
  const users: Array<{ touch: (typeof touched)[number]; card: Y.Map<unknown>; key: string; userId: string; teamId: string | undefined }> = [];
  for (const touch of touched) {
    const card = cardMap.get(touch.id) as Y.Map<unknown>;
    const teamId = teamOf(touch.id);
    const rules = rulesOf(defs, teamId);
    for (const [key, before] of touch.custom) {
      const value = card.get(customCardKey(key));
      const p = customKeyProblem(rules, key, value);
      if (p) return { error: new AppError('validation', 400, p.message, p.field), part: partOf(cardMap, card, touch, key) };
      if (rules.get(key)?.type === 'user' && typeof value === 'string' && value !== before) users.push({ touch, card, key, userId: value, teamId });
    }
  }
  if (users.length === 0) return null;
  const found = await findUserTeams(db, [...new Set(users.map((u) => u.userId))]);
  for (const u of users) {
    const member = found.get(u.userId);
    if (!member?.active || member.teamId !== u.teamId) {
      const field = `custom.${u.key}`;
      return {
        error: new AppError('validation', 400, 'A user field names an active member of the opportunity’s team', field),
        part: partOf(cardMap, u.card, u.touch, u.key),
      };
    }
  }
  return null;
}

/** A new card is taken off the board whole (as for its other keys); an existing one gets back the one entry. */
function partOf(cardMap: Y.Map<unknown>, card: Y.Map<unknown>, touch: Pick<CardTouch, 'id' | 'isNew'>, key: string): RefusedPart {
  return touch.isNew ? { of: cardMap, keys: [touch.id] } : { of: card, keys: [customCardKey(key)] };
}
