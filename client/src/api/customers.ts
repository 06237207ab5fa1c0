/**
 * Customers, contacts, tags, categories, saved filters, imports and exports
 * (docs/customers.md gives the routes). Plain functions over `request()`.
 */
import type {
  CategoryDto,
  ContactDto,
  CreateContactBody,
  CreateCustomerBody,
  CustomerDto,
  CustomerListDto,
  DuplicateCandidateDto,
  HistoryEntryDto,
  UpdateContactBody,
  UpdateCustomerBody,
} from '../../../schema/wire/customer.ts';
import type { ImportDto, ImportEncoding, ImportFieldMode, ImportMatchKey, ImportTarget } from '../../../schema/wire/customer-import.ts';
import { CONTACT_CUSTOM_FILTER_PREFIX, CUSTOM_FILTER_PREFIX, type CustomerFilter, type SavedFilterDto } from '../../../schema/wire/customer-query.ts';
import type { OpportunityDto } from '../../../schema/wire/opportunity.ts';
import type { TaskDto, TaskListDto } from '../../../schema/wire/tasks.ts';
import { ApiError, type CreateOptions, type RequestOptions, request, requestHeaders, unreachable } from './http.ts';

const enc = encodeURIComponent;

/** The filter as URL parameters: lists comma-joined, empty values left out. */
export function filterParams(filter: CustomerFilter): URLSearchParams {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined || value === null || value === '') continue;
    if (key === 'custom' || key === 'contactCustom') {
      // `custom.<key>=a,b`, `contact.custom.<key>=a,b` (docs/custom-fields.md)
      const prefix = key === 'custom' ? CUSTOM_FILTER_PREFIX : CONTACT_CUSTOM_FILTER_PREFIX;
      for (const [k, vs] of Object.entries(value as Record<string, string[]>)) if (vs.length > 0) params.set(`${prefix}${k}`, vs.join(','));
    } else if (Array.isArray(value)) {
      if (value.length > 0) params.set(key, value.join(','));
    } else params.set(key, String(value));
  }
  return params;
}

export function listCustomers(filter: CustomerFilter, page: { limit: number; cursor?: string | null }, opts?: RequestOptions): Promise<CustomerListDto> {
  const params = filterParams(filter);
  params.set('limit', String(page.limit));
  if (page.cursor) params.set('cursor', page.cursor);
  return request<CustomerListDto>('GET', `/api/customers?${params}`, undefined, opts);
}

/** Where the browser downloads the current filtered list, or its customers' contacts. */
export function exportUrl(filter: CustomerFilter, format: 'csv' | 'xlsx', rows: 'customers' | 'contacts' = 'customers'): string {
  const { sort: _sort, ...rest } = filter;
  const params = filterParams(filter.sort ? filter : rest);
  const query = params.toString();
  return `/api/customers/${rows === 'contacts' ? 'contacts-export' : 'export'}.${format}${query ? `?${query}` : ''}`;
}

export async function getCustomer(id: string, opts?: RequestOptions): Promise<CustomerDto> {
  return (await request<{ customer: CustomerDto }>('GET', `/api/customers/${enc(id)}`, undefined, opts)).customer;
}

export type CreateCustomerResult = { kind: 'created'; customer: CustomerDto } | { kind: 'duplicates'; candidates: DuplicateCandidateDto[] };

/** Creates a customer; likely duplicates come back as candidates (409) unless `confirm` is set. */
export async function createCustomer(body: CreateCustomerBody, opts: CreateOptions = {}): Promise<CreateCustomerResult> {
  const outbox = { kind: 'customer', label: body.name } as const;
  const res = await fetch('/api/customers', {
    method: 'POST',
    credentials: 'same-origin',
    headers: requestHeaders(true, opts),
    body: JSON.stringify(body),
  }).catch(async (e: Error) => {
    throw await unreachable('POST', '/api/customers', body, { ...opts, outbox }, e.message);
  });
  if (res.status === 409) {
    const data = (await res.json().catch(() => null)) as { candidates?: DuplicateCandidateDto[] } | null;
    if (data?.candidates) return { kind: 'duplicates', candidates: data.candidates };
  }
  if (res.ok) return { kind: 'created', customer: ((await res.json()) as { customer: CustomerDto }).customer };
  // Let the shared wrapper turn the error body into an ApiError (and announce 401s).
  const text = await res.text();
  return Promise.reject(await errorFrom(res.status, text));
}

async function errorFrom(status: number, text: string): Promise<ApiError> {
  try {
    const data = JSON.parse(text) as { error?: { code: ApiError['code']; message: string; field?: string } };
    if (data.error) return new ApiError(data.error.code, status, data.error.message, data.error.field);
  } catch {
    // not JSON
  }
  return new ApiError('internal', status, `HTTP ${status}`);
}

export async function findDuplicates(q: { name?: string; phone?: string; email?: string }, opts?: RequestOptions): Promise<DuplicateCandidateDto[]> {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v) params.set(k, v);
  return (await request<{ candidates: DuplicateCandidateDto[] }>('GET', `/api/customers/duplicates?${params}`, undefined, opts)).candidates;
}

export async function updateCustomer(id: string, body: UpdateCustomerBody): Promise<CustomerDto> {
  return (await request<{ customer: CustomerDto }>('PATCH', `/api/customers/${enc(id)}`, body)).customer;
}

export async function setArchived(id: string, archived: boolean): Promise<CustomerDto> {
  return (await request<{ customer: CustomerDto }>('POST', `/api/customers/${enc(id)}/${archived ? 'archive' : 'restore'}`)).customer;
}

export function customerHistory(id: string, before?: number | null): Promise<{ items: HistoryEntryDto[]; nextBefore: number | null }> {
  const params = new URLSearchParams({ limit: '50' });
  if (before) params.set('before', String(before));
  return request('GET', `/api/customers/${enc(id)}/history?${params}`);
}

export async function listContacts(customerId: string): Promise<ContactDto[]> {
  return (await request<{ items: ContactDto[] }>('GET', `/api/customers/${enc(customerId)}/contacts`)).items;
}

export async function createContact(customerId: string, body: CreateContactBody, opts: CreateOptions = {}): Promise<ContactDto> {
  const outbox = { kind: 'contact', label: body.name } as const;
  return (await request<{ contact: ContactDto }>('POST', `/api/customers/${enc(customerId)}/contacts`, body, { ...opts, outbox })).contact;
}

export async function updateContact(id: string, body: UpdateContactBody): Promise<ContactDto> {
  return (await request<{ contact: ContactDto }>('PATCH', `/api/contacts/${enc(id)}`, body)).contact;
}

export async function archiveContact(id: string): Promise<ContactDto> {
  return (await request<{ contact: ContactDto }>('DELETE', `/api/contacts/${enc(id)}`)).contact;
}

export async function suggestTags(q: string, opts?: RequestOptions): Promise<string[]> {
  const items = (await request<{ items: (string | { tag: string })[] }>('GET', `/api/tags?q=${enc(q)}`, undefined, opts)).items;
  return items.map((t) => (typeof t === 'string' ? t : t.tag));
}

export async function listCategories(): Promise<CategoryDto[]> {
  return (await request<{ items: CategoryDto[] }>('GET', '/api/customer-categories')).items;
}

export async function listSavedFilters(): Promise<SavedFilterDto[]> {
  return (await request<{ items: SavedFilterDto[] }>('GET', '/api/saved-filters')).items;
}

export async function saveFilter(name: string, query: CustomerFilter, opts: CreateOptions = {}): Promise<SavedFilterDto> {
  return (await request<{ savedFilter: SavedFilterDto }>('POST', '/api/saved-filters', { name, query }, opts)).savedFilter;
}

export function deleteSavedFilter(id: string): Promise<void> {
  return request('DELETE', `/api/saved-filters/${enc(id)}`);
}

export interface ImportRequest {
  file: File;
  /** Column header → field (or "ignore"); absent: the server recognises known headers. */
  mapping?: Record<string, string> | undefined;
  encoding: ImportEncoding;
  dryRun: boolean;
  confirm: boolean;
  /** Customers (default) or leads. */
  target?: ImportTarget | undefined;
  /** An Excel book's sheet (default: the first). */
  sheet?: string | undefined;
  /** Update the customers matched by this key; absent: every row is created. */
  matchBy?: ImportMatchKey | undefined;
  /** Per field of a matched customer; fields not named take `mode`. */
  modes?: Record<string, ImportFieldMode> | undefined;
  mode?: ImportFieldMode | undefined;
}

/**
 * Uploads a CSV or Excel file: a dry run answers the preview; a real import answers the import
 * (running or done). The file is the raw body and the options URL parameters, so the server
 * streams it into storage (the larger cap, IMPORT_MAX_BYTES, applies rather than the form's).
 */
export async function startImport(req: ImportRequest): Promise<ImportDto> {
  const params = new URLSearchParams({
    encoding: req.encoding,
    dryRun: req.dryRun ? '1' : '0',
    confirm: req.confirm ? '1' : '0',
    fileName: req.file.name,
  });
  if (req.target) params.set('target', req.target);
  if (req.sheet) params.set('sheet', req.sheet);
  if (req.mapping) params.set('mapping', JSON.stringify(req.mapping));
  if (req.matchBy) {
    params.set('matchBy', req.matchBy);
    if (req.modes && Object.keys(req.modes).length > 0) params.set('modes', JSON.stringify(req.modes));
    if (req.mode) params.set('mode', req.mode);
  }
  let res: Response;
  try {
    res = await fetch(`/api/customers/import?${params}`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { accept: 'application/json', 'content-type': 'application/octet-stream' },
      body: req.file,
    });
  } catch (e) {
    throw new ApiError('network', 0, (e as Error).message);
  }
  const text = await res.text();
  if (!res.ok) throw await errorFrom(res.status, text);
  return (JSON.parse(text) as { import: ImportDto }).import;
}

/** An import job; `report: false` asks for the counts only (progress polls). */
export async function getImport(id: string, opts: { report?: boolean } = {}): Promise<ImportDto> {
  return (await request<{ import: ImportDto }>('GET', `/api/imports/${enc(id)}${opts.report === false ? '?report=none' : ''}`)).import;
}

/** Undoes an import: `archived` customers it created, `restored` customers it updated. */
export async function undoImport(id: string): Promise<{ import: ImportDto; archived: number; restored: number; followupsRemoved: number }> {
  return request('POST', `/api/imports/${enc(id)}/undo`);
}

/** The customer's opportunities (the pipeline's API), for the 360° page. */
export async function customerOpportunities(customerId: string): Promise<OpportunityDto[]> {
  return (await request<{ items: OpportunityDto[] }>('GET', `/api/opportunities?customerId=${enc(customerId)}`)).items;
}

/** The team's open tasks about the customer, for the 360° page. */
export async function customerOpenTasks(customerId: string): Promise<TaskDto[]> {
  return (await request<TaskListDto>('GET', `/api/tasks?scope=team&status=open&customerId=${enc(customerId)}`)).items;
}
