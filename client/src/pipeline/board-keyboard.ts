/**
 * The board's keyboard map as a pure function: a key pressed on a focused
 * card, with or without a card picked up, becomes one action. The page
 * performs it and announces it (docs/pipeline-ui.md lists the keys).
 */
import { type ColumnView, type KeyMove, locate, nextTarget } from './board-model.ts';

export interface Place {
  column: number;
  index: number;
}

/** A card picked up with the keyboard, and where it would land. */
export interface Lifted {
  cardId: string;
  origin: Place;
  target: Place;
}

export type KeyAction =
  | { type: 'lift'; at: Place }
  | { type: 'retarget'; target: Place }
  | { type: 'drop'; target: Place }
  | { type: 'cancel' }
  | { type: 'open' }
  | { type: 'focus'; cardId: string };

const KEY_MOVES: Readonly<Record<string, KeyMove>> = {
  ArrowLeft: 'left',
  ArrowRight: 'right',
  ArrowUp: 'up',
  ArrowDown: 'down',
  Home: 'top',
  End: 'bottom',
};

/** What a key does on card `cardId`; null when the board ignores it (the browser's default applies). */
export function keyAction(key: string, cardId: string, lifted: Lifted | null, columns: readonly ColumnView[]): KeyAction | null {
  const move = KEY_MOVES[key];
  if (lifted && lifted.cardId === cardId) {
    if (move) return { type: 'retarget', target: nextTarget(columns, cardId, lifted.target, move) };
    if (key === ' ' || key === 'Enter') return { type: 'drop', target: lifted.target };
    if (key === 'Escape' || key === 'Tab') return { type: 'cancel' };
    return null;
  }
  if (key === ' ') {
    const at = locate(columns, cardId);
    return at ? { type: 'lift', at } : null;
  }
  if (key === 'Enter') return { type: 'open' };
  if (!move) return null;
  const at = locate(columns, cardId);
  if (!at) return null;
  const next = focusTarget(columns, at, move);
  return next ? { type: 'focus', cardId: next } : null;
}

/** The card that focus moves to from `at`: up and down in the column, left and right to the nearest column with cards. */
export function focusTarget(columns: readonly ColumnView[], at: Place, move: KeyMove): string | null {
  const cards = (c: number) => columns[c]?.cards ?? [];
  switch (move) {
    case 'up':
      return cards(at.column)[at.index - 1]?.id ?? null;
    case 'down':
      return cards(at.column)[at.index + 1]?.id ?? null;
    case 'top':
      return cards(at.column)[0]?.id ?? null;
    case 'bottom':
      return cards(at.column).at(-1)?.id ?? null;
    case 'left':
    case 'right': {
      const step = move === 'left' ? -1 : 1;
      for (let c = at.column + step; c >= 0 && c < columns.length; c += step) {
        const list = cards(c);
        if (list.length > 0) return list[Math.min(at.index, list.length - 1)]!.id;
      }
      return null;
    }
    default: {
      const never: never = move;
      return never;
    }
  }
}
