/**
 * The rules of a `board:<pipelineId>` document (DESIGN.md; shapes and limits
 * in schema/wire/board.ts): which changes keep its shape, what each role may
 * change, and the plain values its projection takes. Pure: no IO. The checks
 * that need stored rows (stages, customers, owners) are planned here and run
 * by board.doc-kind.ts.
 */
import * as Y from 'yjs';
import {
  BOARD_CARD_ALL_KEYS,
  BOARD_CARD_REQUIRED_KEYS,
  BOARD_CARDS_MAX,
  BOARD_DOC_ROOTS,
  BOARD_STAGE_KEYS,
  type BoardCard,
  type BoardCardKey,
  type BoardStage,
  cardCustomFieldKey,
  isValidAmount,
  LOST_REASON_MAX,
  OPPORTUNITY_NAME_MAX,
  type StageKind,
} from '../../schema/wire/board.ts';
import type { CustomValue } from '../../schema/wire/custom-fields.ts';
import type { RefusedPart, SharedType, TypeChange } from '../realtime/doc-kind.ts';
import type { User } from '../users/user.ts';
import { mayAssignOwner } from '../../schema/policy/access.ts';
import { isValidRank } from './rank.ts';
import { isCanonicalUuid } from '../../schema/wire/ids.ts';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const CURRENCY = /^[A-Z]{3}$/;

/** Card keys, owners, stages and customers are ids as the app writes them. */
export const isUuid = isCanonicalUuid;

/** A refused change: 400 (shape) or 403 (permission), with the field concerned. */
export interface BoardProblem {
  status: 400 | 403;
  field: string;
  message: string;
}

const bad = (field: string, message: string): BoardProblem => ({ status: 400, field, message });
const denied = (field: string, message: string): BoardProblem => ({ status: 403, field, message });

export function isIsoDate(v: unknown): v is string {
  if (typeof v !== 'string' || !ISO_DATE.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === v;
}

const isRequiredKey = (k: string) => (BOARD_CARD_REQUIRED_KEYS as readonly string[]).includes(k);
const isCardKey = (k: string): k is BoardCardKey => (BOARD_CARD_ALL_KEYS as readonly string[]).includes(k);

/** Checks one card value by key; null when acceptable. */
export function checkCardValue(key: BoardCardKey, v: unknown): BoardProblem | null {
  switch (key) {
    case 'name':
      return typeof v === 'string' && v.trim().length > 0 && v.length <= OPPORTUNITY_NAME_MAX
        ? null
        : bad('name', `A name of 1 to ${OPPORTUNITY_NAME_MAX} characters`);
    case 'amount':
      return isValidAmount(v) ? null : bad('amount', 'An amount of at least 0, bounded, with at most two decimals');
    case 'customerId':
      return isUuid(v) ? null : bad('customerId', 'A customer id');
    case 'ownerId':
      return v === null || isUuid(v) ? null : bad('ownerId', 'A user id or null');
    case 'stageId':
      return isUuid(v) ? null : bad('stageId', 'A stage id');
    case 'rank':
      return isValidRank(v) ? null : bad('rank', 'A fractional-index key');
    case 'currency':
      return typeof v === 'string' && CURRENCY.test(v) ? null : bad('currency', 'An ISO 4217 code such as CNY');
    case 'expectedCloseDate':
      return v === null || isIsoDate(v) ? null : bad('expectedCloseDate', 'A date as YYYY-MM-DD, or null');
    case 'lostReason':
      return v === null || (typeof v === 'string' && v.length <= LOST_REASON_MAX)
        ? null
        : bad('lostReason', `A reason of at most ${LOST_REASON_MAX} characters, or null`);
    default: {
      const never: never = key;
      return bad(String(never), 'Unknown card key');
    }
  }
}

/**
 * Checks a whole card (a new one): every required key present, every key known and valid.
 * Custom entries (`custom.<key>`) are checked against the definitions by the kind.
 */
export function checkWholeCard(card: Record<string, unknown>): BoardProblem | null {
  for (const k of BOARD_CARD_REQUIRED_KEYS) if (!(k in card)) return bad(k, `A card needs ${k}`);
  for (const [k, v] of Object.entries(card)) {
    if (cardCustomFieldKey(k) !== null) continue;
    if (!isCardKey(k)) return bad(k, `Unknown card key ${k}`);
    const p = checkCardValue(k, v);
    if (p) return p;
  }
  return null;
}

/** What an update does to one card. */
export interface CardTouch {
  id: string;
  isNew: boolean;
  /** Keys whose value changed, with the value before (undefined for a new card). */
  changed: Map<BoardCardKey, unknown>;
  /** Custom fields (by field key, not card entry) whose value changed, with the value before. */
  custom: Map<string, unknown>;
}

/** A refused change and the part of the update the hub restores for it. */
export interface BoardRefusal extends BoardProblem {
  part: RefusedPart;
}

export interface BoardChangePlan {
  problem: BoardRefusal | null;
  cards: Map<string, CardTouch>;
  /** Stage ids whose mirror entries the update touched (checked against the stored stages). */
  stages: Set<string>;
}

/** The key a nested type lives under in its parent map (Yjs keeps it on the type's item). */
function keyInParent(type: SharedType): string | null {
  const item = (type as unknown as { _item: { parentSub: string | null } | null })._item;
  return item?.parentSub ?? null;
}

/**
 * Reads what an update changed and checks shapes and the role rules that
 * need no stored rows. The board's maps are `cards` and `stages`; nothing
 * else may exist, nothing may be nested deeper than a card or stage entry,
 * and cards are never removed (opportunities are closed as won or lost).
 */
export function planBoardChanges(after: Y.Doc, changes: readonly TypeChange[], user: Pick<User, 'id' | 'role'>): BoardChangePlan {
  const cards = new Map<string, CardTouch>();
  const stages = new Set<string>();
  const fail = (problem: BoardProblem, part: RefusedPart): BoardChangePlan => ({ problem: { ...problem, part }, cards, stages });
  const cardMap = after.getMap('cards');
  const stageMap = after.getMap('stages');

  for (const change of changes) {
    const target = change.target;
    if (!(change.root in BOARD_DOC_ROOTS)) return fail(bad(change.root, 'Unknown root'), 'all');
    if (change.listChanged) return fail(bad(change.root, 'A board holds maps only'), { of: target, content: true });

    if (target === cardMap) {
      for (const [id, kc] of change.keys) {
        const part = { of: cardMap, keys: [id] };
        if (kc.action === 'delete') return fail(bad('cards', 'Cards are not removed; close the opportunity as won or lost'), part);
        if (kc.action === 'update') return fail(bad('cards', 'A card is changed key by key, not replaced'), part);
        if (!isUuid(id)) return fail(bad('cards', 'A card key is the opportunity id (a UUID)'), part);
        const value = cardMap.get(id);
        if (!(value instanceof Y.Map)) return fail(bad('cards', 'A card is a map'), part);
        for (const v of value.values()) {
          if (v instanceof Y.AbstractType) return fail(bad('cards', 'Card values are plain values'), part);
        }
        const p = checkWholeCard(value.toJSON());
        if (p) return fail(p, part);
        const changed = new Map<BoardCardKey, unknown>();
        const custom = new Map<string, unknown>();
        for (const k of value.keys()) {
          const fieldKey = cardCustomFieldKey(k);
          if (fieldKey === null) changed.set(k as BoardCardKey, undefined);
          else custom.set(fieldKey, undefined);
        }
        cards.set(id, { id, isNew: true, changed, custom });
      }
      if (cardMap.size > BOARD_CARDS_MAX) {
        return fail(bad('cards', `A board holds at most ${BOARD_CARDS_MAX} cards`), { of: cardMap, keys: [...change.keys.keys()] });
      }
      continue;
    }

    if (target === stageMap) {
      for (const id of change.keys.keys()) stages.add(id);
      continue;
    }

    const parent = target.parent;
    if (parent === cardMap && target instanceof Y.Map) {
      const id = keyInParent(target);
      if (!id || cardMap.get(id) !== target) return fail(bad('cards', 'A card that is not on the board'), { of: target, content: true });
      const touch = cards.get(id) ?? { id, isNew: false, changed: new Map<BoardCardKey, unknown>(), custom: new Map<string, unknown>() };
      for (const [key, kc] of change.keys) {
        const part = { of: target, keys: [key] };
        const fieldKey = cardCustomFieldKey(key);
        if (fieldKey !== null) {
          // Its value is checked against the definitions by the kind; here only that it is plain.
          if (target.get(key) instanceof Y.AbstractType) return fail(bad(key, 'Card values are plain values'), part);
          if (!touch.isNew && !touch.custom.has(fieldKey)) touch.custom.set(fieldKey, kc.oldValue);
          continue;
        }
        if (!isCardKey(key)) return fail(bad(key, `Unknown card key ${key}`), part);
        if (kc.action === 'delete') {
          if (isRequiredKey(key)) return fail(bad(key, `A card needs ${key}`), part);
        } else {
          const v = target.get(key);
          if (v instanceof Y.AbstractType) return fail(bad(key, 'Card values are plain values'), part);
          const p = checkCardValue(key, v);
          if (p) return fail(p, part);
        }
        if (!touch.isNew && !touch.changed.has(key)) touch.changed.set(key, kc.oldValue);
      }
      cards.set(id, touch);
      continue;
    }

    if (parent === stageMap && target instanceof Y.Map) {
      const id = keyInParent(target);
      if (id) stages.add(id);
      continue;
    }
    return fail(bad(change.root, 'Nothing is nested inside a card or a stage entry'), nestedPart(cardMap, stageMap, target));
  }

  for (const touch of cards.values()) {
    const card = cardMap.get(touch.id) as Y.Map<unknown>;
    const p = checkRoleRules(user, touch, card.get('ownerId'));
    if (p) return fail(p, touch.isNew ? { of: cardMap, keys: [touch.id] } : { of: card, keys: ['ownerId'] });
  }
  return { problem: null, cards, stages };
}

/** For content nested too deep: the card or stage key (of its map) it hangs under. */
function nestedPart(cardMap: Y.Map<unknown>, stageMap: Y.Map<unknown>, target: SharedType): RefusedPart {
  let t: SharedType = target;
  for (let depth = 0; depth < 100 && t._item; depth++) {
    const parent = t._item.parent as SharedType;
    if (t._item.parentSub !== null && (parent === cardMap || parent === stageMap || parent.parent === cardMap)) {
      return { of: parent, keys: [t._item.parentSub] };
    }
    t = parent;
  }
  return 'all';
}

/** Reps may not give a card to someone else: owners are set by managers and admins (the policy's reassign rule). */
export function checkRoleRules(user: Pick<User, 'id' | 'role'>, touch: Pick<CardTouch, 'isNew' | 'changed'>, ownerAfter: unknown): BoardProblem | null {
  if (!touch.changed.has('ownerId')) return null;
  // checkCardValue let only a user id or null through.
  const to = (ownerAfter ?? null) as string | null;
  const from = touch.isNew ? null : ((touch.changed.get('ownerId') ?? null) as string | null);
  if (mayAssignOwner(user, { isNew: touch.isNew, from, to })) return null;
  return denied('ownerId', touch.isNew ? 'Only managers and admins assign opportunities to others' : 'Only managers and admins reassign opportunities');
}

/** A card in a lost stage must say why it was lost. */
export function checkLostReason(stageKind: StageKind, lostReason: unknown): BoardProblem | null {
  if (stageKind !== 'lost') return null;
  return typeof lostReason === 'string' && lostReason.trim().length > 0
    ? null
    : bad('lostReason', 'Moving an opportunity to a lost stage needs a reason');
}

/** Whether a stage mirror entry (plain values) equals the stored stage; a deleted stage has no entry. */
export function stageEntryMatches(entry: unknown, stored: BoardStage | null): boolean {
  if (stored === null) return entry === undefined;
  if (typeof entry !== 'object' || entry === null) return false;
  const e = entry as Record<string, unknown>;
  if (Object.keys(e).length !== BOARD_STAGE_KEYS.length) return false;
  return BOARD_STAGE_KEYS.every((k) => e[k] === stored[k]);
}

/** A card as the projection takes it. */
export interface ProjectedCard extends Required<Omit<BoardCard, 'currency' | 'expectedCloseDate' | 'lostReason'>> {
  id: string;
  currency: string;
  expectedCloseDate: string | null;
  lostReason: string | null;
  /** The card's `custom.<key>` entries by field key. */
  custom: Record<string, CustomValue>;
}

/** The custom values of a card by field key (plain JSON values only; anything else is skipped). */
export function readCardCustom(card: Y.Map<unknown>): Record<string, CustomValue> {
  const out: Record<string, CustomValue> = {};
  for (const [entry, value] of card.entries()) {
    const key = cardCustomFieldKey(entry);
    if (key === null) continue;
    if (typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))) out[key] = value;
    else if (Array.isArray(value) && value.every((v) => typeof v === 'string')) out[key] = [...value] as string[];
  }
  return out;
}

export interface BoardProjection {
  /** The cards to compare with the stored rows. */
  cards: ProjectedCard[];
  /** 'all': `cards` is the whole board; 'touched': only cards changed since the last projection. */
  scope: 'all' | 'touched';
}

function projectedCard(id: string, value: Y.Map<unknown>, defaultCurrency: string): ProjectedCard {
  const c = value.toJSON() as BoardCard;
  return {
    id,
    name: c.name,
    // Stored with two decimals: compare in the same form, so that 0.1 + 0.2 is not a change each time.
    amount: Math.round(c.amount * 100) / 100,
    customerId: c.customerId,
    ownerId: c.ownerId ?? null,
    stageId: c.stageId,
    rank: c.rank,
    currency: c.currency ?? defaultCurrency,
    expectedCloseDate: c.expectedCloseDate ?? null,
    lostReason: c.lostReason ?? null,
    custom: readCardCustom(value),
  };
}

/** Reads every card of an accepted board state as plain values. */
export function readBoard(doc: Y.Doc, defaultCurrency: string): BoardProjection {
  const out: ProjectedCard[] = [];
  doc.getMap('cards').forEach((value, id) => {
    if (value instanceof Y.Map) out.push(projectedCard(id, value, defaultCurrency));
  });
  return { cards: out, scope: 'all' };
}

/** Reads the given cards of an accepted board state (missing ones are skipped). */
export function readCards(doc: Y.Doc, ids: Iterable<string>, defaultCurrency: string): BoardProjection {
  const cards = doc.getMap('cards');
  const out: ProjectedCard[] = [];
  for (const id of ids) {
    const value = cards.get(id);
    if (value instanceof Y.Map) out.push(projectedCard(id, value, defaultCurrency));
  }
  return { cards: out, scope: 'touched' };
}

/** The opportunity status and close time after a card lands in a stage of `kind`. */
export function closeState(
  kind: StageKind,
  before: { status: StageKind; closedAt: Date | null } | null,
  now: Date,
): { status: StageKind; closedAt: Date | null } {
  switch (kind) {
    case 'open':
      return { status: 'open', closedAt: null };
    case 'won':
    case 'lost':
      return before && before.status === kind && before.closedAt ? { status: kind, closedAt: before.closedAt } : { status: kind, closedAt: now };
    default: {
      const never: never = kind;
      throw new Error(`unknown stage kind ${never}`);
    }
  }
}
