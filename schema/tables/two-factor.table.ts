import type { Generated, Insertable, Selectable } from 'kysely';
import type { Role } from '../wire/user.ts';

/** A user's TOTP key; `enabled_at` null while enrolment waits for its first code. */
export interface UserTotpTable {
  user_id: string;
  /** Base32 key. Never returned by the API after enrolment, never logged. */
  secret: string;
  enabled_at: Date | null;
  /** The last time step accepted (replay guard); bigint comes back as a string from pg. */
  last_step: string | number | bigint | null;
  created_at: Generated<Date>;
}
export type UserTotpRow = Selectable<UserTotpTable>;

/** One-time recovery codes, SHA-256 only. */
export interface TotpRecoveryCodeTable {
  id: Generated<string>;
  user_id: string;
  code_hash: string;
  used_at: Date | null;
}
export type NewTotpRecoveryCodeRow = Insertable<TotpRecoveryCodeTable>;

/** Password reset tokens, SHA-256 only. */
export interface PasswordResetTokenTable {
  token_hash: string;
  user_id: string;
  created_by: string | null;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

/** The workspace's security settings: one row, id 1. */
export interface WorkspaceSettingsTable {
  id: Generated<number>;
  totp_required_roles: Generated<Role[] | string>;
  max_password_age_days: number | null;
  /** Whether a lost deal may give a free-text reason besides the admin list (migration 0084). */
  lost_reason_free_text: Generated<boolean>;
  /** Winning a deal sets its customer's category to the won-customer one (migration 0080). */
  won_sets_customer_category: Generated<boolean>;
  updated_at: Generated<Date>;
}
