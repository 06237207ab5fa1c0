/**
 * Card order within a stage: fractional-index keys (`fractional-indexing`),
 * compared as plain strings (code-unit order, never locale order), ties broken
 * by the card id. Two clients that drop cards into the same slot may produce
 * the same key; the id tie-break makes every board show the same order.
 */
import { generateKeyBetween } from 'fractional-indexing';
import { RANK_MAX_CHARS } from '../../schema/wire/board.ts';

const RANK_CHARS = /^[0-9A-Za-z]+$/;

/** Whether a string is a well-formed fractional-index key of acceptable length. */
export function isValidRank(rank: unknown): rank is string {
  if (typeof rank !== 'string' || rank.length === 0 || rank.length > RANK_MAX_CHARS || !RANK_CHARS.test(rank)) return false;
  try {
    // The library validates its argument (integer part, no trailing zero) before using it.
    generateKeyBetween(rank, null);
    return true;
  } catch {
    return false;
  }
}

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Board order of two cards of one stage: rank, then id. */
export function compareCards(a: { id: string; rank: string }, b: { id: string; rank: string }): number {
  return byCodeUnit(a.rank, b.rank) || byCodeUnit(a.id, b.id);
}

/** Cards sorted in board order (a new array). */
export function sortCards<T extends { id: string; rank: string }>(cards: readonly T[]): T[] {
  return [...cards].sort(compareCards);
}

/**
 * A key that sorts strictly between two keys (either may be null for an end).
 * Neighbours that share a rank (a past tie) have no key between them; the new
 * key then goes just after that rank, so ties never make this throw.
 */
export function rankBetween(before: string | null, after: string | null): string {
  if (before !== null && after !== null && before >= after) return generateKeyBetween(before, null);
  return generateKeyBetween(before, after);
}

/** The key placing a card at the end of a stage whose cards have these ranks. */
export function rankAtEnd(ranks: Iterable<string>): string {
  let max: string | null = null;
  for (const r of ranks) if (max === null || r > max) max = r;
  return generateKeyBetween(max, null);
}

/**
 * The key placing a card right after `afterId` among `cards` (already in
 * board order, without the moving card); `afterId` null = at the top.
 */
export function rankAfterCard(cards: ReadonlyArray<{ id: string; rank: string }>, afterId: string | null): string {
  if (afterId === null) return rankBetween(null, cards[0]?.rank ?? null);
  const i = cards.findIndex((c) => c.id === afterId);
  if (i < 0) return rankAtEnd(cards.map((c) => c.rank));
  return rankBetween(cards[i]!.rank, cards[i + 1]?.rank ?? null);
}
