/** What the import pipeline (import-job.ts) asks of a writer (customers, leads). */
import type { Transaction } from 'kysely';
import type { Database } from '../../schema/types.ts';
import type { ImportRowResult } from '../../schema/wire/customer-import.ts';
import type { SourceRecord } from './import-source.ts';

export interface SourceBatch {
  records: SourceRecord[];
}

export interface ImportBatchContext {
  /** The job (null in a dry run). */
  importId: string;
  dryRun: boolean;
  /** Stores the batch's counts, report rows and `last_line`: the writer calls it inside its transaction. */
  commit(trx: Transaction<Database>, results: ImportRowResult[]): Promise<void>;
}

export interface PreparedBatch {
  /** Stores the planned batch (calling `commit` in its transaction), after the batch before it; one result per record. */
  store(): Promise<ImportRowResult[]>;
}

export interface ImportWriter {
  /** Plans one batch and, unless a dry run, stores it (calling `commit` in its transaction); returns one result per record. */
  batch(batch: SourceBatch, bc: ImportBatchContext): Promise<ImportRowResult[]>;
  /**
   * Plans one batch while the one before may still be being stored (`before` resolves once it
   * is); its store waits for `before`. A writer without it plans and stores one batch at a time.
   */
  prepare?(batch: SourceBatch, bc: ImportBatchContext, before: Promise<unknown>): Promise<PreparedBatch>;
}
