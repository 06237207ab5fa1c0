/** Customer CSV import and export as the HTTP API shows them (docs/customers.md). */
import { z } from 'zod';
import { type DuplicateCandidateDto, CUSTOMER_FIELDS } from './customer.ts';

/** Largest accepted upload (bytes): a larger body is a 413. */
export const IMPORT_MAX_BYTES = 20 * 1024 * 1024;
/** Most data rows per import: more is a 413. */
export const IMPORT_MAX_ROWS = 100_000;
/** Imports up to this many rows answer when done (201); larger ones answer at once (202) and run on. */
export const IMPORT_SYNC_ROWS = 2_000;
/** Rows kept in the stored report; counts are always complete. */
export const IMPORT_REPORT_MAX = 5_000;
/** Rows of a dry run's preview. */
export const IMPORT_PREVIEW_ROWS = 20;

export const IMPORT_ENCODINGS = ['utf-8', 'gbk', 'gb18030'] as const;
export type ImportEncoding = (typeof IMPORT_ENCODINGS)[number];

/** Targets a CSV column may map to: the record's fields, `tags` (comma-separated) and `owner` (a user's e-mail). */
export const IMPORT_FIELDS = [...CUSTOMER_FIELDS.filter((f) => f !== 'ownerId'), 'tags', 'owner'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

export type ImportRowStatus = 'imported' | 'duplicate' | 'refused';

export interface ImportRowResult {
  /** The row's line in the file (1 is the header). */
  line: number;
  status: ImportRowStatus;
  name: string;
  customerId?: string;
  field?: string;
  reason?: string;
  candidates?: Pick<DuplicateCandidateDto, 'id' | 'name' | 'reasons'>[];
}

export interface ImportDto {
  id: string | null;
  status: 'preview' | 'running' | 'done' | 'failed' | 'undone';
  fileName: string;
  total: number;
  processed: number;
  imported: number;
  skipped: number;
  refused: number;
  /** The mapping used: field → column header. */
  columns?: Record<string, string>;
  report: ImportRowResult[];
  reportTruncated: boolean;
  error: string | null;
  createdAt: string | null;
  finishedAt: string | null;
  undoneAt: string | null;
}

const flag = z
  .enum(['1', '0', 'true', 'false'])
  .optional()
  .transform((v) => v === '1' || v === 'true');

/** URL parameters (and multipart fields) of POST /api/customers/import. */
export const importOptionsSchema = z
  .object({
    dryRun: flag,
    /** JSON object: CSV header → field (or "ignore"). Without it, known headers are recognised. */
    mapping: z
      .string()
      .max(10_000)
      .optional()
      .transform((s, ctx) => {
        if (!s) return undefined;
        try {
          const v = JSON.parse(s) as unknown;
          if (typeof v === 'object' && v && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'string')) {
            return v as Record<string, string>;
          }
        } catch {
          // fall through
        }
        ctx.addIssue({ code: 'custom', message: 'must be a JSON object of column → field' });
        return z.NEVER;
      }),
    encoding: z.enum(IMPORT_ENCODINGS).optional(),
    /** Import rows that look like duplicates anyway. */
    confirm: flag,
    fileName: z.string().max(200).optional(),
    teamId: z.string().uuid().optional(),
  })
  .strict();
export type ImportOptions = z.infer<typeof importOptionsSchema>;
