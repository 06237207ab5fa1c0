/**
 * The `board:<pipelineId>` live document (DESIGN.md, "Live documents"): its
 * root types, the keys of a card and of a stage entry, and their limits.
 * Shared by server, client and tests; docs/pipeline.md explains the rules.
 */
import { CUSTOM_FIELD_KEY } from './custom-fields.ts';
import { BOARD_CARD_KEYS } from './docs.ts';

/** Root types of a board document. */
export const BOARD_DOC_ROOTS = {
  /** Y.Map: opportunity id → Y.Map with the keys of BoardCard. */
  cards: 'map',
  /**
   * Y.Map: stage id → Y.Map with the keys of BoardStage. A mirror of the
   * pipeline's stages written by the server after every change made through
   * the pipeline API; clients read it, and an edit that disagrees with the
   * stored stages is refused.
   */
  stages: 'map',
} as const;

/** The keys every card has (DESIGN.md). */
export const BOARD_CARD_REQUIRED_KEYS = BOARD_CARD_KEYS;
/** Keys a card may also have. */
export const BOARD_CARD_OPTIONAL_KEYS = ['currency', 'expectedCloseDate', 'lostReason'] as const;
export const BOARD_CARD_ALL_KEYS = [...BOARD_CARD_REQUIRED_KEYS, ...BOARD_CARD_OPTIONAL_KEYS] as const;
export type BoardCardKey = (typeof BOARD_CARD_ALL_KEYS)[number];

/**
 * Custom field values of an opportunity live in its card as flat entries `custom.<key>`
 * (docs/custom-fields.md, "Opportunities"): the card stays a map of plain values, each value
 * is co-edited and refused key by key like a built-in one.
 */
export const BOARD_CARD_CUSTOM_PREFIX = 'custom.';

/** The card entry of a custom field. */
export const customCardKey = (fieldKey: string): string => `${BOARD_CARD_CUSTOM_PREFIX}${fieldKey}`;

/** The custom field key of a card entry `custom.<key>`, or null when the entry is not a well-formed one. */
export function cardCustomFieldKey(entry: string): string | null {
  if (!entry.startsWith(BOARD_CARD_CUSTOM_PREFIX)) return null;
  const key = entry.slice(BOARD_CARD_CUSTOM_PREFIX.length);
  return CUSTOM_FIELD_KEY.test(key) ? key : null;
}

/** A card as plain values (`Y.Map#toJSON()` of an entry of `getMap('cards')`). */
export interface BoardCard {
  name: string;
  /** ≥ 0, at most OPPORTUNITY_AMOUNT_MAX, at most two decimals. */
  amount: number;
  customerId: string;
  /** A user id, or null for an unowned deal. */
  ownerId: string | null;
  stageId: string;
  /** A fractional-indexing key; cards of a stage sort by rank, then by id. */
  rank: string;
  /** ISO 4217 code, upper case; CNY when absent. */
  currency?: string;
  /** YYYY-MM-DD, or null. */
  expectedCloseDate?: string | null;
  /** Required (non-empty) while the card is in a lost stage. */
  lostReason?: string | null;
}

export const STAGE_KINDS = ['open', 'won', 'lost'] as const;
export type StageKind = (typeof STAGE_KINDS)[number];

/** An entry of `getMap('stages')`. */
export interface BoardStage {
  name: string;
  /** The Chinese name, or null when the stage has only one name. */
  nameZh: string | null;
  probability: number;
  kind: StageKind;
  position: number;
}
export const BOARD_STAGE_KEYS = ['name', 'nameZh', 'probability', 'kind', 'position'] as const;

export const OPPORTUNITY_NAME_MAX = 200;
/** The largest amount of one opportunity (a bound, not a business rule). */
export const OPPORTUNITY_AMOUNT_MAX = 1_000_000_000_000;
export const LOST_REASON_MAX = 1000;
/** About a thousand drops into the same gap before a key reaches this length. */
export const RANK_MAX_CHARS = 256;
export const DEFAULT_CURRENCY = 'CNY';
/** Cards on one board. */
export const BOARD_CARDS_MAX = 20_000;

export const STAGE_NAME_MAX = 80;
export const STAGES_PER_PIPELINE_MAX = 30;
export const PIPELINE_NAME_MAX = 120;

/** Whether a value is an acceptable amount: finite, 0 ≤ n ≤ OPPORTUNITY_AMOUNT_MAX, at most two decimals. */
export function isValidAmount(n: unknown): n is number {
  if (typeof n !== 'number' || !Number.isFinite(n) || n < 0 || n > OPPORTUNITY_AMOUNT_MAX) return false;
  const cents = n * 100;
  return Math.abs(Math.round(cents) - cents) < 1e-6;
}
