import type { Insertable, Selectable } from 'kysely';

/** A session per the Lucia design: only a SHA-256 of the token's secret is stored. */
export interface SessionTable {
  id: string;
  secret_hash: Uint8Array;
  user_id: string;
  created_at: Date;
  last_verified_at: Date;
}
export type SessionRow = Selectable<SessionTable>;
export type NewSessionRow = Insertable<SessionTable>;
