/** Opportunities, quotes and orders as the HTTP API shows them (DESIGN.md: `POST /api/opportunities`). */
import { z } from 'zod';
import { isoDateSchema } from './dates.ts';
import { CUSTOM_VALUES_PER_REQUEST_MAX } from './customer.ts';
import { customerFilterSchema } from './customer-query.ts';
import { isValidAmount, LOST_REASON_MAX, OPPORTUNITY_AMOUNT_MAX, OPPORTUNITY_NAME_MAX, type StageKind } from './board.ts';

export type OpportunityStatus = StageKind;

export interface OpportunityDto {
  id: string;
  pipelineId: string;
  teamId: string;
  customerId: string;
  name: string;
  amount: number;
  currency: string;
  expectedCloseDate: string | null;
  stageId: string;
  ownerId: string | null;
  rank: string;
  status: OpportunityStatus;
  lostReason: string | null;
  closedAt: string | null;
  /** Custom field values by key (docs/custom-fields.md, "Opportunities"). */
  custom: Record<string, unknown>;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface StageHistoryDto {
  id: number;
  fromStageId: string | null;
  toStageId: string;
  enteredAt: string;
  leftAt: string | null;
  movedBy: string | null;
}

/** A calendar date, YYYY-MM-DD, that exists (schema/wire/dates.ts). */
export const isoDate = isoDateSchema;

export const amountSchema = z
  .number()
  .finite()
  .min(0)
  .max(OPPORTUNITY_AMOUNT_MAX)
  .refine(isValidAmount, 'At most two decimals');

export const currencySchema = z.string().regex(/^[A-Z]{3}$/, 'An ISO 4217 code such as CNY');

export const createOpportunityBody = z.strictObject({
  customerId: z.string().uuid(),
  name: z.string().trim().min(1).max(OPPORTUNITY_NAME_MAX),
  amount: amountSchema,
  currency: currencySchema.optional(),
  expectedCloseDate: isoDate.nullable().optional(),
  /** A stage of a pipeline the team uses; the first stage of the team's first pipeline when absent. */
  stageId: z.string().uuid().optional(),
  /** Managers and admins may name anyone of the team; reps only themselves. Defaults to the creator. */
  ownerId: z.string().uuid().nullable().optional(),
  lostReason: z.string().trim().min(1).max(LOST_REASON_MAX).optional(),
  /** Custom field values by key; every required field of the team needs one (checked by the service). */
  custom: z
    .record(z.string().max(40), z.unknown())
    .refine((r) => Object.keys(r).length <= CUSTOM_VALUES_PER_REQUEST_MAX, `at most ${CUSTOM_VALUES_PER_REQUEST_MAX} values`)
    .optional(),
});
export type CreateOpportunityInput = z.infer<typeof createOpportunityBody>;

export const updateOpportunityBody = z.strictObject({
  name: z.string().trim().min(1).max(OPPORTUNITY_NAME_MAX).optional(),
  amount: amountSchema.optional(),
  currency: currencySchema.optional(),
  expectedCloseDate: isoDate.nullable().optional(),
  /** A stage of the same pipeline. Moving to a lost stage needs `lostReason`; moving to an open stage reopens. */
  stageId: z.string().uuid().optional(),
  ownerId: z.string().uuid().nullable().optional(),
  lostReason: z.string().trim().min(1).max(LOST_REASON_MAX).nullable().optional(),
  /** Place the card right after this card of the target stage; null = top of the column. */
  after: z.string().uuid().nullable().optional(),
  /** Custom field values by key; null clears one (checked against the definitions by the service). */
  custom: z
    .record(z.string().max(40), z.unknown())
    .refine((r) => Object.keys(r).length <= CUSTOM_VALUES_PER_REQUEST_MAX, `at most ${CUSTOM_VALUES_PER_REQUEST_MAX} values`)
    .optional(),
});
export type UpdateOpportunityInput = z.infer<typeof updateOpportunityBody>;

export const listOpportunitiesQuery = z.strictObject({
  pipelineId: z.string().uuid().optional(),
  ownerId: z.string().uuid().optional(),
  customerId: z.string().uuid().optional(),
  stageId: z.string().uuid().optional(),
  status: z.enum(['open', 'won', 'lost']).optional(),
  /** YYYY-MM: expected close date in that month. */
  closeMonth: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Use YYYY-MM').optional(),
  limit: z.coerce.number().int().min(1).max(5000).optional(),
});
export type ListOpportunitiesQuery = z.infer<typeof listOpportunitiesQuery>;

/** `GET /api/opportunities/export.csv|.xlsx`: the list's filters (no limit) and `custom.<key>=a,b` filters. */
export const exportOpportunitiesQuery = listOpportunitiesQuery.omit({ limit: true }).extend({
  /** A user's id, or `none` for unowned opportunities (as the board's owner filter). */
  ownerId: z.union([z.string().uuid(), z.literal('none')]).optional(),
  custom: customerFilterSchema.shape.custom,
});
export type ExportOpportunitiesQuery = z.infer<typeof exportOpportunitiesQuery>;

// ---------------------------------------------------------------------------
// Quotes

export const QUOTE_STATUSES = ['draft', 'sent', 'accepted', 'rejected'] as const;
export type QuoteStatus = (typeof QUOTE_STATUSES)[number];
export const QUOTE_ITEMS_MAX = 200;
export const QUOTE_TEXT_MAX = 500;
export const QUOTE_NOTES_MAX = 4000;

export interface QuoteItemDto {
  description: string;
  quantity: number;
  unitPrice: number;
  /** Percent off this line, 0–100. */
  discountPercent: number;
  /** quantity × unitPrice × (1 − discount), rounded to cents. */
  lineTotal: number;
}

export interface QuoteDto {
  id: string;
  opportunityId: string;
  customerId: string;
  title: string;
  status: QuoteStatus;
  currency: string;
  items: QuoteItemDto[];
  /** Percent, 0–100, applied to the subtotal. */
  taxPercent: number;
  subtotal: number;
  tax: number;
  total: number;
  validUntil: string | null;
  notes: string;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

const quoteItem = z.strictObject({
  description: z.string().trim().min(1).max(QUOTE_TEXT_MAX),
  quantity: z.number().finite().positive().max(1_000_000_000),
  unitPrice: amountSchema,
  discountPercent: z.number().finite().min(0).max(100).optional(),
});
export type QuoteItemInput = z.infer<typeof quoteItem>;

export const createQuoteBody = z.strictObject({
  title: z.string().trim().min(1).max(QUOTE_TEXT_MAX),
  currency: currencySchema.optional(),
  items: z.array(quoteItem).max(QUOTE_ITEMS_MAX),
  taxPercent: z.number().finite().min(0).max(100).optional(),
  validUntil: isoDate.nullable().optional(),
  notes: z.string().max(QUOTE_NOTES_MAX).optional(),
});
export type CreateQuoteInput = z.infer<typeof createQuoteBody>;

export const updateQuoteBody = z.strictObject({
  title: z.string().trim().min(1).max(QUOTE_TEXT_MAX).optional(),
  currency: currencySchema.optional(),
  items: z.array(quoteItem).max(QUOTE_ITEMS_MAX).optional(),
  taxPercent: z.number().finite().min(0).max(100).optional(),
  validUntil: isoDate.nullable().optional(),
  notes: z.string().max(QUOTE_NOTES_MAX).optional(),
  status: z.enum(QUOTE_STATUSES).optional(),
});
export type UpdateQuoteInput = z.infer<typeof updateQuoteBody>;

// ---------------------------------------------------------------------------
// Orders (one per opportunity, from its accepted quote)

export const ORDER_STATUSES = ['confirmed', 'delivered', 'invoiced', 'paid', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/**
 * The status changes an order allows: forward along confirmed → delivered → invoiced → paid
 * (a step may be skipped: an invoice before delivery), or cancelled before it is paid.
 * Paid and cancelled orders are final.
 */
export function canChangeOrderStatus(from: OrderStatus, to: OrderStatus): boolean {
  if (from === to) return true;
  if (from === 'paid' || from === 'cancelled') return false;
  if (to === 'cancelled') return true;
  const chain: readonly OrderStatus[] = ['confirmed', 'delivered', 'invoiced', 'paid'];
  return chain.indexOf(to) > chain.indexOf(from);
}

export interface OrderDto {
  id: string;
  opportunityId: string;
  customerId: string;
  /** The contract number, unique per team. */
  contractNumber: string;
  amount: number;
  currency: string;
  signedOn: string;
  status: OrderStatus;
  quoteId: string | null;
  notes: string;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export const createOrderBody = z.strictObject({
  contractNumber: z.string().trim().min(1).max(60),
  /** Defaults to the accepted quote's total. */
  amount: amountSchema.optional(),
  currency: currencySchema.optional(),
  signedOn: isoDate,
  /** The accepted quote the order comes from: an order exists only for an accepted quote. */
  quoteId: z.string().uuid(),
  notes: z.string().max(QUOTE_NOTES_MAX).optional(),
});
export type CreateOrderInput = z.infer<typeof createOrderBody>;

export const updateOrderBody = z.strictObject({
  contractNumber: z.string().trim().min(1).max(60).optional(),
  amount: amountSchema.optional(),
  currency: currencySchema.optional(),
  signedOn: isoDate.optional(),
  status: z.enum(ORDER_STATUSES).optional(),
  notes: z.string().max(QUOTE_NOTES_MAX).optional(),
});
export type UpdateOrderInput = z.infer<typeof updateOrderBody>;

// ---------------------------------------------------------------------------
// Funnel (DESIGN.md: `GET /api/reports/funnel?pipelineId=…`)

export interface FunnelStageDto {
  stageId: string;
  name: string;
  nameZh: string | null;
  kind: StageKind;
  probability: number;
  count: number;
  amount: number;
}
export interface FunnelDto {
  pipelineId: string;
  /** The currency of the stages' amounts (`?currency=`, default CNY); counts take every deal. */
  currency?: string;
  /** The currencies of the deals on the board in the reader's scope. */
  currencies?: string[];
  stages: FunnelStageDto[];
}
