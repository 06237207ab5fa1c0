import type { ColumnType, Generated, Selectable } from 'kysely';

export type CustomerImportStatus = 'running' | 'done' | 'failed' | 'undone';

/** One import job: its target, options, progress, per-row report, and whether it was undone. */
export interface CustomerImportTable {
  id: Generated<string>;
  team_id: string;
  created_by: string;
  status: Generated<CustomerImportStatus>;
  file_name: Generated<string>;
  /** What the rows become (migration 0086). */
  target: Generated<'customers' | 'leads'>;
  file_kind: Generated<'csv' | 'xlsx'>;
  /** The ImportJobOptions (schema/wire/customer-import.ts) the job was started with, as JSON. */
  options: ColumnType<unknown, string | undefined, string>;
  total: Generated<number>;
  processed: Generated<number>;
  imported: Generated<number>;
  updated: Generated<number>;
  skipped: Generated<number>;
  refused: Generated<number>;
  /** The last line of the file whose batch committed: a resumed job continues after it. */
  last_line: Generated<number>;
  /** The per-row report (ImportRowResult[] of schema/wire/customer-import.ts), as JSON. */
  report: ColumnType<unknown, string | undefined, string>;
  error: string | null;
  created_at: Generated<Date>;
  finished_at: Date | null;
  undone_at: Date | null;
  /** The run holding the job (an upload arriving or a job running), and until when (migration 0089). */
  claimed_by: string | null;
  claimed_until: Date | null;
}
export type CustomerImportRow = Selectable<CustomerImportTable>;

/** The uploaded file, in order. */
export interface CustomerImportChunkTable {
  import_id: string;
  seq: number;
  bytes: Uint8Array;
}

/** What an import changed on an existing customer: its values before (field → value), for undo. */
export interface CustomerImportChangeTable {
  import_id: string;
  customer_id: string;
  previous: ColumnType<unknown, string, string>;
}

/** A follow-up an import added to a customer that existed before it (by its id in the document), for undo. */
export interface CustomerImportFollowupTable {
  import_id: string;
  customer_id: string;
  followup_id: string;
}
