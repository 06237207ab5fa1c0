/** Customer and lead import (CSV, Excel) and customer export as the HTTP API shows them (docs/customers.md). */
import { z } from 'zod';
import { type DuplicateCandidateDto, CUSTOMER_FIELDS } from './customer.ts';

/**
 * Largest accepted upload (bytes) sent as the raw body (text/csv, the xlsx type or
 * application/octet-stream): it is stored in chunks as it arrives, so a larger cap costs no
 * memory. A larger body is a 413. There is no cap on the number of rows.
 */
export const IMPORT_MAX_BYTES = 1024 * 1024 * 1024;
/** Largest multipart upload: a form is read whole before its file is stored. */
export const IMPORT_FORM_MAX_BYTES = 20 * 1024 * 1024;
/** Imports up to this many rows answer when done (201); larger ones answer at once (202) and run on. */
export const IMPORT_SYNC_ROWS = 2_000;
/** Rows kept in the stored report; counts are always complete. */
export const IMPORT_REPORT_MAX = 5_000;
/** Rows of a dry run's preview. */
export const IMPORT_PREVIEW_ROWS = 20;

export const IMPORT_ENCODINGS = ['utf-8', 'gbk', 'gb18030'] as const;
export type ImportEncoding = (typeof IMPORT_ENCODINGS)[number];

/** What the rows of a file become. */
export const IMPORT_TARGETS = ['customers', 'leads'] as const;
export type ImportTarget = (typeof IMPORT_TARGETS)[number];
export const IMPORT_FILE_KINDS = ['csv', 'xlsx'] as const;
export type ImportFileKind = (typeof IMPORT_FILE_KINDS)[number];

/** A related contact's columns (a contact is added when `contact.name` has a value). */
export const IMPORT_CONTACT_FIELDS = ['contact.name', 'contact.title', 'contact.phone', 'contact.email'] as const;
/** A follow-up's columns (one is logged when `followup.text` has a value). */
export const IMPORT_FOLLOWUP_FIELDS = ['followup.type', 'followup.text', 'followup.at'] as const;

/**
 * Targets a customer column may map to: the record's fields, `tags` (comma-separated),
 * `owner` (a user's e-mail or employee number), a related contact's and a follow-up's
 * columns; and `custom.<key>` for a custom field (checked against the definitions).
 */
export const IMPORT_FIELDS = [
  ...CUSTOMER_FIELDS.filter((f) => f !== 'ownerId'),
  'tags',
  'owner',
  ...IMPORT_CONTACT_FIELDS,
  ...IMPORT_FOLLOWUP_FIELDS,
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
/** Targets a lead column may map to. */
export const LEAD_IMPORT_FIELDS = ['name', 'company', 'phone', 'email', 'source', 'note', 'owner'] as const;
export type LeadImportField = (typeof LEAD_IMPORT_FIELDS)[number];
/** A mapped column's target: a built-in field, `custom.<key>`, or a related contact's `contact.custom.<key>`. */
export type ImportColumnTarget = ImportField | LeadImportField | `custom.${string}` | `contact.custom.${string}`;
/** The prefix of a related contact's custom field column (docs/custom-fields.md, "Contacts"). */
export const IMPORT_CONTACT_CUSTOM_PREFIX = 'contact.custom.';

/** How an import that updates treats a field of a matched record. */
export const IMPORT_FIELD_MODES = ['overwrite', 'fillEmpty', 'skip'] as const;
export type ImportFieldMode = (typeof IMPORT_FIELD_MODES)[number];
/** Keys an import may match existing customers by (or `custom.<key>`, e.g. an external id). */
export const IMPORT_MATCH_KEYS = ['email', 'phone', 'name'] as const;
export type ImportMatchKey = (typeof IMPORT_MATCH_KEYS)[number] | `custom.${string}`;

export type ImportRowStatus = 'imported' | 'updated' | 'duplicate' | 'refused';

export interface ImportRowResult {
  /** The row's line in the file (1 is the header). */
  line: number;
  status: ImportRowStatus;
  name: string;
  customerId?: string;
  /** A lead import's new lead. */
  leadId?: string;
  field?: string;
  reason?: string;
  candidates?: Pick<DuplicateCandidateDto, 'id' | 'name' | 'reasons'>[];
}

export interface ImportDto {
  id: string | null;
  status: 'preview' | 'running' | 'done' | 'failed' | 'undone';
  target: ImportTarget;
  fileName: string;
  total: number;
  processed: number;
  imported: number;
  /** Rows that updated an existing customer (imports with a match key). */
  updated: number;
  skipped: number;
  refused: number;
  /** The mapping used: field → column header. */
  columns?: Record<string, string>;
  /** An Excel book's sheet names (a preview of a book with several sheets lists them for the picker). */
  sheets?: string[];
  /** The sheet read. */
  sheet?: string;
  /** A preview's column headers, in file order (the wizard's mapping step lists them). */
  headers?: string[];
  report: ImportRowResult[];
  reportTruncated: boolean;
  error: string | null;
  createdAt: string | null;
  finishedAt: string | null;
  undoneAt: string | null;
}

/** A JSON object of string values in a URL parameter or form field. */
const jsonRecord = (what: string) =>
  z
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
      ctx.addIssue({ code: 'custom', message: `must be a JSON object of ${what}` });
      return z.NEVER;
    });

const flag = z
  .enum(['1', '0', 'true', 'false'])
  .optional()
  .transform((v) => v === '1' || v === 'true');

/** URL parameters (and multipart fields) of POST /api/customers/import. */
export const importOptionsSchema = z
  .object({
    dryRun: flag,
    /** JSON object: column header → field (or "ignore"). Without it, known headers are recognised. */
    mapping: jsonRecord('column → field'),
    target: z.enum(IMPORT_TARGETS).optional(),
    /** The Excel sheet to read (default: the first). */
    sheet: z.string().max(100).optional(),
    /** Update existing customers matched by this key; rows that match none are created. */
    matchBy: z
      .string()
      .max(80)
      .regex(/^(email|phone|name|custom\.[a-z][a-z0-9_]*)$/, 'must be email, phone, name or custom.<key>')
      .optional(),
    /** Per field of a matched customer: overwrite, fillEmpty or skip (JSON field → mode). */
    modes: jsonRecord('field → overwrite | fillEmpty | skip'),
    /** The mode of fields `modes` does not name (default overwrite). */
    mode: z.enum(IMPORT_FIELD_MODES).optional(),
    encoding: z.enum(IMPORT_ENCODINGS).optional(),
    /** Import rows that look like duplicates anyway. */
    confirm: flag,
    fileName: z.string().max(200).optional(),
    teamId: z.string().uuid().optional(),
  })
  .strict();
export type ImportOptions = z.infer<typeof importOptionsSchema>;
