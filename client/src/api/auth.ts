/** Signing in and out. */
import type { LoginBody, UserDto } from '../../../schema/wire/user.ts';
import { request } from './http.ts';

export function signIn(body: LoginBody): Promise<{ user: UserDto }> {
  return request('POST', '/api/auth/login', body, { quietUnauthenticated: true });
}

export function signOut(): Promise<void> {
  return request('POST', '/api/auth/logout', undefined, { quietUnauthenticated: true });
}

/** Ends every session of the signed-in user, on every device. */
export function signOutEverywhere(): Promise<void> {
  return request('POST', '/api/auth/logout-all');
}
