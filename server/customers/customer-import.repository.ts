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

/**
 * A new job whose file is still arriving (`last_line` -1: not yet startable; a server that
 * restarts drops such a job). readyImport() makes it startable once the file is checked.
 */
export function insertImport(
  db: Q,
  v: { teamId: string; createdBy: string; fileName: string; target: ImportTarget; options: unknown },
): Promise<CustomerImportRow> {
  return db
    .insertInto('customer_imports')
    .values({ team_id: v.teamId, created_by: v.createdBy, file_name: v.fileName, target: v.target, options: JSON.stringify(v.options), last_line: -1 })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function readyImport(db: Q, id: string, v: { fileKind: 'csv' | 'xlsx'; total: number }): Promise<void> {
  await db.updateTable('customer_imports').set({ file_kind: v.fileKind, total: v.total, last_line: 0 }).where('id', '=', id).execute();
}

export async function deleteImport(db: Q, id: string): Promise<void> {
  await db.deleteFrom('customer_imports').where('id', '=', id).execute();
}

/**
 * Adds a committed batch's counts and its report rows (the report keeps the first
 * IMPORT_REPORT_MAX rows), and moves `last_line` past it, in the batch's transaction.
 */
export async function addImportProgress(
  db: Q,
  id: string,
  d: { processed: number; imported: number; updated: number; skipped: number; refused: number; lastLine: number; report: ImportRowResult[] },
): Promise<void> {
  await db
    .updateTable('customer_imports')
    .set((eb) => ({
      processed: eb('processed', '+', d.processed),
      imported: eb('imported', '+', d.imported),
      updated: eb('updated', '+', d.updated),
      skipped: eb('skipped', '+', d.skipped),
      refused: eb('refused', '+', d.refused),
      last_line: d.lastLine,
      report: sql<string>`case when jsonb_array_length(report) < ${IMPORT_REPORT_MAX}
        then report || ${JSON.stringify(d.report.slice(0, IMPORT_REPORT_MAX))}::jsonb else report end`,
    }))
    .where('id', '=', id)
    .execute();
}

export async function finishImport(db: Q, id: string, v: { status: 'done' | 'failed'; error: string | null; now: Date }): Promise<void> {
  await db
    .updateTable('customer_imports')
    .set({
      status: v.status,
      error: v.error,
      finished_at: v.now,
      report: sql<string>`case when jsonb_array_length(report) > ${IMPORT_REPORT_MAX}
        then (select jsonb_agg(e order by n) from jsonb_array_elements(report) with ordinality as x(e, n) where n <= ${IMPORT_REPORT_MAX})
        else report end`,
    })
    .where('id', '=', id)
    .execute();
}

/** Jobs to continue after a restart: running and startable. */
export function listResumableImports(db: Q): Promise<{ id: string }[]> {
  return db.selectFrom('customer_imports').select('id').where('status', '=', 'running').where('last_line', '>=', 0).orderBy('created_at').execute();
}

/** Jobs whose upload a restart cut short: never started, so they are dropped. */
export async function deleteUnfinishedUploads(db: Q): Promise<void> {
  await db.deleteFrom('customer_imports').where('status', '=', 'running').where('last_line', '<', 0).execute();
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

export function findImport(db: Q, id: string): Promise<CustomerImportRow | undefined> {
  return db.selectFrom('customer_imports').selectAll().where('id', '=', id).executeTakeFirst();
}

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
