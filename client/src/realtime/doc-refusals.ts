/**
 * The refused changes a DocController keeps for the page to explain: the
 * latest one per field, at most MAX_REFUSALS_KEPT. Pure functions over an
 * immutable list, so that a new list means "re-render".
 */
import type { DocRefusalReason } from '../../../schema/wire/docs.ts';

/** A refused part of one of our updates; `seq` grows with every refusal received. */
export interface DocRefusal extends DocRefusalReason {
  seq: number;
}

export const MAX_REFUSALS_KEPT = 20;

/** True when `r` names `field` or a part of it (`followups` covers `followups.outcome`). */
export function namesField(r: DocRefusal, field: string): boolean {
  return r.field === field || (r.field?.startsWith(`${field}.`) ?? false);
}

/** The list with `refusal` added, replacing an earlier one of the same field. */
export function addRefusal(list: readonly DocRefusal[], refusal: DocRefusal): DocRefusal[] {
  const others = list.filter((r) => (r.field ?? '') !== (refusal.field ?? ''));
  return [...others, refusal].slice(-MAX_REFUSALS_KEPT);
}

/** The latest refusal naming `field` (see namesField), or the latest of all without one. */
export function findRefusal(list: readonly DocRefusal[], field?: string): DocRefusal | null {
  for (let i = list.length - 1; i >= 0; i--) {
    const r = list[i]!;
    if (field === undefined || namesField(r, field)) return r;
  }
  return null;
}

/** The list without one refusal, or without those naming a field, or empty. */
export function withoutRefusal(list: readonly DocRefusal[], which?: DocRefusal | string): readonly DocRefusal[] {
  if (which === undefined) return list.length ? [] : list;
  const kept = list.filter((r) => (typeof which === 'string' ? !namesField(r, which) : r.seq !== which.seq));
  return kept.length === list.length ? list : kept;
}
