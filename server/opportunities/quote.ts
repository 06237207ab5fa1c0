/** Quote arithmetic and DTOs. Pure: amounts are summed in cents. */
import type { QuoteRow } from '../../schema/tables/opportunity.table.ts';
import type { QuoteDto, QuoteItemDto, QuoteItemInput, QuoteStatus } from '../../schema/wire/opportunity.ts';
import { amountOf } from './opportunity.ts';

const cents = (n: number) => Math.round(n * 100);

export interface QuoteTotals {
  items: QuoteItemDto[];
  subtotal: number;
  tax: number;
  total: number;
}

/** Line totals (quantity × unit price less the line discount), subtotal, tax on the subtotal, and total. */
export function quoteTotals(items: readonly QuoteItemInput[], taxPercent: number): QuoteTotals {
  let subtotalCents = 0;
  const lines = items.map((i): QuoteItemDto => {
    const discountPercent = i.discountPercent ?? 0;
    const lineCents = Math.round(cents(i.unitPrice) * i.quantity * (1 - discountPercent / 100));
    subtotalCents += lineCents;
    return { description: i.description, quantity: i.quantity, unitPrice: i.unitPrice, discountPercent, lineTotal: lineCents / 100 };
  });
  const taxCents = Math.round((subtotalCents * taxPercent) / 100);
  return { items: lines, subtotal: subtotalCents / 100, tax: taxCents / 100, total: (subtotalCents + taxCents) / 100 };
}

/** Which status changes a quote allows: drafts are sent, sent quotes are answered, answers can be reopened as drafts. */
export function canChangeQuoteStatus(from: QuoteStatus, to: QuoteStatus): boolean {
  if (from === to) return true;
  switch (from) {
    case 'draft':
      return to === 'sent';
    case 'sent':
      return to === 'accepted' || to === 'rejected' || to === 'draft';
    case 'accepted':
    case 'rejected':
      return to === 'draft';
    default: {
      const never: never = from;
      return never;
    }
  }
}

/** Items may change only while a quote is a draft. */
export const quoteIsEditable = (status: QuoteStatus) => status === 'draft';

function parseItems(raw: unknown): QuoteItemDto[] {
  const v = typeof raw === 'string' ? (JSON.parse(raw) as unknown) : raw;
  return Array.isArray(v) ? (v as QuoteItemDto[]) : [];
}

export const toQuoteDto = (r: QuoteRow): QuoteDto => ({
  id: r.id,
  opportunityId: r.opportunity_id,
  customerId: r.customer_id,
  title: r.title,
  status: r.status,
  currency: r.currency,
  items: parseItems(r.items),
  taxPercent: amountOf(r.tax_percent),
  subtotal: amountOf(r.subtotal),
  tax: amountOf(r.tax),
  total: amountOf(r.total),
  validUntil: r.valid_until,
  notes: r.notes,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});
