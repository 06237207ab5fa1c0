import { type Kysely, type Transaction, sql } from 'kysely';
import type { CustomerImportRow } from '../../schema/tables/customer-import.table.ts';
import type { ImportDto, ImportRowResult } from '../../schema/wire/customer-import.ts';
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
    fileName: r.file_name,
    total: r.total,
    processed: r.processed,
    imported: r.imported,
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

export function insertImport(db: Q, v: { teamId: string; createdBy: string; fileName: string; total: number }): Promise<CustomerImportRow> {
  return db
    .insertInto('customer_imports')
    .values({ team_id: v.teamId, created_by: v.createdBy, file_name: v.fileName, total: v.total })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function addImportProgress(db: Q, id: string, d: { processed: number; imported: number; skipped: number; refused: number }): Promise<void> {
  await db
    .updateTable('customer_imports')
    .set((eb) => ({
      processed: eb('processed', '+', d.processed),
      imported: eb('imported', '+', d.imported),
      skipped: eb('skipped', '+', d.skipped),
      refused: eb('refused', '+', d.refused),
    }))
    .where('id', '=', id)
    .execute();
}

export async function finishImport(
  db: Q,
  id: string,
  v: { status: 'done' | 'failed'; report: ImportRowResult[]; error: string | null; now: Date },
): Promise<void> {
  await db
    .updateTable('customer_imports')
    .set({ status: v.status, report: JSON.stringify(v.report), error: v.error, finished_at: v.now })
    .where('id', '=', id)
    .execute();
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
  await trx.updateTable('customer_imports').set({ status: 'undone', undone_at: now }).where('id', '=', importId).execute();
  return archived.length;
}
