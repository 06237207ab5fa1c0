/** Quotes of an opportunity: line items, totals, status. */
import type { QuoteRow } from '../../schema/tables/opportunity.table.ts';
import type { CreateQuoteInput, UpdateQuoteInput } from '../../schema/wire/opportunity.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import type { AppContext } from '../context.ts';
import { conflict, notFound } from '../http/app-error.ts';
import type { User } from '../users/user.ts';
import { readScope } from '../../schema/policy/scope.ts';
import { inScope } from '../db/scope.ts';
import { visibleOpportunity, writableOpportunity } from './opportunity.service.ts';
import { canChangeQuoteStatus, quoteIsEditable, quoteTotals } from './quote.ts';

export async function listQuotes(ctx: AppContext, user: User, opportunityId: string): Promise<QuoteRow[]> {
  await visibleOpportunity(ctx, user, opportunityId);
  return ctx.db.selectFrom('quotes').selectAll().where('opportunity_id', '=', opportunityId).orderBy('created_at').orderBy('id').execute();
}

/** Quotes of a customer's opportunities (the customer's 360° page); team-scoped for non-admins. */
export async function listCustomerQuotes(ctx: AppContext, user: User, customerId: string): Promise<QuoteRow[]> {
  const scope = readScope(user, 'opportunity');
  if (scope.kind === 'none') return [];
  const q = ctx.db
    .selectFrom('quotes')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where(inScope(scope, { team: 'quotes.team_id' }));
  return q.orderBy('created_at', 'desc').orderBy('id').limit(500).execute();
}

export async function createQuote(ctx: AppContext, user: User, opportunityId: string, input: CreateQuoteInput): Promise<QuoteRow> {
  const opp = await writableOpportunity(ctx, user, opportunityId);
  const taxPercent = input.taxPercent ?? 0;
  const totals = quoteTotals(input.items, taxPercent);
  const created = await ctx.db.transaction().execute(async (trx) => {
    const now = ctx.now();
    const row = await trx
      .insertInto('quotes')
      .values({
        opportunity_id: opp.id,
        team_id: opp.team_id,
        customer_id: opp.customer_id,
        title: input.title,
        currency: input.currency ?? opp.currency,
        items: JSON.stringify(totals.items),
        tax_percent: taxPercent,
        subtotal: totals.subtotal,
        tax: totals.tax,
        total: totals.total,
        valid_until: input.validUntil ?? null,
        notes: input.notes ?? '',
        created_by: user.id,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordAudit(trx, { actor_id: user.id, team_id: opp.team_id, action: 'quote.create', entity_type: 'quote', entity_id: row.id, changes: { opportunityId, total: totals.total } });
    return row;
  });
  announceQuote(ctx, created);
  return created;
}

/** Tells the team's open pages (the customer's opportunities with their quotes) that a quote changed; after commit. */
function announceQuote(ctx: AppContext, row: QuoteRow): void {
  ctx.notifier.teamEvent(row.team_id, 'deal:changed', { kind: 'quote', id: row.id, customerId: row.customer_id, opportunityId: row.opportunity_id });
}

export async function updateQuote(ctx: AppContext, user: User, opportunityId: string, quoteId: string, input: UpdateQuoteInput): Promise<QuoteRow> {
  const opp = await writableOpportunity(ctx, user, opportunityId);
  const updated = await ctx.db.transaction().execute(async (trx) => {
    const q = await trx.selectFrom('quotes').selectAll().where('id', '=', quoteId).where('opportunity_id', '=', opp.id).forUpdate().executeTakeFirst();
    if (!q) throw notFound('No such quote');
    const status = input.status ?? q.status;
    if (!canChangeQuoteStatus(q.status, status)) throw conflict(`A ${q.status} quote cannot become ${status}`, 'status');
    const editsContent = input.items !== undefined || input.taxPercent !== undefined || input.currency !== undefined;
    if (editsContent && !quoteIsEditable(q.status)) throw conflict('Only a draft quote changes its items, tax or currency', 'items');
    const now = ctx.now();
    const set: Record<string, unknown> = { status, updated_at: now };
    if (input.title !== undefined) set.title = input.title;
    if (input.currency !== undefined) set.currency = input.currency;
    if (input.validUntil !== undefined) set.valid_until = input.validUntil;
    if (input.notes !== undefined) set.notes = input.notes;
    if (input.items !== undefined || input.taxPercent !== undefined) {
      const taxPercent = input.taxPercent ?? Number(q.tax_percent);
      const items = input.items ?? (JSON.parse(typeof q.items === 'string' ? q.items : JSON.stringify(q.items)) as CreateQuoteInput['items']);
      const totals = quoteTotals(items, taxPercent);
      Object.assign(set, { items: JSON.stringify(totals.items), tax_percent: taxPercent, subtotal: totals.subtotal, tax: totals.tax, total: totals.total });
    }
    const row = await trx.updateTable('quotes').set(set).where('id', '=', quoteId).returningAll().executeTakeFirstOrThrow();
    await recordAudit(trx, { actor_id: user.id, team_id: opp.team_id, action: 'quote.update', entity_type: 'quote', entity_id: quoteId, changes: { ...input, ...(input.status ? { status: [q.status, status] } : {}) } });
    return row;
  });
  announceQuote(ctx, updated);
  return updated;
}

/** One quote with the names its printed page shows; 404 unless its opportunity is visible to the user. */
export async function findQuoteForPrint(ctx: AppContext, user: User, quoteId: string): Promise<{ quote: QuoteRow; opportunityName: string; customerName: string }> {
  const quote = await ctx.db.selectFrom('quotes').selectAll().where('id', '=', quoteId).executeTakeFirst();
  if (!quote) throw notFound('No such quote');
  const opp = await visibleOpportunity(ctx, user, quote.opportunity_id).catch(() => {
    throw notFound('No such quote');
  });
  const customer = await ctx.db.selectFrom('customers').select('name').where('id', '=', quote.customer_id).executeTakeFirst();
  return { quote, opportunityName: opp.name, customerName: customer?.name ?? '' };
}
