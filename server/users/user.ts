import type { UserRow } from '../../schema/tables/user.table.ts';
import type { Role, UserDto } from '../../schema/wire/user.ts';

/** The signed-in user as domain code sees it. */
export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  teamId: string | null;
  mustChangePassword: boolean;
  /** Sign-in found that the role requires two-factor sign-in and the user has none: enrol first. */
  mustEnrolTotp: boolean;
  passwordChangedAt: Date;
  phone: string;
  title: string;
  locale: UserDto['locale'];
  density: UserDto['density'];
  active: boolean;
  createdAt: Date;
}

export function userFromRow(r: UserRow): User {
  return {
    id: r.id,
    email: r.email,
    name: r.name,
    role: r.role,
    teamId: r.team_id,
    mustChangePassword: r.must_change_password,
    mustEnrolTotp: r.must_enrol_totp,
    passwordChangedAt: r.password_changed_at,
    phone: r.phone,
    title: r.title,
    locale: r.locale,
    density: r.density,
    active: r.active,
    createdAt: r.created_at,
  };
}

export function toUserDto(u: User): UserDto {
  const { passwordChangedAt: _, ...rest } = u;
  return { ...rest, createdAt: u.createdAt.toISOString() };
}
