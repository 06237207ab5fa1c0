/** The signed-in user's own account. */
import type { UpdateProfileBody, UserDto } from '../../../schema/wire/user.ts';
import { request } from './http.ts';

/** The current user, or null when nobody is signed in. */
export async function fetchMe(): Promise<UserDto | null> {
  try {
    return (await request<{ user: UserDto }>('GET', '/api/me', undefined, { quietUnauthenticated: true })).user;
  } catch (e) {
    if ((e as { code?: string }).code === 'unauthenticated') return null;
    throw e;
  }
}

export async function updateMe(body: UpdateProfileBody): Promise<UserDto> {
  return (await request<{ user: UserDto }>('PATCH', '/api/me', body)).user;
}

export function changePassword(currentPassword: string, newPassword: string): Promise<void> {
  return request('POST', '/api/me/password', { currentPassword, newPassword });
}
