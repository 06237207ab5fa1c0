/**
 * Team operations (docs/team-operations.md): handing a user's book over, bulk edits of
 * customers, the list's match count, an operation's progress and its undo.
 */
import type { CategoryDto } from '../../../schema/wire/customer.ts';
import type { CustomerFilter } from '../../../schema/wire/customer-query.ts';
import type {
  BulkSet,
  CustomerBulkResultDto,
  CustomerCountDto,
  HandoverBody,
  HandoverDto,
  HandoverResultDto,
  HandoverUndoDto,
} from '../../../schema/wire/handover.ts';
import { filterParams } from './customers.ts';
import { type CreateOptions, type RequestOptions, request } from './http.ts';

const enc = encodeURIComponent;

export function handOver(userId: string, body: HandoverBody, opts: CreateOptions = {}): Promise<HandoverResultDto> {
  return request<HandoverResultDto>('POST', `/api/users/${enc(userId)}/handover`, body, opts);
}

export async function getHandover(id: string): Promise<HandoverDto> {
  return (await request<{ handover: HandoverDto }>('GET', `/api/handovers/${enc(id)}`)).handover;
}

export function undoHandover(id: string): Promise<HandoverUndoDto> {
  return request<HandoverUndoDto>('POST', `/api/handovers/${enc(id)}/undo`, {});
}

export function bulkEditCustomers(
  selection: { ids: string[] } | { filter: CustomerFilter },
  set: BulkSet,
  opts: CreateOptions = {},
): Promise<CustomerBulkResultDto> {
  const body = 'ids' in selection ? { ids: selection.ids, set } : { filter: withoutSort(selection.filter), set };
  return request<CustomerBulkResultDto>('POST', '/api/customers/bulk', body, opts);
}

export function countCustomers(filter: CustomerFilter, opts?: RequestOptions): Promise<CustomerCountDto> {
  const query = filterParams(withoutSort(filter)).toString();
  return request<CustomerCountDto>('GET', `/api/customers/count${query ? `?${query}` : ''}`, undefined, opts);
}

/** A team's customer categories (admins name the team). */
export async function teamCategories(teamId: string): Promise<CategoryDto[]> {
  return (await request<{ items: CategoryDto[] }>('GET', `/api/customer-categories?teamId=${enc(teamId)}`)).items;
}

function withoutSort(filter: CustomerFilter): CustomerFilter {
  const { sort: _, ...rest } = filter;
  return rest;
}

/** How often a running operation's progress is fetched. */
export const PROGRESS_POLL_MS = 800;

/** Follows a running operation until it is done or failed, reporting each step of progress. */
export async function untilFinished(start: HandoverDto, onProgress: (h: HandoverDto) => void, signal?: AbortSignal): Promise<HandoverDto> {
  let current = start;
  while (current.status === 'running') {
    await new Promise((r) => setTimeout(r, PROGRESS_POLL_MS));
    if (signal?.aborted) return current;
    current = await getHandover(current.id);
    onProgress(current);
  }
  return current;
}
