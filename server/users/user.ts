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
    phone: r.phone,
    title: r.title,
    locale: r.locale,
    density: r.density,
    active: r.active,
    createdAt: r.created_at,
  };
}

export function toUserDto(u: User): UserDto {
  return { ...u, createdAt: u.createdAt.toISOString() };
}

export const isAdmin = (u: Pick<User, 'role'>) => u.role === 'admin';
export const isManagerOrAdmin = (u: Pick<User, 'role'>) => u.role === 'admin' || u.role === 'manager';

/** Who may see a user record: admins everyone, others the members of their own team. */
export function canSeeUser(viewer: Pick<User, 'role' | 'teamId' | 'id'>, target: Pick<User, 'teamId' | 'id'>): boolean {
  if (viewer.role === 'admin' || viewer.id === target.id) return true;
  return viewer.teamId !== null && viewer.teamId === target.teamId;
}
