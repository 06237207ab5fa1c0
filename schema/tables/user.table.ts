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
