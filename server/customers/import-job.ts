/**
 * The import pipeline, shared by customers and leads: the stored file is read as a stream,
 * cut into batches, and each batch handed to the target's writer, which stores it with the
 * job's progress and `last_line` in one transaction. Memory holds one batch, whatever the
 * file's size. A job that a restart interrupted continues after its last committed line
 * (resumeImports, at start-up).
 */
import type { Transaction } from 'kysely';
import {
  IMPORT_PREVIEW_ROWS,
  type ImportColumnTarget,
  type ImportEncoding,
  type ImportFieldMode,
  type ImportFileKind,
  type ImportMatchKey,
  type ImportRowResult,
  type ImportTarget,
} from '../../schema/wire/customer-import.ts';
import type { Database } from '../../schema/types.ts';
import type { AppContext } from '../context.ts';
import { badRequest } from '../http/app-error.ts';
import { customFieldsOfTeam } from '../custom-fields/custom-field.service.ts';
import { leadImportWriter } from '../leads/lead-import-writer.ts';
import { findUserById } from '../users/user.repository.ts';
import type { User } from '../users/user.ts';
import { resolveMapping } from './customer-import.ts';
import {
  addImportProgress,
  deleteUnfinishedUploads,
  findImport,
  finishImport,
  listResumableImports,
} from './customer-import.repository.ts';
import { customerImportWriter } from './customer-import-writer.ts';
import { type OpenedSource, type SourceRecord, deleteImportFile, openSource } from './import-source.ts';
import type { ImportWriter } from './import-writer.ts';

/** Rows per batch (one transaction each). */
export const IMPORT_BATCH_ROWS = 1000;

/** The options a job keeps (customer_imports.options), enough to run it again after a restart. */
export interface ImportJobOptions {
  target: ImportTarget;
  mapping?: Record<string, string> | undefined;
  encoding: ImportEncoding;
  sheet?: string | undefined;
  matchBy?: ImportMatchKey | undefined;
  modes?: Record<string, ImportFieldMode> | undefined;
  mode?: ImportFieldMode | undefined;
  confirm: boolean;
}

export interface PreparedWriter {
  writer: ImportWriter;
  /** The mapping used: field → column header. */
  columns: Record<string, string>;
}

/** The target's writer for a file with these headers; a bad mapping or option is a 400 naming it. */
export async function prepareWriter(ctx: AppContext, user: User, teamId: string, headers: string[], o: ImportJobOptions): Promise<PreparedWriter> {
  const customFields = o.target === 'customers' ? await customFieldsOfTeam(ctx, 'customer', teamId) : [];
  const mapping: Map<ImportColumnTarget, number> = resolveMapping(headers, o.mapping, o.target, customFields);
  const columns: Record<string, string> = {};
  for (const [field, index] of mapping) columns[field] = headers[index]!;
  if (o.target === 'leads') {
    if (o.matchBy) throw badRequest('matchBy: a leads import only creates leads', 'matchBy');
    return { writer: await leadImportWriter(ctx, user, { teamId, mapping, headerCount: headers.length }), columns };
  }
  if (o.matchBy) {
    const key = o.matchBy;
    if (key.startsWith('custom.') && !customFields.some((d) => `custom.${d.key}` === key)) throw badRequest(`matchBy: no custom field ${key.slice(7)}`, 'matchBy');
    if (!mapping.has(key as ImportColumnTarget)) throw badRequest(`matchBy: no column is mapped to ${key}`, 'matchBy');
  }
  for (const [field, mode] of Object.entries(o.modes ?? {})) {
    if (!(['overwrite', 'fillEmpty', 'skip'] as string[]).includes(mode)) throw badRequest(`modes: ${field} must be overwrite, fillEmpty or skip`, 'modes');
    if (!mapping.has(field as ImportColumnTarget)) throw badRequest(`modes: no column is mapped to ${field}`, 'modes');
  }
  const writer = await customerImportWriter(ctx, user, {
    teamId,
    mapping,
    headerCount: headers.length,
    matchBy: o.matchBy ?? null,
    modes: o.modes ?? {},
    mode: o.mode ?? 'overwrite',
    confirm: o.confirm,
    customFields,
  });
  return { writer, columns };
}

/** Cuts the records into batches, skipping those at or before `afterLine`. */
async function* batches(records: AsyncIterable<SourceRecord>, afterLine: number): AsyncGenerator<SourceRecord[]> {
  let batch: SourceRecord[] = [];
  for await (const r of records) {
    if (r.line <= afterLine) continue;
    batch.push(r);
    if (batch.length >= IMPORT_BATCH_ROWS) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/** Counts the file's records (checking every cell on the way). */
export async function countRecords(source: OpenedSource): Promise<number> {
  let n = 0;
  for await (const _ of source.records) n++;
  return n;
}

export interface DryRunOutcome {
  total: number;
  imported: number;
  updated: number;
  skipped: number;
  refused: number;
  preview: ImportRowResult[];
}

/** Plans every row without writing: counts and the first rows' results. */
export async function dryRun(source: OpenedSource, writer: ImportWriter): Promise<DryRunOutcome> {
  const out: DryRunOutcome = { total: 0, imported: 0, updated: 0, skipped: 0, refused: 0, preview: [] };
  const noCommit = async () => {
    throw new Error('a dry run commits nothing');
  };
  for await (const records of batches(source.records, 0)) {
    const results = await writer.batch({ records }, { importId: '', dryRun: true, commit: noCommit });
    for (const r of results) {
      out.total++;
      out[countKey(r)]++;
      if (out.preview.length < IMPORT_PREVIEW_ROWS) out.preview.push(r);
    }
  }
  return out;
}

function countKey(r: ImportRowResult): 'imported' | 'updated' | 'skipped' | 'refused' {
  switch (r.status) {
    case 'imported':
      return 'imported';
    case 'updated':
      return 'updated';
    case 'duplicate':
      return 'skipped';
    case 'refused':
      return 'refused';
    default: {
      const never: never = r.status;
      return never;
    }
  }
}

/**
 * Set while the process shuts down: running jobs stop between batches and stay `running`,
 * so the next start continues them (instead of failing on a closing hub or database).
 */
const stopping = new WeakSet<AppContext>();

export function stopImportJobs(ctx: AppContext): void {
  stopping.add(ctx);
}

export interface RunLimits {
  /** Stop after this many batches, as a process that dies would (tests of resuming). */
  maxBatches?: number;
}

/**
 * Runs (or continues) a job to its end: done, or failed with the committed batches kept
 * (undoable). Returns false when stopped early by `limits`.
 */
export async function runImportJob(ctx: AppContext, importId: string, limits: RunLimits = {}): Promise<boolean> {
  const job = await findImport(ctx.db, importId);
  if (job?.status !== 'running' || job.last_line < 0) return true;
  try {
    const user = await findUserById(ctx.db, job.created_by);
    if (!user?.active) throw badRequest('The user who started the import is no longer active', 'row');
    const options = (typeof job.options === 'string' ? JSON.parse(job.options) : job.options) as ImportJobOptions;
    const source = await openSource(ctx.db, importId, { kind: job.file_kind as ImportFileKind, encoding: options.encoding, sheet: options.sheet });
    const { writer } = await prepareWriter(ctx, user, job.team_id, source.headers, options);
    let done = 0;
    for await (const records of batches(source.records, job.last_line)) {
      if (stopping.has(ctx) || (limits.maxBatches !== undefined && done >= limits.maxBatches)) return false;
      const lastLine = records[records.length - 1]!.line;
      await writer.batch(
        { records },
        {
          importId,
          dryRun: false,
          commit: (trx: Transaction<Database>, results: ImportRowResult[]) => {
            const counts = { imported: 0, updated: 0, skipped: 0, refused: 0 };
            for (const r of results) counts[countKey(r)]++;
            return addImportProgress(trx, importId, { processed: records.length, ...counts, lastLine, report: results });
          },
        },
      );
      done++;
    }
    await finishImport(ctx.db, importId, { status: 'done', error: null, now: ctx.now() });
  } catch (err) {
    if (stopping.has(ctx)) return false;
    ctx.log.error({ err, importId }, 'import failed');
    const message = (err as { status?: number }).status === 400 ? (err as Error).message : 'Storing a batch of rows failed; the rows before it were imported';
    await finishImport(ctx.db, importId, { status: 'failed', error: message, now: ctx.now() });
  }
  await deleteImportFile(ctx.db, importId);
  return true;
}

/**
 * At start-up: continues every job a restart interrupted, one after another, in the
 * background; drops jobs whose upload never finished.
 */
export async function resumeImports(ctx: AppContext): Promise<void> {
  await deleteUnfinishedUploads(ctx.db);
  for (const { id } of await listResumableImports(ctx.db)) {
    ctx.log.info({ importId: id }, 'continuing an interrupted import');
    await runImportJob(ctx, id);
  }
}
