/** User administration (admins) and the team's members (everyone). */
import type { CreateUserBody, UpdateUserBody, UserDto } from '../../../schema/wire/user.ts';
import { request } from './http.ts';

export async function listUsers(): Promise<UserDto[]> {
  return (await request<{ items: UserDto[] }>('GET', '/api/users')).items;
}

export async function createUser(body: CreateUserBody): Promise<UserDto> {
  return (await request<{ user: UserDto }>('POST', '/api/users', body)).user;
}

export async function updateUser(id: string, body: UpdateUserBody): Promise<UserDto> {
  return (await request<{ user: UserDto }>('PATCH', `/api/users/${encodeURIComponent(id)}`, body)).user;
}
