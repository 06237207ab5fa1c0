/** The order of an opportunity: one per opportunity, made from its accepted quote; its status follows the fulfilment chain. */
import type { OrderRow } from '../../schema/tables/opportunity.table.ts';
import { type CreateOrderInput, canChangeOrderStatus, type OrderDto, type UpdateOrderInput } from '../../schema/wire/opportunity.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import type { AppContext } from '../context.ts';
import { badRequest, conflict, notFound } from '../http/app-error.ts';
import type { User } from '../users/user.ts';
import { readScope } from '../../schema/policy/scope.ts';
import { inScope } from '../db/scope.ts';
import { amountOf } from './opportunity.ts';
import { visibleOpportunity, writableOpportunity } from './opportunity.service.ts';

export const toOrderDto = (r: OrderRow): OrderDto => ({
  id: r.id,
  opportunityId: r.opportunity_id,
  customerId: r.customer_id,
  contractNumber: r.contract_number,
  amount: amountOf(r.amount),
  currency: r.currency,
  signedOn: r.signed_on,
  status: r.status,
  quoteId: r.quote_id,
  notes: r.notes,
  createdBy: r.created_by,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

export async function findOrder(ctx: AppContext, user: User, opportunityId: string): Promise<OrderRow> {
  await visibleOpportunity(ctx, user, opportunityId);
  const row = await ctx.db.selectFrom('orders').selectAll().where('opportunity_id', '=', opportunityId).executeTakeFirst();
  if (!row) throw notFound('This opportunity has no order yet');
  return row;
}

export async function listCustomerOrders(ctx: AppContext, user: User, customerId: string): Promise<OrderRow[]> {
  const scope = readScope(user, 'opportunity');
  if (scope.kind === 'none') return [];
  const q = ctx.db
    .selectFrom('orders')
    .selectAll()
    .where('customer_id', '=', customerId)
    .where(inScope(scope, { team: 'orders.team_id' }));
  return q.orderBy('signed_on', 'desc').orderBy('id').limit(500).execute();
}

const isUniqueViolation = (e: unknown) => (e as { code?: string }).code === '23505';

/** Tells the team's open pages (the customer's deals section) that an order changed; after commit. */
function announceOrder(ctx: AppContext, row: OrderRow): void {
  ctx.notifier.teamEvent(row.team_id, 'deal:changed', { kind: 'order', id: row.id, customerId: row.customer_id, opportunityId: row.opportunity_id });
}

export async function createOrder(ctx: AppContext, user: User, opportunityId: string, input: CreateOrderInput): Promise<OrderRow> {
  const opp = await writableOpportunity(ctx, user, opportunityId);
  if (opp.status === 'lost') throw conflict('A lost opportunity takes no order', 'opportunityId');
  try {
    const row = await ctx.db.transaction().execute(async (trx) => {
      // Locked, so the quote cannot be reopened as a draft while its order is being written.
      const quote = await trx
        .selectFrom('quotes')
        .select(['id', 'total', 'currency', 'status'])
        .where('id', '=', input.quoteId)
        .where('opportunity_id', '=', opp.id)
        .forUpdate()
        .executeTakeFirst();
      if (!quote) throw badRequest('No such quote for this opportunity', 'quoteId');
      if (quote.status !== 'accepted') throw conflict('An order comes from an accepted quote', 'quoteId');
      const amount = input.amount ?? amountOf(quote.total);
      const currency = input.currency ?? quote.currency;
      const now = ctx.now();
      const row = await trx
        .insertInto('orders')
        .values({
          opportunity_id: opp.id,
          team_id: opp.team_id,
          customer_id: opp.customer_id,
          contract_number: input.contractNumber,
          amount,
          currency,
          signed_on: input.signedOn,
          quote_id: quote.id,
          notes: input.notes ?? '',
          created_by: user.id,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, { actor_id: user.id, team_id: opp.team_id, action: 'order.create', entity_type: 'order', entity_id: row.id, changes: { opportunityId, contractNumber: input.contractNumber } });
      return row;
    });
    announceOrder(ctx, row);
    return row;
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict('The opportunity already has an order, or the contract number is taken', 'contractNumber');
    throw e;
  }
}

export async function updateOrder(ctx: AppContext, user: User, opportunityId: string, input: UpdateOrderInput): Promise<OrderRow> {
  await writableOpportunity(ctx, user, opportunityId);
  const current = await findOrder(ctx, user, opportunityId);
  try {
    const row = await ctx.db.transaction().execute(async (trx) => {
      const locked = await trx.selectFrom('orders').select('status').where('id', '=', current.id).forUpdate().executeTakeFirstOrThrow();
      if (input.status !== undefined && !canChangeOrderStatus(locked.status, input.status)) {
        throw conflict(`A ${locked.status} order cannot become ${input.status}`, 'status');
      }
      const set: Record<string, unknown> = { updated_at: ctx.now() };
      if (input.contractNumber !== undefined) set.contract_number = input.contractNumber;
      if (input.amount !== undefined) set.amount = input.amount;
      if (input.currency !== undefined) set.currency = input.currency;
      if (input.signedOn !== undefined) set.signed_on = input.signedOn;
      if (input.status !== undefined) set.status = input.status;
      if (input.notes !== undefined) set.notes = input.notes;
      const row = await trx.updateTable('orders').set(set).where('id', '=', current.id).returningAll().executeTakeFirstOrThrow();
      await recordAudit(trx, { actor_id: user.id, team_id: current.team_id, action: 'order.update', entity_type: 'order', entity_id: current.id, changes: input });
      return row;
    });
    announceOrder(ctx, row);
    return row;
  } catch (e) {
    if (isUniqueViolation(e)) throw conflict('That contract number is taken', 'contractNumber');
    throw e;
  }
}
