/**
 * Imports (customers or leads, from CSV or Excel): the upload is stored as it arrives, checked
 * (readable, a name column, a valid mapping), counted, and run as a job by the pipeline of
 * import-job.ts. Small files answer when done; larger ones answer at once and run on, and a
 * restart continues them. An import can be undone: what it created is archived, and the
 * customers it updated get their previous values back through their documents.
 */
import { IMPORT_REPORT_MAX, IMPORT_SYNC_ROWS, type ImportDto, type ImportOptions } from '../../schema/wire/customer-import.ts';
import type { AppContext } from '../context.ts';
import { AppError, badRequest, conflict, forbidden, notFound } from '../http/app-error.ts';
import { findTeamById } from '../teams/team.repository.ts';
import type { User } from '../users/user.ts';
import { type CustomerChange, teamForNewCustomer } from './customer.ts';
import { type ImportResource, can } from '../../schema/policy/access.ts';
import { readScope } from '../../schema/policy/scope.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { IMPORT_ENTITY } from './customer-audit.ts';
import {
  archiveImported,
  deleteImport,
  findImport,
  insertImport,
  listImports,
  listImportedFollowups,
  listPreviousValues,
  readyImport,
  toImportDto,
} from './customer-import.repository.ts';
import { IMPORT_ORIGIN, removeFollowups } from './customer-import-writer.ts';
import { customerDocName } from '../../schema/wire/docs.ts';
import { writeCustomerChange } from './customer-writer.ts';
import { ImportLease, newImportClaim } from './import-claim.ts';
import { type ImportJobOptions, countRecords, dryRun, prepareWriter, runImportJob } from './import-job.ts';
import { fileKindOf, listSheets, openSource, storeImportFile } from './import-source.ts';

export interface ImportStart {
  status: 200 | 201 | 202;
  import: ImportDto;
}

export interface ImportUpload {
  /** The file's bytes as they arrive. */
  body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
  /** The declared content type or file name (tells an Excel book that lacks its magic). */
  declared?: string | undefined;
}

function emptyPreview(target: ImportJobOptions['target'], fileName: string): ImportDto {
  return {
    id: null,
    status: 'preview',
    target,
    fileName,
    total: 0,
    processed: 0,
    imported: 0,
    updated: 0,
    skipped: 0,
    refused: 0,
    report: [],
    reportTruncated: false,
    error: null,
    createdAt: null,
    finishedAt: null,
    undoneAt: null,
  };
}

/** Customer updates restored per page when undoing. */
const UNDO_PAGE = 200;

/**
 * Asked once the file is stored, before anything is checked or started: false stops here with
 * nothing started (a repeat of an earlier upload with the same `Idempotency-Key`, whose first
 * answer the route replays).
 */
export type ImportGate = () => Promise<boolean>;

/**
 * Stores, checks and (unless a dry run) imports an uploaded file; null when `gate` said no.
 * The request holds the job's claim from the first byte stored (import-claim.ts), so that no
 * node drops the upload or runs the job meanwhile, and hands it to the job's run.
 */
export function startImport(ctx: AppContext, user: User, upload: ImportUpload, opts: ImportOptions): Promise<ImportStart>;
export function startImport(ctx: AppContext, user: User, upload: ImportUpload, opts: ImportOptions, gate: ImportGate): Promise<ImportStart | null>;
export async function startImport(ctx: AppContext, user: User, upload: ImportUpload, opts: ImportOptions, gate?: ImportGate): Promise<ImportStart | null> {
  const teamId = teamForNewCustomer(user, opts.teamId);
  // A team named by an admin may not exist; one's own team does.
  if (teamId !== user.teamId && !(await findTeamById(ctx.db, teamId))) throw badRequest('teamId: no such team', 'teamId');
  const options: ImportJobOptions = {
    target: opts.target ?? 'customers',
    mapping: opts.mapping,
    encoding: opts.encoding ?? 'utf-8',
    sheet: opts.sheet,
    matchBy: opts.matchBy as ImportJobOptions['matchBy'],
    modes: opts.modes as ImportJobOptions['modes'],
    mode: opts.mode,
    confirm: opts.confirm,
  };
  const fileName = opts.fileName ?? '';
  const claim = newImportClaim();
  const job = await insertImport(ctx.db, { teamId, createdBy: user.id, fileName, target: options.target, options, claim });
  const lease = new ImportLease(ctx, job.id, claim);
  let started = false;
  try {
    const stored = await storeImportFile(ctx.db, job.id, upload.body);
    if (gate && !(await gate())) return null;
    if (stored.bytes === 0) throw new AppError('bad_request', 400, 'The file is empty', 'file');
    const kind = fileKindOf(stored.head, upload.declared ?? fileName);
    const open = () => openSource(ctx.db, job.id, { kind, encoding: options.encoding, sheet: options.sheet });
    const source = await open();
    const sheets = kind === 'xlsx' ? { sheets: await listSheets(ctx.db, job.id), sheet: source.sheet ?? undefined } : {};
    let prepared: Awaited<ReturnType<typeof prepareWriter>>;
    try {
      prepared = await prepareWriter(ctx, user, teamId, source.headers, options);
    } catch (e) {
      // A book's first sheet is often a cover page: a preview that picked it says why it
      // cannot be read and lists the sheets, so that the wizard offers the picker. A preview
      // without a mapping whose headers name no name column answers the headers likewise, so
      // that the wizard lets the user map them.
      const pickable = opts.dryRun && !opts.sheet && (sheets.sheets?.length ?? 0) > 1 && e instanceof AppError && e.status === 400;
      const mappable = opts.dryRun && !opts.mapping && e instanceof AppError && e.status === 400 && e.field === 'mapping';
      if (!pickable && !mappable) throw e;
      return { status: 200, import: { ...emptyPreview(options.target, fileName), ...sheets, headers: source.headers, error: e.message } };
    }
    const { writer, columns } = prepared;

    if (opts.dryRun) {
      const r = await dryRun(source, writer);
      return {
        status: 200,
        import: {
          id: null,
          status: 'preview',
          target: options.target,
          fileName,
          total: r.total,
          processed: r.total,
          imported: r.imported,
          updated: r.updated,
          skipped: r.skipped,
          refused: r.refused,
          columns,
          ...sheets,
          headers: source.headers,
          report: r.preview,
          reportTruncated: r.total > r.preview.length,
          error: null,
          createdAt: null,
          finishedAt: null,
          undoneAt: null,
        },
      };
    }

    const total = await countRecords(source);
    await ctx.db.transaction().execute(async (trx) => {
      await readyImport(trx, job.id, { fileKind: kind, total });
      // One audit entry for the import; each imported customer's history shows its import
      // from customers.import_id (customer-audit.ts), which keeps bulk imports fast.
      await recordAudit(trx, {
        actor_id: user.id,
        team_id: teamId,
        action: 'import',
        entity_type: IMPORT_ENTITY,
        entity_id: job.id,
        changes: { fileName, rows: total, target: options.target },
      });
    });
    started = true;
    lease.stop();
    const run = runImportJob(ctx, job.id, { claim });
    if (total <= IMPORT_SYNC_ROWS) {
      await run;
      return { status: 201, import: { ...(await getImportDto(ctx, job.id)), columns, ...sheets } };
    }
    run.catch((err) => ctx.log.error({ err, importId: job.id }, 'import failed'));
    return { status: 202, import: { ...(await getImportDto(ctx, job.id)), columns, ...sheets } };
  } finally {
    lease.stop();
    // A dry run, a repeat, or a file refused before its job started, leaves nothing behind.
    if (!started) await deleteImport(ctx.db, job.id);
  }
}

const importResource = (row: { team_id: string }): ImportResource => ({ type: 'import', teamId: row.team_id });

async function loadVisibleImport(ctx: AppContext, user: User, id: string, opts: { withReport?: boolean } = {}) {
  const row = await findImport(ctx.db, id, opts);
  if (!row || !can(user, 'read', importResource(row))) throw notFound('No such import');
  return row;
}

export async function getImportDto(ctx: AppContext, id: string): Promise<ImportDto> {
  const row = await findImport(ctx.db, id);
  if (!row) throw notFound('No such import');
  return toImportDto(row, IMPORT_REPORT_MAX);
}

/** A job as the user may see it; `withReport: false` answers the counts only (`report` empty, `reportTruncated` once rows were processed). */
export async function getImport(ctx: AppContext, user: User, id: string, opts: { withReport?: boolean } = {}): Promise<ImportDto> {
  return toImportDto(await loadVisibleImport(ctx, user, id, opts), IMPORT_REPORT_MAX);
}

export async function getImports(ctx: AppContext, user: User): Promise<ImportDto[]> {
  const scope = readScope(user, 'import');
  if (scope.kind === 'none') return [];
  const rows = await listImports(ctx.db, scope);
  return rows.map((r) => ({ ...toImportDto(r, 0), report: [] }));
}

/**
 * Undoes an import (managers and admins): the customers it updated get their previous values
 * back through their documents (open pages change at once) and lose the follow-ups it added,
 * then every customer and contact it created that is still active is archived. A leads import's leads that are still new
 * are disqualified with the reason "Import undone" (leads are never deleted).
 */
export async function undoImport(
  ctx: AppContext,
  user: User,
  id: string,
): Promise<{ import: ImportDto; archived: number; restored: number; followupsRemoved: number }> {
  const row = await loadVisibleImport(ctx, user, id);
  if (!can(user, 'archive', importResource(row))) throw forbidden('Only managers and admins may undo imports');
  if (row.status === 'running') throw conflict('The import is still running');
  if (row.status === 'undone') throw conflict('The import was already undone');
  let restored = 0;
  for (let after: string | null = null; ; ) {
    const page = await listPreviousValues(ctx.db, id, after, UNDO_PAGE);
    for (const { customer_id, previous } of page) {
      const customer = await ctx.db.selectFrom('customers').select(['archived_at']).where('id', '=', customer_id).executeTakeFirst();
      if (!customer || customer.archived_at) continue;
      await writeCustomerChange(ctx, user, customer_id, changeFromPrevious(previous), IMPORT_ORIGIN);
      restored++;
    }
    if (page.length < UNDO_PAGE) break;
    after = page[page.length - 1]!.customer_id;
  }
  const followupsRemoved = await removeImportedFollowups(ctx, user, id);
  const now = ctx.now();
  const archived = await ctx.db.transaction().execute(async (trx) => {
    if (row.target === 'leads') {
      const leads = await trx
        .updateTable('leads')
        .set({ status: 'disqualified', disqualified_reason: 'Import undone', updated_at: now })
        .where('import_id', '=', id)
        .where('status', '=', 'new')
        .returning('id')
        .execute();
      await trx.updateTable('customer_imports').set({ status: 'undone', undone_at: now }).where('id', '=', id).execute();
      return leads.length;
    }
    return archiveImported(trx, id, user.id, now);
  });
  return { import: await getImport(ctx, user, id), archived, restored, followupsRemoved };
}

/**
 * Takes out of their documents the follow-ups the import added to customers that existed
 * before it (customer_import_followups), as an edit by the person undoing; follow-ups added
 * since by anyone, and those the documents already had, stay. Archived customers are left
 * as they are (as for restored values). Returns how many were removed.
 */
async function removeImportedFollowups(ctx: AppContext, user: User, importId: string): Promise<number> {
  let removed = 0;
  for (let after: string | null = null; ; ) {
    const page = await listImportedFollowups(ctx.db, importId, after, UNDO_PAGE);
    for (const { customerId, followupIds } of page) {
      const customer = await ctx.db.selectFrom('customers').select(['archived_at']).where('id', '=', customerId).executeTakeFirst();
      if (!customer || customer.archived_at) continue;
      const ids = new Set(followupIds);
      await ctx.hub.edit(
        customerDocName(customerId),
        user,
        (doc) => {
          removed += removeFollowups(doc, ids);
        },
        { origin: IMPORT_ORIGIN, unloadSoon: true },
      );
    }
    if (page.length < UNDO_PAGE) break;
    after = page[page.length - 1]!.customerId;
  }
  return removed;
}

/** The stored previous values (field, `tags`, `custom.<key>`) as a change writing them back. */
export function changeFromPrevious(previous: Record<string, unknown>): CustomerChange {
  const change: CustomerChange = { fields: {} };
  for (const [key, value] of Object.entries(previous)) {
    if (key === 'tags') change.tags = Array.isArray(value) ? (value as string[]) : [];
    else if (key.startsWith('custom.')) change.custom = { ...change.custom, [key.slice(7)]: value ?? null };
    else (change.fields as Record<string, unknown>)[key] = value === '' ? null : (value ?? null);
  }
  return change;
}
