/** Small helpers for the customer HTTP tests. */
import type { CustomerDto } from '../../schema/wire/customer.ts';
import { ORIGIN, type TestContext, jsonRequest } from './context.ts';

export interface ApiError {
  status: number;
  code: string;
  message: string;
  field?: string;
}

export function api(t: TestContext, cookie: string) {
  const send = (method: string, path: string, body?: unknown) => t.app.request(path, jsonRequest(method, body, cookie));
  return {
    get: (path: string) => t.app.request(path, { headers: { cookie, origin: ORIGIN } }),
    post: (path: string, body?: unknown) => send('POST', path, body ?? {}),
    patch: (path: string, body: unknown) => send('PATCH', path, body),
    put: (path: string, body: unknown) => send('PUT', path, body),
    del: (path: string) => t.app.request(path, { method: 'DELETE', headers: { cookie, origin: ORIGIN } }),
    async create(body: Record<string, unknown>): Promise<CustomerDto> {
      const res = await send('POST', '/api/customers', { confirm: true, ...body });
      if (res.status !== 201) throw new Error(`create failed: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { customer: CustomerDto }).customer;
    },
  };
}

export async function errorOf(res: Response): Promise<ApiError> {
  const body = (await res.json()) as { error: { code: string; message: string; field?: string } };
  return { status: res.status, ...body.error };
}

export async function json<T>(res: Response, status = 200): Promise<T> {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}
