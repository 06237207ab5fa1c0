/**
 * Card order within a stage, as the board contract fixes it (DESIGN.md,
 * schema/wire/board.ts): fractional-index ranks compared as plain strings
 * (code-unit order, never locale order), ties broken by card id. The server
 * applies the same rule (server/opportunities/rank.ts); both must agree so
 * that every board shows the same order.
 */
import { generateKeyBetween } from 'fractional-indexing';

const byCodeUnit = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function compareCards(a: { id: string; rank: string }, b: { id: string; rank: string }): number {
  return byCodeUnit(a.rank, b.rank) || byCodeUnit(a.id, b.id);
}

/**
 * A key strictly between two keys (null for an open end). Neighbours that
 * share a rank (two drops into one slot) have no key between them; the new
 * key then goes just after that rank, and the id tie-break orders the rest.
 */
export function rankBetween(before: string | null, after: string | null): string {
  if (before !== null && after !== null && before >= after) return generateKeyBetween(before, null);
  return generateKeyBetween(before, after);
}

/**
 * The rank that puts a card at `index` among `others` (the target column in
 * board order, without the moving card).
 */
export function rankAtIndex(others: ReadonlyArray<{ rank: string }>, index: number): string {
  const i = Math.max(0, Math.min(index, others.length));
  return rankBetween(others[i - 1]?.rank ?? null, others[i]?.rank ?? null);
}
