/**
 * The import pipeline, shared by customers and leads: the stored file is read as a stream,
 * cut into batches, and each batch handed to the target's writer, which stores it with the
 * job's progress and `last_line` in one transaction. Memory holds one batch, whatever the
 * file's size. A run claims its job first (import-claim.ts), so that of several nodes exactly
 * one runs it. A job that a restart or a dead node interrupted continues after its last
 * committed line (resumeImports, at start-up and every IMPORT_SWEEP_MS).
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../schema/types.ts';
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
import type { AppContext } from '../context.ts';
import { customFieldsOfTeam } from '../custom-fields/custom-field.service.ts';
import { withBulkHeap } from '../heap.ts';
import { badRequest } from '../http/app-error.ts';
import { leadImportWriter } from '../leads/lead-import-writer.ts';
import { findUserById } from '../users/user.repository.ts';
import type { User } from '../users/user.ts';
import {
  addImportProgress,
  claimImport,
  deleteUnfinishedUploads,
  findImport,
  finishImport,
  type ImportClaimHold,
  ImportClaimLost,
  listResumableImports,
  releaseImportClaim,
} from './customer-import.repository.ts';
import { resolveMapping } from './customer-import.ts';
import { customerImportWriter } from './customer-import-writer.ts';
import { ImportLease, newImportClaim } from './import-claim.ts';
import { deleteImportFile, type OpenedSource, openSource, type SourceRecord } from './import-source.ts';
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
  const contactFields = o.target === 'customers' ? await customFieldsOfTeam(ctx, 'contact', teamId) : [];
  const mapping: Map<ImportColumnTarget, number> = resolveMapping(headers, o.mapping, o.target, customFields, contactFields);
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
    contactFields,
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

/**
 * The items of `source`, the next one read while the caller works on the current one (a
 * batch is parsed while the one before is stored).
 */
export async function* readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  let next = it.next();
  // Handled here so that a failure while the caller works is not an unhandled rejection; the
  // caller meets it at the next item.
  next.catch(() => undefined);
  try {
    for (;;) {
      const r = await next;
      if (r.done) return;
      next = it.next();
      next.catch(() => undefined);
      yield r.value;
    }
  } finally {
    await it.return?.();
  }
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
 * Set while the process shuts down: running jobs stop between batches and let their claim
 * go, so that another node (or the next start) continues them (instead of failing on a
 * closing hub or database).
 */
const stopping = new WeakSet<AppContext>();

export function stopImportJobs(ctx: AppContext): void {
  stopping.add(ctx);
}

/** The runs of this process, by job: a second ask for a job this process runs waits for that run. */
const runs = new WeakMap<AppContext, Map<string, Promise<RunOutcome>>>();

/**
 * How a run ended: `done` (the job ended, done or failed), `stopped` (it stopped between
 * batches and stays running: shutdown, a limit, or another node took the job over),
 * `skipped` (nothing to run here: the job ended already, its upload is not finished, or
 * another live run holds it).
 */
export type RunOutcome = 'done' | 'stopped' | 'skipped';

export interface RunLimits {
  /** Stop after this many batches (tests of resuming). */
  maxBatches?: number;
  /** When stopped by `maxBatches`, keep the claim as a process that dies would (tests of taking over). */
  keepClaim?: boolean;
  /** The claim's lease (tests of taking over; IMPORT_CLAIM_LEASE_MS by default). */
  leaseMs?: number;
  /** The claim the request that created the job holds since the upload began. */
  claim?: ImportClaimHold;
}

/**
 * Runs (or continues) a job to its end — done, or failed with the committed batches kept
 * (undoable) — if this run can claim it (import-claim.ts).
 */
export function runImportJob(ctx: AppContext, importId: string, limits: RunLimits = {}): Promise<RunOutcome> {
  const mine = runs.get(ctx) ?? new Map<string, Promise<RunOutcome>>();
  runs.set(ctx, mine);
  const current = mine.get(importId);
  if (current) return current.then(() => 'skipped');
  // An import is bulk work: the heap grows as V8 sees fit while it runs (heap.ts).
  const run = withBulkHeap(() => runClaimed(ctx, importId, limits)).finally(() => mine.delete(importId));
  mine.set(importId, run);
  return run;
}

async function runClaimed(ctx: AppContext, importId: string, limits: RunLimits): Promise<RunOutcome> {
  const hold = limits.claim ?? newImportClaim(limits.leaseMs);
  if (!(await claimImport(ctx.db, importId, hold))) return 'skipped';
  const job = await findImport(ctx.db, importId);
  if (!job) return 'skipped';
  const lease = new ImportLease(ctx, importId, hold);
  let keepClaim = false;
  /** The last batch planned, being stored (one at a time, in order), and the one before it. */
  let stored: Promise<unknown> = Promise.resolve();
  let storedBefore: Promise<unknown> = Promise.resolve();
  try {
    const user = await findUserById(ctx.db, job.created_by);
    if (!user?.active) throw badRequest('The user who started the import is no longer active', 'row');
    const options = (typeof job.options === 'string' ? JSON.parse(job.options) : job.options) as ImportJobOptions;
    const source = await openSource(ctx.db, importId, { kind: job.file_kind as ImportFileKind, encoding: options.encoding, sheet: options.sheet });
    const { writer } = await prepareWriter(ctx, user, job.team_id, source.headers, options);
    let done = 0;
    for await (const records of readAhead(batches(source.records, job.last_line))) {
      if (limits.maxBatches !== undefined && done >= limits.maxBatches) {
        keepClaim = limits.keepClaim === true;
        await stored;
        return 'stopped';
      }
      if (stopping.has(ctx) || lease.lost) {
        await stored;
        return 'stopped';
      }
      const lastLine = records[records.length - 1]!.line;
      const bc = {
        importId,
        dryRun: false,
        commit: (trx: Transaction<Database>, results: ImportRowResult[]) => {
          const counts = { imported: 0, updated: 0, skipped: 0, refused: 0 };
          for (const r of results) counts[countKey(r)]++;
          return addImportProgress(trx, importId, hold, { processed: records.length, ...counts, lastLine, report: results });
        },
      };
      if (writer.prepare) {
        // This batch is planned while the one before is stored, and stored after it; the one
        // before that is stored already (a batch's keys are compared with the last one's only).
        await storedBefore;
        const next = (await writer.prepare({ records }, bc, stored)).store();
        storedBefore = stored;
        stored = next;
        // Awaited by the next batch's store or below; a failure then fails the job.
        stored.catch(() => {});
      } else {
        await writer.batch({ records }, bc);
      }
      done++;
    }
    await stored;
    if (!(await finishImport(ctx.db, importId, hold.token, { status: 'done', error: null, now: ctx.now() }))) return 'stopped';
  } catch (err) {
    // A batch still being stored ends before the job does.
    await stored.catch(() => {});
    if (stopping.has(ctx)) return 'stopped';
    if (err instanceof ImportClaimLost || lease.lost) {
      ctx.log.warn({ importId }, 'another node took this import over; stopping here');
      return 'stopped';
    }
    ctx.log.error({ err, importId }, 'import failed');
    const message = (err as { status?: number }).status === 400 ? (err as Error).message : 'Storing a batch of rows failed; the rows before it were imported';
    if (!(await finishImport(ctx.db, importId, hold.token, { status: 'failed', error: message, now: ctx.now() }))) return 'stopped';
  } finally {
    lease.stop();
    // Stopped early: the claim goes at once, so that the next start or another node continues
    // (unless a test plays a process that dies, whose lease runs out instead).
    if (!keepClaim) await releaseImportClaim(ctx.db, importId, hold.token).catch((err) => ctx.log.warn({ err, importId }, 'releasing an import claim failed'));
  }
  await deleteImportFile(ctx.db, importId);
  return 'done';
}

/**
 * Continues every job no live run holds (interrupted by a restart, or left by a node that
 * died once its lease ran out), one after another; drops jobs whose upload never finished.
 * Runs at start-up and then every IMPORT_SWEEP_MS (startImportSweeper).
 */
export async function resumeImports(ctx: AppContext): Promise<void> {
  await deleteUnfinishedUploads(ctx.db);
  for (const { id } of await listResumableImports(ctx.db)) {
    if (stopping.has(ctx)) return;
    const outcome = await runImportJob(ctx, id);
    if (outcome !== 'skipped') ctx.log.info({ importId: id, outcome }, 'continued an interrupted import');
  }
}

/** How often a node looks for jobs that a dead node left (their lease ran out). */
export const IMPORT_SWEEP_MS = 30_000;

/** Calls resumeImports every `everyMs` (one sweep at a time) until stopped. */
export function startImportSweeper(ctx: AppContext, everyMs = IMPORT_SWEEP_MS): { stop(): void } {
  let busy = false;
  const timer = setInterval(() => {
    if (busy || stopping.has(ctx)) return;
    busy = true;
    resumeImports(ctx)
      .catch((err: unknown) => ctx.log.error({ err }, 'continuing interrupted imports failed'))
      .finally(() => {
        busy = false;
      });
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
