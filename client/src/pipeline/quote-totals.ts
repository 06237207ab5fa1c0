/**
 * Quote arithmetic as the server computes it (schema/wire/opportunity.ts):
 * line = quantity × unit price × (1 − discount), rounded to cents; tax on
 * the subtotal. Used to show totals while a quote is being written.
 */
export interface QuoteLine {
  description: string;
  quantity: number;
  unitPrice: number;
  discountPercent: number;
}

const cents = (n: number) => Math.round(n * 100) / 100;

export function lineTotal(l: QuoteLine): number {
  if (!Number.isFinite(l.quantity) || !Number.isFinite(l.unitPrice)) return 0;
  return cents(l.quantity * l.unitPrice * (1 - (Number.isFinite(l.discountPercent) ? l.discountPercent : 0) / 100));
}

export function quoteTotals(lines: readonly QuoteLine[], taxPercent: number): { subtotal: number; tax: number; total: number } {
  const subtotal = cents(lines.reduce((sum, l) => sum + lineTotal(l), 0));
  const tax = cents((subtotal * (Number.isFinite(taxPercent) ? taxPercent : 0)) / 100);
  return { subtotal, tax, total: cents(subtotal + tax) };
}
