/** Customer use cases: create, read, list, change, archive, restore, duplicates, history. */
import { randomUUID } from 'node:crypto';
import { customerDocName } from '../../schema/wire/docs.ts';
import {
  CUSTOMER_FIELDS,
  type CreateCustomerBody,
  type CustomerDto,
  type DuplicateCandidateDto,
  LIST_LIMIT_DEFAULT,
  type UpdateCustomerBody,
} from '../../schema/wire/customer.ts';
import type { CustomerFilter, CustomerListQuery } from '../../schema/wire/customer-query.ts';
import type { AppContext } from '../context.ts';
import { badRequest, conflict, forbidden, notFound } from '../http/app-error.ts';
import { can } from '../../schema/policy/access.ts';
import { readScope, scopeTeam } from '../../schema/policy/scope.ts';
import { findTeamById } from '../teams/team.repository.ts';
import { findUserById } from '../users/user.repository.ts';
import type { User } from '../users/user.ts';
import {
  type CustomerChange,
  type CustomerRecord,
  assertMayArchive,
  assertOwnerChangeAllowed,
  changeFromBody,
  customerResource,
  diffRows,
  teamForNewCustomer,
  toCustomerDto,
} from './customer.ts';
import { recordCustomerAudit } from './customer-audit.ts';
import { listCategories } from './customer-category.repository.ts';
import { decodeCursor, encodeCursor } from './customer-cursor.ts';
import { duplicateKeys, duplicateReasons, type DuplicateProbe } from './customer-duplicates.ts';
import {
  findCustomer,
  findCustomerInScope,
  findDuplicateRows,
  listCustomerPage,
  setArchived,
} from './customer.repository.ts';
import { writeCustomerChange } from './customer-writer.ts';
import { assertCustomRequest, assertCustomValuesOfTeam } from '../custom-fields/custom-field-values.ts';
import { resolveCustomerFilter } from '../custom-fields/custom-field-filter.ts';
import { insertInitialCustomers } from './customer-bulk.repository.ts';
import { buildInitialCustomer } from './customer-initial-doc.ts';
import { sendRecordChanges } from '../notifications/record-events.ts';

/** A customer the user may see, or 404 (another team's id looks exactly like a missing one). */
export async function loadVisibleCustomer(ctx: AppContext, user: User, id: string): Promise<CustomerRecord> {
  const scope = readScope(user, 'customer');
  const row = scope.kind === 'none' ? undefined : await findCustomerInScope(ctx.db, scope, id);
  if (!row) throw notFound('No such customer');
  return row;
}

export async function getCustomer(ctx: AppContext, user: User, id: string): Promise<CustomerDto> {
  return toCustomerDto(await loadVisibleCustomer(ctx, user, id));
}

export async function listCustomers(
  ctx: AppContext,
  user: User,
  query: CustomerListQuery,
): Promise<{ items: CustomerDto[]; nextCursor: string | null }> {
  const scope = readScope(user, 'customer');
  if (scope.kind === 'none') return { items: [], nextCursor: null };
  const sort = query.sort ?? '-updated';
  const limit = query.limit ?? LIST_LIMIT_DEFAULT;
  const after = query.cursor ? decodeCursor(query.cursor, sort) : undefined;
  const filter = await resolveCustomerFilter(ctx, user, query);
  const { rows, more } = await listCustomerPage(ctx.db, scope, filter, { now: ctx.now(), userId: user.id, sort, limit, after });
  const last = rows[rows.length - 1];
  return {
    items: rows.map(toCustomerDto),
    nextCursor: more && last ? encodeCursor({ sort, value: last.cursor_value, id: last.id }) : null,
  };
}

/** Checks values that depend on the team: the category exists, the owner is an active member. */
export async function assertTeamValues(ctx: AppContext, teamId: string, change: CustomerChange): Promise<void> {
  const category = change.fields.category;
  if (category !== undefined && category !== null) {
    const categories = await listCategories(ctx.db, teamId);
    if (!categories.some((c) => c.key === category)) {
      throw badRequest(`category: unknown category; use one of ${categories.map((c) => c.key).join(', ')}`, 'category');
    }
  }
  const ownerId = change.fields.ownerId;
  if (ownerId) {
    const owner = await findUserById(ctx.db, ownerId);
    if (!owner?.active || owner.teamId !== teamId) throw badRequest('ownerId: no such user in this team', 'ownerId');
  }
}

/**
 * Custom values against the definitions that apply to the team (400 naming `custom.<key>`);
 * user fields name an active member of the team. The document kind checks them again.
 */
export async function assertCustomValues(ctx: AppContext, teamId: string, values: Record<string, unknown>): Promise<void> {
  await assertCustomValuesOfTeam(ctx, 'customer', teamId, values);
}

export async function findDuplicateCandidates(
  ctx: AppContext,
  teamId: string,
  probe: DuplicateProbe,
  excludeId?: string,
): Promise<DuplicateCandidateDto[]> {
  const keys = duplicateKeys(probe);
  const rows = await findDuplicateRows(ctx.db, teamId, keys, excludeId);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    phone: r.phone,
    email: r.email,
    ownerId: r.owner_id,
    archived: r.archived_at !== null,
    reasons: duplicateReasons(keys, r),
  }));
}

/** For the create form's live warning: the likely duplicates of what is typed so far. */
export async function checkDuplicates(
  ctx: AppContext,
  user: User,
  probe: DuplicateProbe & { teamId?: string },
): Promise<DuplicateCandidateDto[]> {
  const scope = readScope(user, 'customer');
  // Admins say which team to check; others check their own (and a non-admin without a team has none).
  const teamId = scope.kind === 'all' ? probe.teamId : scopeTeam(scope);
  if (!teamId) {
    if (scope.kind === 'all') throw badRequest('teamId: say which team to check', 'teamId');
    return [];
  }
  return findDuplicateCandidates(ctx, teamId, probe);
}

export type CreateResult = { kind: 'created'; customer: CustomerDto } | { kind: 'duplicates'; candidates: DuplicateCandidateDto[] };

/**
 * Creates a customer: its row and its document's first state in one transaction
 * (customer-initial-doc.ts). Likely duplicates answer `duplicates` unless the body confirms.
 */
export async function createCustomer(
  ctx: AppContext,
  user: User,
  body: CreateCustomerBody,
  /** `requireCustom`: every required custom field of the team needs a value (a person's create; a lead's conversion brings what the lead has). */
  opts: { requireCustom?: boolean } = {},
): Promise<CreateResult> {
  const teamId = teamForNewCustomer(user, body.teamId);
  // A team named by an admin may not exist; one's own team does.
  if (teamId !== user.teamId && !(await findTeamById(ctx.db, teamId))) throw badRequest('teamId: no such team', 'teamId');
  const change = changeFromBody(body);
  if (change.fields.ownerId === undefined && user.teamId === teamId) change.fields.ownerId = user.id;
  assertOwnerChangeAllowed(user, undefined, change.fields.ownerId);
  await assertTeamValues(ctx, teamId, change);
  if (opts.requireCustom || body.custom) {
    const custom = await assertCustomRequest(ctx, 'customer', teamId, body.custom ?? {}, opts.requireCustom === true);
    if (Object.keys(custom).length > 0) change.custom = custom;
  }
  if (!body.confirm) {
    const candidates = await findDuplicateCandidates(ctx, teamId, body);
    if (candidates.length > 0) return { kind: 'duplicates', candidates };
  }
  const now = ctx.now();
  const initial = buildInitialCustomer(
    { id: randomUUID(), teamId, createdBy: user.id, importId: null, name: body.name, change },
    now,
  );
  const after = await ctx.db.transaction().execute(async (trx) => {
    await insertInitialCustomers(trx, [initial], now);
    const row = (await findCustomer(trx, initial.row.id))!;
    const changes: Record<string, [unknown, unknown]> = {};
    for (const [field, [, value]] of Object.entries(diffRows(emptyLike(row), row, CUSTOMER_FIELDS))) changes[field] = [null, value];
    await recordCustomerAudit(trx, { actorId: user.id, teamId, customerId: row.id, action: 'create', changes });
    return row;
  });
  sendRecordChanges(ctx.notifier, [{ entity: 'customer', id: after.id, teamId, ownerId: after.owner_id }]);
  return { kind: 'created', customer: toCustomerDto(after) };
}

/** A row with every field empty, to express a creation as field changes. */
function emptyLike(r: CustomerRecord): CustomerRecord {
  return {
    ...r,
    name: '',
    industry: '',
    size: '',
    phone: '',
    email: '',
    address: '',
    website: '',
    source: '',
    decision_makers: '',
    needs: '',
    category: '',
    kind: r.kind,
    owner_id: null,
    tags: [],
  };
}

export async function updateCustomer(ctx: AppContext, user: User, id: string, body: UpdateCustomerBody): Promise<CustomerDto> {
  const before = await loadVisibleCustomer(ctx, user, id);
  if (before.archived_at) throw conflict('The customer is archived; restore it first');
  if (!can(user, 'write', customerResource(before))) throw forbidden('You may not change this customer');
  const change = changeFromBody(body);
  assertOwnerChangeAllowed(user, before.owner_id, change.fields.ownerId);
  await assertTeamValues(ctx, before.team_id, change);
  if (change.custom) await assertCustomValues(ctx, before.team_id, change.custom);
  // The projection of the document records the field changes in the history.
  await writeCustomerChange(ctx, user, id, change);
  return toCustomerDto((await findCustomer(ctx.db, id))!);
}

export async function setCustomerArchived(ctx: AppContext, user: User, id: string, archived: boolean): Promise<CustomerDto> {
  const before = await loadVisibleCustomer(ctx, user, id);
  assertMayArchive(user, before, archived ? 'archive customers' : 'restore customers');
  if ((before.archived_at !== null) === archived) return toCustomerDto(before);
  const after = await ctx.db.transaction().execute(async (trx) => {
    const row = await setArchived(trx, id, archived ? ctx.now() : null);
    await recordCustomerAudit(trx, {
      actorId: user.id,
      teamId: before.team_id,
      customerId: id,
      action: archived ? 'archive' : 'restore',
      changes: { archivedAt: [before.archived_at?.toISOString() ?? null, row?.archived_at?.toISOString() ?? null] },
    });
    return row!;
  });
  sendRecordChanges(ctx.notifier, [{ entity: 'customer', id, teamId: after.team_id, ownerId: after.owner_id, archived }]);
  // Reps' open tabs become read-only (archived) or writable again (restored) at once.
  await ctx.hub.recheckAccess(customerDocName(id));
  return toCustomerDto(after);
}

/** The filter a user may run: only those who see every team pick one (the scope limits the others). */
export function effectiveFilter(user: User, filter: CustomerFilter): CustomerFilter {
  return readScope(user, 'customer').kind === 'all' ? filter : { ...filter, teamId: undefined };
}
