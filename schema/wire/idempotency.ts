/**
 * The `Idempotency-Key` request header of create routes: a repeat of a create with the same key
 * by the same user within a day answers what the first one answered and creates nothing.
 */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
export const IDEMPOTENCY_KEY_MAX = 200;
/** On a replayed answer. */
export const IDEMPOTENT_REPLAYED_HEADER = 'Idempotent-Replayed';

/** 1–200 printable ASCII characters (space to tilde). */
const KEY = new RegExp(`^[\\x20-\\x7e]{1,${IDEMPOTENCY_KEY_MAX}}$`);

export const isIdempotencyKey = (s: string): boolean => KEY.test(s);
