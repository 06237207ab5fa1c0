/** User administration (admins) and the team's members (everyone). */
import type { CreateUserBody, UpdateUserBody, UserDto } from '../../../schema/wire/user.ts';
import { type CreateOptions, request } from './http.ts';

export async function listUsers(): Promise<UserDto[]> {
  return (await request<{ items: UserDto[] }>('GET', '/api/users')).items;
}

export async function createUser(body: CreateUserBody, opts: CreateOptions = {}): Promise<UserDto> {
  return (await request<{ user: UserDto }>('POST', '/api/users', body, opts)).user;
}

export async function updateUser(id: string, body: UpdateUserBody): Promise<UserDto> {
  return (await request<{ user: UserDto }>('PATCH', `/api/users/${encodeURIComponent(id)}`, body)).user;
}
