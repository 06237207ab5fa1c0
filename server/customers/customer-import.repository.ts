import { type Kysely, type Transaction, sql } from 'kysely';
import type { CustomerImportRow } from '../../schema/tables/customer-import.table.ts';
import { IMPORT_REPORT_MAX, type ImportDto, type ImportRowResult, type ImportTarget } from '../../schema/wire/customer-import.ts';
import type { Database } from '../../schema/types.ts';
import type { Scope } from '../../schema/policy/scope.ts';
import { inScope } from '../db/scope.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { CUSTOMER_ENTITY, IMPORT_ENTITY } from './customer-audit.ts';

type Q = Kysely<Database> | Transaction<Database>;

export const IMPORTS_LISTED_MAX = 50;

export function toImportDto(r: CustomerImportRow, reportMax: number): ImportDto {
  const report = (typeof r.report === 'string' ? JSON.parse(r.report) : r.report) as ImportRowResult[];
  return {
    id: r.id,
    status: r.status,
    target: r.target,
    fileName: r.file_name,
    total: r.total,
    processed: r.processed,
    imported: r.imported,
    updated: r.updated,
    skipped: r.skipped,
    refused: r.refused,
    report: report.slice(0, reportMax),
    reportTruncated: report.length > reportMax || report.length < r.processed,
    error: r.error,
    createdAt: r.created_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
    undoneAt: r.undone_at?.toISOString() ?? null,
  };
}

/** A claim on a job: the run's token and how long it holds without renewal. */
export interface ImportClaimHold {
  token: string;
  leaseMs: number;
}

/** The database's clock plus a lease (every node compares leases with the same clock). */
const leaseEnd = (leaseMs: number) => sql<Date>`now() + ${Math.max(1, Math.round(leaseMs))} * interval '1 millisecond'`;
/** Unclaimed, or its lease ran out. */
const claimFree = sql<boolean>`(claimed_until is null or claimed_until < now())`;

/** Thrown inside a batch's transaction when the run no longer holds its job (another node took it over). */
export class ImportClaimLost extends Error {
  constructor(readonly importId: string) {
    super(`import ${importId}: another run holds this job now`);
  }
}

/**
 * A new job whose file is still arriving (`last_line` -1: not yet startable; a server that
 * restarts drops such a job once its claim has run out). readyImport() makes it startable
 * once the file is checked.
 */
export function insertImport(
  db: Q,
  v: { teamId: string; createdBy: string; fileName: string; target: ImportTarget; options: unknown; claim?: ImportClaimHold },
): Promise<CustomerImportRow> {
  return db
    .insertInto('customer_imports')
    .values({
      team_id: v.teamId,
      created_by: v.createdBy,
      file_name: v.fileName,
      target: v.target,
      options: JSON.stringify(v.options),
      last_line: -1,
      ...(v.claim ? { claimed_by: v.claim.token, claimed_until: leaseEnd(v.claim.leaseMs) } : {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/**
 * Takes a running, startable job for the run `token`: only when no other run holds it (never
 * claimed, released, or its lease ran out) or this run already does. One statement, so that
 * of two nodes asking at once exactly one gets it.
 */
export async function claimImport(db: Q, id: string, claim: ImportClaimHold): Promise<boolean> {
  const row = await db
    .updateTable('customer_imports')
    .set({ claimed_by: claim.token, claimed_until: leaseEnd(claim.leaseMs) })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .where('last_line', '>=', 0)
    .where((eb) => eb.or([sql<boolean>`${claimFree}`, eb('claimed_by', '=', claim.token)]))
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/** Extends the lease of the run holding the job; false when it no longer holds it. */
export async function renewImportClaim(db: Q, id: string, claim: ImportClaimHold): Promise<boolean> {
  const r = await db
    .updateTable('customer_imports')
    .set({ claimed_until: leaseEnd(claim.leaseMs) })
    .where('id', '=', id)
    .where('claimed_by', '=', claim.token)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Lets the job go (a run stopping between batches), so that another node may continue it at once. */
export async function releaseImportClaim(db: Q, id: string, token: string): Promise<void> {
  await db.updateTable('customer_imports').set({ claimed_by: null, claimed_until: null }).where('id', '=', id).where('claimed_by', '=', token).execute();
}

export async function readyImport(db: Q, id: string, v: { fileKind: 'csv' | 'xlsx'; total: number }): Promise<void> {
  await db.updateTable('customer_imports').set({ file_kind: v.fileKind, total: v.total, last_line: 0 }).where('id', '=', id).execute();
}

export async function deleteImport(db: Q, id: string): Promise<void> {
  await db.deleteFrom('customer_imports').where('id', '=', id).execute();
}

/**
 * Adds a committed batch's counts and its report rows (the report keeps the first
 * IMPORT_REPORT_MAX rows), and moves `last_line` past it, in the batch's transaction — only
 * while the run of `claim` holds the job (whose lease it renews): otherwise ImportClaimLost
 * rolls the batch back.
 */
export async function addImportProgress(
  db: Q,
  id: string,
  claim: ImportClaimHold,
  d: { processed: number; imported: number; updated: number; skipped: number; refused: number; lastLine: number; report: ImportRowResult[] },
): Promise<void> {
  const r = await db
    .updateTable('customer_imports')
    .set((eb) => ({
      processed: eb('processed', '+', d.processed),
      imported: eb('imported', '+', d.imported),
      updated: eb('updated', '+', d.updated),
      skipped: eb('skipped', '+', d.skipped),
      refused: eb('refused', '+', d.refused),
      last_line: d.lastLine,
      claimed_until: leaseEnd(claim.leaseMs),
      report: sql<string>`case when jsonb_array_length(report) < ${IMPORT_REPORT_MAX}
        then report || ${JSON.stringify(d.report.slice(0, IMPORT_REPORT_MAX))}::jsonb else report end`,
    }))
    .where('id', '=', id)
    .where('claimed_by', '=', claim.token)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) === 0) throw new ImportClaimLost(id);
}

/** Ends the job held by the run `token` and lets it go; false when another run holds it now. */
export async function finishImport(db: Q, id: string, token: string, v: { status: 'done' | 'failed'; error: string | null; now: Date }): Promise<boolean> {
  const r = await db
    .updateTable('customer_imports')
    .set({
      status: v.status,
      error: v.error,
      finished_at: v.now,
      claimed_by: null,
      claimed_until: null,
      report: sql<string>`case when jsonb_array_length(report) > ${IMPORT_REPORT_MAX}
        then (select jsonb_agg(e order by n) from jsonb_array_elements(report) with ordinality as x(e, n) where n <= ${IMPORT_REPORT_MAX})
        else report end`,
    })
    .where('id', '=', id)
    .where('status', '=', 'running')
    .where('claimed_by', '=', token)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}

/** Jobs a node may continue: running, startable, and held by no live run (unclaimed or lease run out). */
export function listResumableImports(db: Q): Promise<{ id: string }[]> {
  return db
    .selectFrom('customer_imports')
    .select('id')
    .where('status', '=', 'running')
    .where('last_line', '>=', 0)
    .where(sql<boolean>`${claimFree}`)
    .orderBy('created_at')
    .execute();
}

/**
 * Jobs whose upload was cut short (the request or its node died): never started, and no live
 * request holds them (an upload in progress on another node renews its claim), so they are dropped.
 */
export async function deleteUnfinishedUploads(db: Q): Promise<void> {
  await db.deleteFrom('customer_imports').where('status', '=', 'running').where('last_line', '<', 0).where(sql<boolean>`${claimFree}`).execute();
}

/** Records the follow-ups an import added to customers that existed before it (undo removes them). */
export async function recordImportedFollowups(db: Q, importId: string, items: { customerId: string; followupId: string }[]): Promise<void> {
  if (items.length === 0) return;
  await db
    .insertInto('customer_import_followups')
    .values(items.map((i) => ({ import_id: importId, customer_id: i.customerId, followup_id: i.followupId })))
    .onConflict((oc) => oc.columns(['import_id', 'customer_id', 'followup_id']).doNothing())
    .execute();
}

/** The follow-ups an import added to existing customers, a page of customers at a time (by customer id). */
export async function listImportedFollowups(db: Q, importId: string, after: string | null, limit: number): Promise<{ customerId: string; followupIds: string[] }[]> {
  let q = db
    .selectFrom('customer_import_followups')
    .select(['customer_id', sql<string[]>`array_agg(followup_id order by followup_id)`.as('ids')])
    .where('import_id', '=', importId)
    .groupBy('customer_id');
  if (after) q = q.where('customer_id', '>', after);
  const rows = await q.orderBy('customer_id').limit(limit).execute();
  return rows.map((r) => ({ customerId: r.customer_id, followupIds: r.ids }));
}

/** Keeps the values an import replaces on a customer (the first write wins: a resumed batch keeps the true ones). */
export async function recordPreviousValues(db: Q, importId: string, items: { customerId: string; previous: Record<string, unknown> }[]): Promise<void> {
  if (items.length === 0) return;
  await db
    .insertInto('customer_import_changes')
    .values(items.map((i) => ({ import_id: importId, customer_id: i.customerId, previous: JSON.stringify(i.previous) })))
    .onConflict((oc) => oc.columns(['import_id', 'customer_id']).doNothing())
    .execute();
}

/** The previous values of the customers an import updated, a page at a time (by customer id). */
export async function listPreviousValues(
  db: Q,
  importId: string,
  after: string | null,
  limit: number,
): Promise<{ customer_id: string; previous: Record<string, unknown> }[]> {
  let q = db.selectFrom('customer_import_changes').select(['customer_id', 'previous']).where('import_id', '=', importId);
  if (after) q = q.where('customer_id', '>', after);
  const rows = await q.orderBy('customer_id').limit(limit).execute();
  return rows.map((r) => ({ customer_id: r.customer_id, previous: (typeof r.previous === 'string' ? JSON.parse(r.previous) : r.previous) as Record<string, unknown> }));
}

/** A job; `withReport: false` leaves its per-row report out (an empty array): progress polls need only the counts. */
export function findImport(db: Q, id: string, opts: { withReport?: boolean } = {}): Promise<CustomerImportRow | undefined> {
  const q = db.selectFrom('customer_imports').where('id', '=', id);
  if (opts.withReport === false) {
    return q.select(IMPORT_COLUMNS_BUT_REPORT).select(sql<unknown>`'[]'::jsonb`.as('report')).executeTakeFirst();
  }
  return q.selectAll().executeTakeFirst();
}

const IMPORT_COLUMNS_BUT_REPORT = [
  'id',
  'team_id',
  'created_by',
  'status',
  'file_name',
  'target',
  'file_kind',
  'options',
  'total',
  'processed',
  'imported',
  'updated',
  'skipped',
  'refused',
  'last_line',
  'error',
  'created_at',
  'finished_at',
  'undone_at',
  'claimed_by',
  'claimed_until',
] as const satisfies ReadonlyArray<Exclude<keyof CustomerImportRow, 'report'>>;

export function listImports(db: Q, scope: Scope): Promise<CustomerImportRow[]> {
  return db
    .selectFrom('customer_imports')
    .selectAll()
    .where(inScope(scope, { team: 'customer_imports.team_id', own: 'customer_imports.created_by' }))
    .orderBy('created_at', 'desc')
    .limit(IMPORTS_LISTED_MAX)
    .execute();
}

/** Archives what an import created and is still active; records it on each customer. Returns how many. */
export async function archiveImported(trx: Transaction<Database>, importId: string, actorId: string, now: Date): Promise<number> {
  const archived = await trx
    .updateTable('customers')
    .set({ archived_at: now, updated_at: now })
    .where('import_id', '=', importId)
    .where('archived_at', 'is', null)
    .returning(['id', 'team_id'])
    .execute();
  if (archived.length > 0) {
    await recordAudit(trx, {
      actor_id: actorId,
      team_id: archived[0]!.team_id,
      action: 'undo',
      entity_type: IMPORT_ENTITY,
      entity_id: importId,
      changes: { archived: archived.length },
    });
    await sql`
      insert into audit_log (actor_id, team_id, action, entity_type, entity_id, changes, at)
      select ${actorId}::uuid, c.team_id, 'import-undo', ${CUSTOMER_ENTITY}, c.id::text,
             jsonb_build_object('importId', ${importId}::text, 'archivedAt', jsonb_build_array(null, ${now.toISOString()}::text)), ${now}
      from customers c where c.import_id = ${importId} and c.archived_at = ${now}`.execute(trx);
  }
  await trx.updateTable('contacts').set({ archived_at: now, updated_at: now }).where('import_id', '=', importId).where('archived_at', 'is', null).execute();
  await trx.updateTable('customer_imports').set({ status: 'undone', undone_at: now }).where('id', '=', importId).execute();
  return archived.length;
}
