/**
 * CSV imports: validate every row, skip likely duplicates (against the team and earlier rows
 * of the file), then create customers in batches, each batch one transaction holding the rows,
 * their documents' first snapshots and the import's progress — so a row
 * is either wholly there or not at all. An import can be undone (its customers archived).
 */
import { randomUUID } from 'node:crypto';
import {
  IMPORT_PREVIEW_ROWS,
  IMPORT_REPORT_MAX,
  IMPORT_SYNC_ROWS,
  type ImportDto,
  type ImportField,
  type ImportOptions,
  type ImportRowResult,
} from '../../schema/wire/customer-import.ts';
import type { CreateCustomerBody } from '../../schema/wire/customer.ts';
import type { AppContext } from '../context.ts';
import { badRequest, conflict, forbidden, notFound } from '../http/app-error.ts';
import { findTeamById } from '../teams/team.repository.ts';
import type { User } from '../users/user.ts';
import { changeFromBody, teamForNewCustomer } from './customer.ts';
import { type ImportResource, can, mayAssignOwner } from '../../schema/policy/access.ts';
import { readScope } from '../../schema/policy/scope.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { notifyAssignment } from '../notifications/assignment.ts';
import type { PendingDelivery } from '../notifications/notifier.ts';
import { IMPORT_ENTITY } from './customer-audit.ts';
import { insertInitialCustomers } from './customer-bulk.repository.ts';
import { listCategories } from './customer-category.repository.ts';
import { type DuplicateKeys, duplicateKeys } from './customer-duplicates.ts';
import { decodeCsv, parseCsv, resolveMapping, rowToBody } from './customer-import.ts';
import {
  addImportProgress,
  archiveImported,
  findImport,
  finishImport,
  insertImport,
  listImports,
  toImportDto,
} from './customer-import.repository.ts';
import { type InitialCustomerState, buildInitialCustomer } from './customer-initial-doc.ts';
import { findDuplicateKeysIn } from './customer.repository.ts';

/** Rows per transaction. */
export const IMPORT_BATCH_ROWS = 1000;
/**
 * Imported customers owned by someone other than the importer notify that
 * owner, one notification per customer, for at most this many per import
 * (a large import would otherwise bury the owner's list).
 */
export const IMPORT_ASSIGNMENT_NOTIFY_MAX = 50;
/** Rows per duplicate lookup against the database. */
const DUPLICATE_LOOKUP_ROWS = 5000;

interface PlannedRow {
  line: number;
  name: string;
  body: CreateCustomerBody | null;
  result: ImportRowResult | null;
}

export interface ImportStart {
  status: 200 | 201 | 202;
  import: ImportDto;
}

/** Parses, checks and (unless a dry run) imports an uploaded CSV. */
export async function startImport(ctx: AppContext, user: User, bytes: Uint8Array, opts: ImportOptions): Promise<ImportStart> {
  const teamId = teamForNewCustomer(user, opts.teamId);
  // A team named by an admin may not exist; one's own team does.
  if (teamId !== user.teamId && !(await findTeamById(ctx.db, teamId))) throw badRequest('teamId: no such team', 'teamId');
  const csv = parseCsv(decodeCsv(bytes, opts.encoding ?? 'utf-8'));
  const mapping = resolveMapping(csv.headers, opts.mapping);
  const columns: Record<string, string> = {};
  for (const [field, index] of mapping) columns[field] = csv.headers[index]!;

  const plan = await planRows(ctx, user, teamId, csv.records, csv.headers.length, mapping, opts.confirm);
  const fileName = opts.fileName ?? '';
  if (opts.dryRun) {
    const counts = countResults(plan.map((p) => p.result ?? { line: p.line, status: 'imported', name: p.name }));
    return {
      status: 200,
      import: {
        id: null,
        status: 'preview',
        fileName,
        total: plan.length,
        processed: plan.length,
        ...counts,
        columns,
        report: plan.slice(0, Math.max(IMPORT_PREVIEW_ROWS, 0)).map((p) => p.result ?? { line: p.line, status: 'imported', name: p.name }),
        reportTruncated: plan.length > IMPORT_PREVIEW_ROWS,
        error: null,
        createdAt: null,
        finishedAt: null,
        undoneAt: null,
      },
    };
  }

  const record = await ctx.db.transaction().execute(async (trx) => {
    const row = await insertImport(trx, { teamId, createdBy: user.id, fileName, total: plan.length });
    // One audit entry for the import; each imported customer's history shows its import
    // from customers.import_id (customer-audit.ts), which keeps bulk imports fast.
    await recordAudit(trx, {
      actor_id: user.id,
      team_id: teamId,
      action: 'import',
      entity_type: IMPORT_ENTITY,
      entity_id: row.id,
      changes: { fileName, rows: plan.length },
    });
    return row;
  });
  const run = executeImport(ctx, user, teamId, record.id, plan);
  if (plan.length <= IMPORT_SYNC_ROWS) {
    await run;
    return { status: 201, import: { ...(await getImportDto(ctx, record.id)), columns } };
  }
  run.catch((err) => ctx.log.error({ err, importId: record.id }, 'import failed'));
  return { status: 202, import: { ...toImportDto(record, IMPORT_REPORT_MAX), columns } };
}

/** Validates rows, resolves owners and categories, and marks duplicates; writes nothing. */
async function planRows(
  ctx: AppContext,
  user: User,
  teamId: string,
  records: { line: number; cells: string[] }[],
  headerCount: number,
  mapping: Map<ImportField, number>,
  confirm: boolean,
): Promise<PlannedRow[]> {
  const categories = new Set((await listCategories(ctx.db, teamId)).map((c) => c.key));
  const members = await ctx.db
    .selectFrom('users')
    .select(['id', 'email'])
    .where('team_id', '=', teamId)
    .where('active', '=', true)
    .execute();
  const byEmail = new Map(members.map((m) => [m.email.toLowerCase(), m.id]));
  const defaultOwner = user.teamId === teamId ? user.id : null;

  const plan: PlannedRow[] = records.map(({ line, cells }) => {
    const outcome = rowToBody(cells, headerCount, mapping);
    const refuse = (field: string, reason: string, name = ''): PlannedRow => ({
      line,
      name,
      body: null,
      result: { line, status: 'refused', name, field, reason },
    });
    if (!outcome.ok) return refuse(outcome.field, outcome.reason, (cells[mapping.get('name') ?? -1] ?? '').trim());
    const body = outcome.body;
    if (body.category !== undefined && !categories.has(body.category)) return refuse('category', `Unknown category ${body.category}`, body.name);
    let ownerId = defaultOwner;
    if (outcome.ownerEmail) {
      const found = byEmail.get(outcome.ownerEmail);
      if (!found) return refuse('owner', `No active user ${outcome.ownerEmail} in this team`, body.name);
      if (!mayAssignOwner(user, { isNew: true, from: null, to: found })) return refuse('owner', 'Only managers and admins assign other owners', body.name);
      ownerId = found;
    }
    return { line, name: body.name, body: { ...body, ownerId }, result: null };
  });
  if (!confirm) await markDuplicates(ctx, teamId, plan);
  return plan;
}

/** Skips rows that match an existing customer or an earlier row of the file. */
async function markDuplicates(ctx: AppContext, teamId: string, plan: PlannedRow[]): Promise<void> {
  const pending = plan.filter((p) => p.body);
  const keysOf = new Map<PlannedRow, DuplicateKeys>(pending.map((p) => [p, duplicateKeys(p.body!)]));
  for (let i = 0; i < pending.length; i += DUPLICATE_LOOKUP_ROWS) {
    const chunk = pending.slice(i, i + DUPLICATE_LOOKUP_ROWS);
    const keys = chunk.map((p) => keysOf.get(p)!);
    const existing = await findDuplicateKeysIn(ctx.db, teamId, {
      nameKeys: present(keys.map((k) => k.nameKey)),
      phones: present(keys.map((k) => k.phoneDigits)),
      emails: present(keys.map((k) => k.emailNorm)),
    });
    const index = new Map<string, { id: string; name: string; reason: 'name' | 'phone' | 'email' }[]>();
    const add = (k: string, v: { id: string; name: string; reason: 'name' | 'phone' | 'email' }) => index.set(k, [...(index.get(k) ?? []), v]);
    for (const e of existing) {
      add(`n:${e.name_key}`, { id: e.id, name: e.name, reason: 'name' });
      if (e.phone_digits) add(`p:${e.phone_digits}`, { id: e.id, name: e.name, reason: 'phone' });
      if (e.email_norm) add(`e:${e.email_norm}`, { id: e.id, name: e.name, reason: 'email' });
    }
    for (const p of chunk) {
      const k = keysOf.get(p)!;
      const hits = [
        ...(k.nameKey ? (index.get(`n:${k.nameKey}`) ?? []) : []),
        ...(k.phoneDigits ? (index.get(`p:${k.phoneDigits}`) ?? []) : []),
        ...(k.emailNorm ? (index.get(`e:${k.emailNorm}`) ?? []) : []),
      ];
      if (hits.length > 0) {
        const byId = new Map<string, { id: string; name: string; reasons: ('name' | 'phone' | 'email')[] }>();
        for (const h of hits) {
          const c = byId.get(h.id) ?? { id: h.id, name: h.name, reasons: [] };
          c.reasons.push(h.reason);
          byId.set(h.id, c);
        }
        const earlier = [...byId.values()].find((c) => c.id.startsWith('line:'));
        p.result = {
          line: p.line,
          status: 'duplicate',
          name: p.name,
          reason: earlier ? `Same customer as line ${earlier.id.slice(5)} of this file` : 'A customer with the same name, phone or e-mail exists',
          candidates: [...byId.values()].filter((c) => !c.id.startsWith('line:')),
        };
        p.body = null;
        continue;
      }
      // Later rows of the file are compared with this one too.
      const self = { id: `line:${p.line}`, name: p.name };
      if (k.nameKey) add(`n:${k.nameKey}`, { ...self, reason: 'name' });
      if (k.phoneDigits) add(`p:${k.phoneDigits}`, { ...self, reason: 'phone' });
      if (k.emailNorm) add(`e:${k.emailNorm}`, { ...self, reason: 'email' });
    }
  }
}

const present = (xs: (string | null)[]): string[] => [...new Set(xs.filter((x): x is string => x !== null))];

function countResults(results: ImportRowResult[]) {
  return {
    imported: results.filter((r) => r.status === 'imported').length,
    skipped: results.filter((r) => r.status === 'duplicate').length,
    refused: results.filter((r) => r.status === 'refused').length,
  };
}

/** Creates the planned customers batch by batch; a failing batch fails the import (earlier batches stay, undoable). */
async function executeImport(ctx: AppContext, user: User, teamId: string, importId: string, plan: PlannedRow[]): Promise<void> {
  const report: ImportRowResult[] = [];
  const keep = (r: ImportRowResult) => {
    if (report.length < IMPORT_REPORT_MAX) report.push(r);
  };
  // Pipelined: the next batch's rows and documents are built while the database stores the
  // current one (two cores: Node and the database work at the same time).
  let storing: Promise<void> | null = null;
  let notified = 0;
  try {
    for (let i = 0; i < plan.length; i += IMPORT_BATCH_ROWS) {
      const batch = plan.slice(i, i + IMPORT_BATCH_ROWS);
      const now = ctx.now();
      const results: ImportRowResult[] = [];
      const states: InitialCustomerState[] = [];
      for (const p of batch) {
        if (!p.body) {
          results.push(p.result!);
          continue;
        }
        try {
          const state = buildInitialCustomer(
            { id: randomUUID(), teamId, createdBy: user.id, importId, name: p.body.name, change: changeFromBody(p.body) },
            now,
          );
          states.push(state);
          results.push({ line: p.line, status: 'imported', name: p.name, customerId: state.row.id });
        } catch (e) {
          const err = e as { field?: string; message?: string };
          results.push({ line: p.line, status: 'refused', name: p.name, field: err.field ?? 'row', reason: err.message ?? 'Invalid row' });
        }
      }
      const counts = countResults(results);
      if (storing) await storing;
      storing = ctx.db
        .transaction()
        .execute(async (trx) => {
          await insertInitialCustomers(trx, states, now);
          await addImportProgress(trx, importId, { processed: batch.length, ...counts });
          const pendings: PendingDelivery[] = [];
          for (const { row } of states) {
            if (notified >= IMPORT_ASSIGNMENT_NOTIFY_MAX || !row.owner_id || row.owner_id === user.id) continue;
            const p = await notifyAssignment(ctx, trx, {
              actorId: user.id,
              recipientId: row.owner_id,
              previousRecipientId: null,
              entity: { type: 'customer', id: row.id, name: row.name },
              teamId,
            });
            if (p) {
              pendings.push(p);
              notified++;
            }
          }
          return pendings;
        })
        .then((pendings) => {
          for (const r of results) keep(r);
          ctx.notifier.deliver(pendings);
        });
      // A failure surfaces at the next await; keep it from being reported as unhandled meanwhile.
      storing.catch(() => {});
    }
    if (storing) await storing;
    await finishImport(ctx.db, importId, { status: 'done', report, error: null, now: ctx.now() });
  } catch (err) {
    ctx.log.error({ err, importId }, 'import batch failed');
    await finishImport(ctx.db, importId, { status: 'failed', report, error: 'Storing a batch of rows failed; the rows before it were imported', now: ctx.now() });
  }
}

const importResource = (row: { team_id: string }): ImportResource => ({ type: 'import', teamId: row.team_id });

async function loadVisibleImport(ctx: AppContext, user: User, id: string) {
  const row = await findImport(ctx.db, id);
  if (!row || !can(user, 'read', importResource(row))) throw notFound('No such import');
  return row;
}

export async function getImportDto(ctx: AppContext, id: string): Promise<ImportDto> {
  const row = await findImport(ctx.db, id);
  if (!row) throw notFound('No such import');
  return toImportDto(row, IMPORT_REPORT_MAX);
}

export async function getImport(ctx: AppContext, user: User, id: string): Promise<ImportDto> {
  return toImportDto(await loadVisibleImport(ctx, user, id), IMPORT_REPORT_MAX);
}

export async function getImports(ctx: AppContext, user: User): Promise<ImportDto[]> {
  const scope = readScope(user, 'import');
  if (scope.kind === 'none') return [];
  const rows = await listImports(ctx.db, scope);
  return rows.map((r) => ({ ...toImportDto(r, 0), report: [] }));
}

/** Archives every customer the import created that is still active (managers and admins). */
export async function undoImport(ctx: AppContext, user: User, id: string): Promise<{ import: ImportDto; archived: number }> {
  const row = await loadVisibleImport(ctx, user, id);
  if (!can(user, 'archive', importResource(row))) throw forbidden('Only managers and admins may undo imports');
  if (row.status === 'running') throw conflict('The import is still running');
  if (row.status === 'undone') throw conflict('The import was already undone');
  const archived = await ctx.db.transaction().execute((trx) => archiveImported(trx, id, user.id, ctx.now()));
  return { import: await getImport(ctx, user, id), archived };
}
