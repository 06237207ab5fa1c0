/** Live documents: who may open one (the WebSocket itself is opened by DocController). */
import type { DocAccessDto } from '../../../schema/wire/docs.ts';
import { request } from './http.ts';

export function fetchDocAccess(name: string, signal?: AbortSignal): Promise<DocAccessDto> {
  return request<DocAccessDto>('GET', `/api/docs/${encodeURIComponent(name)}`, undefined, { signal });
}
