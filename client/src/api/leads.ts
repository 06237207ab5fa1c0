/** Leads and the leads report (docs/leads.md gives the routes). Plain functions over `request()`. */
import type { ContactDto, CustomerDto, DuplicateCandidateDto, HistoryEntryDto } from '../../../schema/wire/customer.ts';
import type { ConvertLeadBody, CreateLeadBody, LeadDto, LeadListDto, LeadReportDto, LeadStatus, UpdateLeadBody } from '../../../schema/wire/lead.ts';
import type { OpportunityDto } from '../../../schema/wire/opportunity.ts';
import { ApiError, type CreateOptions, type RequestOptions, request, requestHeaders } from './http.ts';

const enc = encodeURIComponent;

export interface LeadListFilter {
  q?: string;
  status?: LeadStatus | '';
  source?: string;
  ownerId?: string;
}

export function listLeads(filter: LeadListFilter, page: { limit: number; cursor?: string | null }, opts?: RequestOptions): Promise<LeadListDto> {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) if (v) params.set(k, String(v));
  params.set('limit', String(page.limit));
  if (page.cursor) params.set('cursor', page.cursor);
  return request<LeadListDto>('GET', `/api/leads?${params}`, undefined, opts);
}

export async function getLead(id: string, opts?: RequestOptions): Promise<LeadDto> {
  return (await request<{ lead: LeadDto }>('GET', `/api/leads/${enc(id)}`, undefined, opts)).lead;
}

export async function createLead(body: CreateLeadBody, opts: CreateOptions = {}): Promise<LeadDto> {
  const outbox = { kind: 'lead', label: body.name } as const;
  return (await request<{ lead: LeadDto }>('POST', '/api/leads', body, { ...opts, outbox })).lead;
}

export async function updateLead(id: string, body: UpdateLeadBody): Promise<LeadDto> {
  return (await request<{ lead: LeadDto }>('PATCH', `/api/leads/${enc(id)}`, body)).lead;
}

export async function leadHistory(id: string): Promise<HistoryEntryDto[]> {
  return (await request<{ items: HistoryEntryDto[] }>('GET', `/api/leads/${enc(id)}/history`)).items;
}

export type ConvertLeadResult =
  | { kind: 'converted'; customer: CustomerDto; contact: ContactDto; opportunity?: OpportunityDto }
  | { kind: 'duplicates'; candidates: DuplicateCandidateDto[] };

/** Converts a lead; likely duplicate customers come back as candidates (409) unless `confirm` is set. */
export async function convertLead(id: string, body: ConvertLeadBody, opts: CreateOptions = {}): Promise<ConvertLeadResult> {
  const res = await fetch(`/api/leads/${enc(id)}/convert`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: requestHeaders(true, opts),
    body: JSON.stringify(body),
  }).catch((e: Error) => {
    throw new ApiError('network', 0, e.message);
  });
  const data = (await res.json().catch(() => null)) as
    | { customer: CustomerDto; contact: ContactDto; opportunity?: OpportunityDto }
    | { candidates?: DuplicateCandidateDto[]; error?: { code: ApiError['code']; message: string; field?: string } }
    | null;
  if (res.ok && data && 'customer' in data) return { kind: 'converted', ...data };
  if (res.status === 409 && data && 'candidates' in data && data.candidates) return { kind: 'duplicates', candidates: data.candidates };
  const error = data && 'error' in data ? data.error : undefined;
  throw new ApiError(error?.code ?? 'internal', res.status, error?.message ?? `HTTP ${res.status}`, error?.field);
}

export function leadReport(period: { from?: string; to?: string }, opts?: RequestOptions): Promise<LeadReportDto> {
  const params = new URLSearchParams();
  if (period.from) params.set('from', period.from);
  if (period.to) params.set('to', period.to);
  return request<LeadReportDto>('GET', `/api/reports/leads?${params}`, undefined, opts);
}
