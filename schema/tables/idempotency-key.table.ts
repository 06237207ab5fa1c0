import type { Insertable, Selectable } from 'kysely';

/** A create request's idempotency key and, once answered, its answer (status null: in progress). */
export interface IdempotencyKeyTable {
  user_id: string;
  key: string;
  /** SHA-256 (hex) of method, path and body: a different request under the same key is a 409. */
  request_hash: string;
  status: number | null;
  content_type: string | null;
  body: string | null;
  created_at: Date;
}
export type IdempotencyKeyRow = Selectable<IdempotencyKeyTable>;
export type NewIdempotencyKeyRow = Insertable<IdempotencyKeyTable>;
