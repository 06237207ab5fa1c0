/** The security events (admins only). */
import type { SecurityEventKind, SecurityEventListDto } from '../../../schema/wire/security-events.ts';
import { request } from './http.ts';

export async function listSecurityEvents(opts: { kind?: SecurityEventKind; cursor?: string | null; signal?: AbortSignal } = {}): Promise<SecurityEventListDto> {
  const query = new URLSearchParams();
  if (opts.kind) query.set('kind', opts.kind);
  if (opts.cursor) query.set('cursor', opts.cursor);
  const qs = query.toString();
  return request<SecurityEventListDto>('GET', `/api/admin/security-events${qs ? `?${qs}` : ''}`, undefined, { signal: opts.signal });
}
