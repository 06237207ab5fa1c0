/**
 * The board as plain values: cards read from the `board:<pipelineId>`
 * document, stages merged from the document's mirror and the pipeline API,
 * filters, and the columns the page shows. Pure: no IO, no elements.
 */
import type { BoardCard, BoardStage, StageKind } from '../../../schema/wire/board.ts';
import type { StageDto } from '../../../schema/wire/pipeline.ts';
import { compareCards } from './board-order.ts';

/** A card as the board shows it: the document's values plus its id. */
export interface CardView extends BoardCard {
  id: string;
}

export interface StageView {
  id: string;
  name: string;
  nameZh: string | null;
  probability: number;
  kind: StageKind;
  position: number;
}

export interface BoardFilters {
  /** A user id, `none` for unowned deals, or null for everyone. */
  ownerId: string | null;
  /** YYYY-MM of the expected close date, or null for any. */
  closeMonth: string | null;
}

export const NO_FILTERS: BoardFilters = { ownerId: null, closeMonth: null };

export interface ColumnView {
  stage: StageView;
  /** Cards that pass the filters, in board order. */
  cards: CardView[];
  count: number;
  /** Sum of amounts of the shown cards (mixed currencies are summed as numbers; see docs/pipeline-ui.md). */
  amount: number;
}

/** The stages to show: the document's mirror when it has entries (it follows renames live), else the API's. */
export function mergeStages(mirror: ReadonlyMap<string, BoardStage>, fromApi: readonly StageDto[]): StageView[] {
  const source: StageView[] =
    mirror.size > 0 ? [...mirror].map(([id, s]) => ({ id, ...s })) : fromApi.map((s) => ({ ...s }));
  return source.sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : 1));
}

/** The stage's name in the interface language: the Chinese name in Chinese when it has one. */
export function stageName(stage: Pick<StageView, 'name' | 'nameZh'>, locale: string): string {
  return locale === 'zh-CN' && stage.nameZh ? stage.nameZh : stage.name;
}

export function passesFilters(card: CardView, f: BoardFilters): boolean {
  if (f.ownerId !== null) {
    if (f.ownerId === 'none' ? card.ownerId !== null : card.ownerId !== f.ownerId) return false;
  }
  if (f.closeMonth !== null && !(card.expectedCloseDate ?? '').startsWith(f.closeMonth)) return false;
  return true;
}

/** Groups cards into the stages' columns, sorted, with counts and sums. Cards of unknown stages are left out. */
export function buildColumns(stages: readonly StageView[], cards: Iterable<CardView>, f: BoardFilters): ColumnView[] {
  const byStage = new Map<string, CardView[]>(stages.map((s) => [s.id, []]));
  for (const card of cards) {
    if (!passesFilters(card, f)) continue;
    byStage.get(card.stageId)?.push(card);
  }
  return stages.map((stage) => {
    const list = (byStage.get(stage.id) ?? []).sort(compareCards);
    let amount = 0;
    for (const c of list) amount += c.amount;
    return { stage, cards: list, count: list.length, amount: Math.round(amount * 100) / 100 };
  });
}

/** The months (YYYY-MM) that cards close in, newest last, for the close-month filter. */
export function closeMonths(cards: Iterable<CardView>): string[] {
  const months = new Set<string>();
  for (const c of cards) if (c.expectedCloseDate) months.add(c.expectedCloseDate.slice(0, 7));
  return [...months].sort();
}

/** Where a card is: column index and position, or null. */
export function locate(columns: readonly ColumnView[], cardId: string): { column: number; index: number } | null {
  for (let column = 0; column < columns.length; column++) {
    const index = columns[column]!.cards.findIndex((c) => c.id === cardId);
    if (index >= 0) return { column, index };
  }
  return null;
}

/** A keyboard move from a card's current place. */
export type KeyMove = 'left' | 'right' | 'up' | 'down' | 'top' | 'bottom';

/**
 * The next target of a picked-up card. `target.index` counts positions among
 * the column's other cards (the moving card excluded), so it is also the
 * argument of rankAtIndex.
 */
export function nextTarget(
  columns: readonly ColumnView[],
  cardId: string,
  target: { column: number; index: number },
  move: KeyMove,
): { column: number; index: number } {
  const othersIn = (col: number) => columns[col]!.cards.filter((c) => c.id !== cardId).length;
  switch (move) {
    case 'left':
    case 'right': {
      const column = Math.max(0, Math.min(columns.length - 1, target.column + (move === 'left' ? -1 : 1)));
      return { column, index: Math.min(target.index, othersIn(column)) };
    }
    case 'up':
      return { column: target.column, index: Math.max(0, target.index - 1) };
    case 'down':
      return { column: target.column, index: Math.min(othersIn(target.column), target.index + 1) };
    case 'top':
      return { column: target.column, index: 0 };
    case 'bottom':
      return { column: target.column, index: othersIn(target.column) };
    default: {
      const never: never = move;
      return never;
    }
  }
}
