import type { ColumnType, Generated, Selectable } from 'kysely';

export type CustomerImportStatus = 'running' | 'done' | 'failed' | 'undone';

/** One CSV import: its progress, its per-row report, and whether it was undone. */
export interface CustomerImportTable {
  id: Generated<string>;
  team_id: string;
  created_by: string;
  status: Generated<CustomerImportStatus>;
  file_name: Generated<string>;
  total: Generated<number>;
  processed: Generated<number>;
  imported: Generated<number>;
  skipped: Generated<number>;
  refused: Generated<number>;
  /** The per-row report (ImportRowResult[] of schema/wire/customer-import.ts), as JSON. */
  report: ColumnType<unknown, string | undefined, string>;
  error: string | null;
  created_at: Generated<Date>;
  finished_at: Date | null;
  undone_at: Date | null;
}
export type CustomerImportRow = Selectable<CustomerImportTable>;
