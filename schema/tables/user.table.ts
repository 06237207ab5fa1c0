import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Density, Locale, Role } from '../wire/user.ts';

export interface UserTable {
  id: Generated<string>;
  email: string;
  name: string;
  role: Role;
  team_id: string | null;
  password_hash: string;
  must_change_password: Generated<boolean>;
  /** Set at sign-in when the role requires TOTP and the user has none (migration 0060). */
  must_enrol_totp: Generated<boolean>;
  password_changed_at: Generated<Date>;
  phone: Generated<string>;
  title: Generated<string>;
  locale: Generated<Locale>;
  density: Generated<Density>;
  active: Generated<boolean>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type UserRow = Selectable<UserTable>;
export type NewUserRow = Insertable<UserTable>;
export type UserUpdate = Updateable<UserTable>;
