/**
 * Team operations (docs/team-operations.md): handing a user's book over to colleagues
 * (`POST /api/users/:id/handover`) and bulk edits of customers (`POST /api/customers/bulk`),
 * their progress (`GET /api/handovers/:id`) and undo (`POST /api/handovers/:id/undo`).
 * Request schemas and DTOs shared by server, client and tests.
 */
import { z } from 'zod';
import { categoryKeySchema, tagSchema } from './customer.ts';
import { customerFilterSchema } from './customer-query.ts';
import { uuidSchema } from './ids.ts';

/** Colleagues one handover may share a book between. */
export const HANDOVER_RECIPIENTS_MAX = 50;
/** Records one bulk edit may touch; a larger selection is refused (narrow the filter). */
export const BULK_MAX = 10_000;
/** Tags one bulk edit may add or remove. */
export const BULK_TAGS_MAX = 20;

export const HANDOVER_SPLITS = ['round-robin', 'category'] as const;
export type HandoverSplit = (typeof HANDOVER_SPLITS)[number];

const uniqueIds = (max: number) =>
  z
    .array(uuidSchema)
    .min(1, 'name at least one')
    .max(max, `at most ${max}`)
    .transform((ids) => [...new Set(ids)]);

export const handoverBody = z
  .object({
    to: uniqueIds(HANDOVER_RECIPIENTS_MAX),
    dryRun: z.boolean().optional(),
    split: z.enum(HANDOVER_SPLITS).optional(),
    /** With `split: 'category'`: category key → recipient; customers of other categories go round-robin over `to`. */
    categories: z
      .record(categoryKeySchema, uuidSchema)
      .refine((r) => Object.keys(r).length <= 100, 'at most 100 categories')
      .optional(),
  })
  .strict();
export type HandoverBody = z.infer<typeof handoverBody>;

export const bulkSetSchema = z
  .object({
    ownerId: uuidSchema.nullable().optional(),
    category: categoryKeySchema.nullable().optional(),
    addTags: z.array(tagSchema).max(BULK_TAGS_MAX).optional(),
    removeTags: z.array(tagSchema).max(BULK_TAGS_MAX).optional(),
    archived: z.boolean().optional(),
  })
  .strict()
  .refine((s) => Object.values(s).some((v) => v !== undefined), 'say what to change');
export type BulkSet = z.infer<typeof bulkSetSchema>;

export const customerBulkBody = z
  .object({
    ids: z.array(uuidSchema).min(1, 'name at least one customer').max(BULK_MAX, `at most ${BULK_MAX} customers`).optional(),
    /** The same filters as `GET /api/customers` (as JSON values). */
    filter: customerFilterSchema.omit({ sort: true }).optional(),
    set: bulkSetSchema,
  })
  .strict()
  .refine((b) => (b.ids === undefined) !== (b.filter === undefined), { message: 'send either ids or filter', path: ['ids'] });
export type CustomerBulkBody = z.infer<typeof customerBulkBody>;

export type HandoverStatusDto = 'running' | 'done' | 'failed' | 'undone';

/** One team operation's progress. */
export interface HandoverDto {
  id: string;
  kind: 'handover' | 'bulk';
  status: HandoverStatusDto;
  fromUserId: string | null;
  total: number;
  processed: number;
  counts: Record<string, number>;
  error: string | null;
  createdAt: string;
  finishedAt: string | null;
  undoneAt: string | null;
}

export interface HandoverCounts {
  customers: number;
  opportunities: number;
  tasks: number;
  serviceRecords: number;
}

/** What one recipient gets. */
export interface HandoverShareDto extends HandoverCounts {
  userId: string;
}

/** `POST /api/users/:id/handover`: the counts (moved, or that would move on a dry run). */
export interface HandoverResultDto extends HandoverCounts {
  recipients: HandoverShareDto[];
  /** Null on a dry run. */
  handover: HandoverDto | null;
}

/** `POST /api/customers/bulk`. */
export interface CustomerBulkResultDto {
  updated: number;
  skipped: number;
  /** Up to 100 of the skipped records, with the reason. */
  skippedItems: { id: string; reason: string }[];
  handover: HandoverDto | null;
}

export interface HandoverUndoDto {
  handover: HandoverDto;
  /** Changes undone. */
  restored: number;
  /** Changes left as they are: the record was changed again since, or the old owner is gone. */
  kept: number;
}

/** The customer list's match count stops here (`GET /api/customers/count` answers `capped`). */
export const CUSTOMER_COUNT_CAP = 100_000;

export interface CustomerCountDto {
  count: number;
  /** True when there are more than `count` (the count stopped at CUSTOMER_COUNT_CAP). */
  capped: boolean;
}
