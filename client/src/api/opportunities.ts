/** Opportunities, their quotes and their order: plain functions over `/api/opportunities`. */
import type {
  CreateOpportunityInput,
  CreateOrderInput,
  CreateQuoteInput,
  OpportunityDto,
  OrderDto,
  QuoteDto,
  StageHistoryDto,
  UpdateOpportunityInput,
  UpdateQuoteInput,
} from '../../../schema/wire/opportunity.ts';
import { type CreateOptions, request } from './http.ts';

const base = (id: string) => `/api/opportunities/${encodeURIComponent(id)}`;

/** The board's filters as an export's (docs/pipeline.md, "Export"): its pipeline, owner (`none`: unowned) and close month. */
export function opportunityExportUrl(f: { pipelineId: string; ownerId: string | null; closeMonth: string | null }, format: 'csv' | 'xlsx'): string {
  const params = new URLSearchParams({ pipelineId: f.pipelineId });
  if (f.ownerId) params.set('ownerId', f.ownerId);
  if (f.closeMonth) params.set('closeMonth', f.closeMonth);
  return `/api/opportunities/export.${format}?${params}`;
}

export async function createOpportunity(body: CreateOpportunityInput, opts: CreateOptions = {}): Promise<OpportunityDto> {
  return (await request<{ opportunity: OpportunityDto }>('POST', '/api/opportunities', body, opts)).opportunity;
}

export async function getOpportunity(id: string): Promise<{ opportunity: OpportunityDto; stageHistory: StageHistoryDto[] }> {
  return request('GET', base(id));
}

export async function updateOpportunity(id: string, body: UpdateOpportunityInput): Promise<OpportunityDto> {
  return (await request<{ opportunity: OpportunityDto }>('PATCH', base(id), body)).opportunity;
}

export async function listQuotes(id: string): Promise<QuoteDto[]> {
  return (await request<{ items: QuoteDto[] }>('GET', `${base(id)}/quotes`)).items;
}

export async function createQuote(id: string, body: CreateQuoteInput, opts: CreateOptions = {}): Promise<QuoteDto> {
  return (await request<{ quote: QuoteDto }>('POST', `${base(id)}/quotes`, body, opts)).quote;
}

export async function updateQuote(id: string, quoteId: string, body: UpdateQuoteInput): Promise<QuoteDto> {
  return (await request<{ quote: QuoteDto }>('PATCH', `${base(id)}/quotes/${encodeURIComponent(quoteId)}`, body)).quote;
}

/** The opportunity's order, or null when it has none yet. */
export async function findOrder(id: string): Promise<OrderDto | null> {
  try {
    return (await request<{ order: OrderDto }>('GET', `${base(id)}/order`)).order;
  } catch (e) {
    if ((e as { status?: number }).status === 404) return null;
    throw e;
  }
}

export async function createOrder(id: string, body: CreateOrderInput, opts: CreateOptions = {}): Promise<OrderDto> {
  return (await request<{ order: OrderDto }>('POST', `${base(id)}/order`, body, opts)).order;
}
