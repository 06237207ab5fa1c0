/**
 * Contracts of opportunities. A contract follows its opportunity's access rules (read and
 * write, schema/policy/access.ts): whoever may change the opportunity records and edits its
 * contract; others of the team read it; other teams get 404.
 */
import { readScope } from '../../schema/policy/scope.ts';
import type { ContractRow } from '../../schema/tables/contract.table.ts';
import type { CreateContractInput, UpdateContractInput } from '../../schema/wire/contracts.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import type { AppContext } from '../context.ts';
import { badRequest, conflict, notFound } from '../http/app-error.ts';
import { visibleOpportunity, writableOpportunity } from '../opportunities/opportunity.service.ts';
import type { User } from '../users/user.ts';
import { canChangeContractStatus } from './contract.ts';
import { findContract, findOpportunityContract, listCustomerContracts } from './contract.repository.ts';

const uniqueViolation = (e: unknown): string | null => {
  const err = e as { code?: string; constraint?: string; detail?: string; message?: string };
  if (err.code !== '23505') return null;
  return `${err.constraint ?? ''} ${err.detail ?? ''} ${err.message ?? ''}`;
};

function contractConflict(e: unknown): never {
  const what = uniqueViolation(e);
  if (what === null) throw e;
  if (what.includes('opportunity_id')) throw conflict('This opportunity already has a contract', 'opportunityId');
  throw conflict('That contract number is taken', 'number');
}

/** A contract the user may read (its opportunity's rule), or 404. */
export async function visibleContract(ctx: AppContext, user: User, id: string): Promise<ContractRow> {
  const row = await findContract(ctx.db, id);
  if (!row) throw notFound('No such contract');
  try {
    await visibleOpportunity(ctx, user, row.opportunity_id);
  } catch {
    throw notFound('No such contract');
  }
  return row;
}

export async function opportunityContract(ctx: AppContext, user: User, opportunityId: string): Promise<ContractRow> {
  await visibleOpportunity(ctx, user, opportunityId);
  const row = await findOpportunityContract(ctx.db, opportunityId);
  if (!row) throw notFound('This opportunity has no contract yet');
  return row;
}

export async function customerContracts(ctx: AppContext, user: User, customerId: string): Promise<ContractRow[]> {
  const scope = readScope(user, 'opportunity');
  return scope.kind === 'none' ? [] : listCustomerContracts(ctx.db, customerId, scope);
}

function announce(ctx: AppContext, row: ContractRow): void {
  ctx.notifier.teamEvent(row.team_id, 'deal:changed', { kind: 'contract', id: row.id, customerId: row.customer_id, opportunityId: row.opportunity_id });
}

export async function createContract(ctx: AppContext, user: User, input: CreateContractInput): Promise<ContractRow> {
  let opp: Awaited<ReturnType<typeof writableOpportunity>>;
  try {
    opp = await writableOpportunity(ctx, user, input.opportunityId);
  } catch (e) {
    // An opportunity the user cannot see is a bad reference in the body, not a missing route.
    if ((e as { status?: number }).status === 404) throw badRequest('No such opportunity', 'opportunityId');
    throw e;
  }
  if (opp.status === 'lost') throw conflict('A lost opportunity takes no contract', 'opportunityId');
  try {
    const row = await ctx.db.transaction().execute(async (trx) => {
      const now = ctx.now();
      const row = await trx
        .insertInto('contracts')
        .values({
          team_id: opp.team_id,
          opportunity_id: opp.id,
          customer_id: opp.customer_id,
          number: input.number,
          signed_at: input.signedAt,
          starts_at: input.startsAt,
          ends_at: input.endsAt,
          value: input.value,
          currency: input.currency ?? opp.currency,
          renewal_remind_at: input.renewalRemindAt ? new Date(input.renewalRemindAt) : null,
          notes: input.notes ?? '',
          created_by: user.id,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await recordAudit(trx, {
        actor_id: user.id,
        team_id: opp.team_id,
        action: 'contract.create',
        entity_type: 'contract',
        entity_id: row.id,
        changes: { opportunityId: opp.id, number: input.number, value: input.value },
      });
      return row;
    });
    announce(ctx, row);
    return row;
  } catch (e) {
    contractConflict(e);
  }
}

export async function updateContract(ctx: AppContext, user: User, id: string, input: UpdateContractInput): Promise<ContractRow> {
  const current = await visibleContract(ctx, user, id);
  await writableOpportunity(ctx, user, current.opportunity_id);
  try {
    const row = await ctx.db.transaction().execute(async (trx) => {
      const locked = await trx.selectFrom('contracts').selectAll().where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
      if (input.status !== undefined && !canChangeContractStatus(locked.status, input.status)) {
        throw conflict(`A ${locked.status} contract cannot become ${input.status}`, 'status');
      }
      const startsAt = input.startsAt ?? locked.starts_at;
      const endsAt = input.endsAt ?? locked.ends_at;
      if (startsAt > endsAt) throw badRequest('The term ends before it starts', 'endsAt');
      const set: Record<string, unknown> = { updated_at: ctx.now() };
      if (input.number !== undefined) set.number = input.number;
      if (input.signedAt !== undefined) set.signed_at = input.signedAt;
      if (input.startsAt !== undefined) set.starts_at = input.startsAt;
      if (input.endsAt !== undefined) set.ends_at = input.endsAt;
      if (input.value !== undefined) set.value = input.value;
      if (input.currency !== undefined) set.currency = input.currency;
      if (input.status !== undefined) set.status = input.status;
      if (input.notes !== undefined) set.notes = input.notes;
      if (input.renewalRemindAt !== undefined) {
        const at = input.renewalRemindAt === null ? null : new Date(input.renewalRemindAt);
        set.renewal_remind_at = at;
        // A new reminder date is reminded again; an unchanged one keeps its sent state.
        if ((at?.getTime() ?? null) !== (locked.renewal_remind_at?.getTime() ?? null)) set.renewal_reminded_at = null;
      }
      const row = await trx.updateTable('contracts').set(set).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
      await recordAudit(trx, { actor_id: user.id, team_id: row.team_id, action: 'contract.update', entity_type: 'contract', entity_id: id, changes: input });
      return row;
    });
    announce(ctx, row);
    return row;
  } catch (e) {
    contractConflict(e);
  }
}
