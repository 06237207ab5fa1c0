/**
 * Admin-managed lists as the HTTP API shows them (docs/team-operations.md): tags with their
 * usage, team changes and members, the lost-reason list and its free-text setting.
 */
import { z } from 'zod';
import { tagSchema } from './customer.ts';
import { NAME_MAX } from './user.ts';

export const LOST_REASON_LABEL_MAX = 200;
export const LOST_REASONS_MAX = 100;
/** Tags merged into one in a single request. */
export const TAG_MERGE_MAX = 20;

export interface TagUsageDto {
  tag: string;
  /** Customers carrying the tag, archived ones included (a rename rewrites them too). */
  count: number;
}

/** What a rename, merge or delete changed: the customer documents rewritten. */
export interface TagJobResultDto {
  updated: number;
}

export const tagRenameBody = z.object({ from: tagSchema, to: tagSchema }).strict();
export type TagRenameBody = z.infer<typeof tagRenameBody>;

export const tagMergeBody = z
  .object({
    tags: z.array(tagSchema).min(1).max(TAG_MERGE_MAX),
    into: tagSchema,
  })
  .strict();
export type TagMergeBody = z.infer<typeof tagMergeBody>;

export const tagDeleteBody = z.object({ tag: tagSchema }).strict();
export type TagDeleteBody = z.infer<typeof tagDeleteBody>;

export const updateTeamBody = z
  .object({
    name: z.string().trim().min(1).max(NAME_MAX).optional(),
    archived: z.boolean().optional(),
  })
  .strict()
  .refine((b) => b.name !== undefined || b.archived !== undefined, { message: 'say what to change (name or archived)' });
export type UpdateTeamBody = z.infer<typeof updateTeamBody>;

export interface LostReasonDto {
  id: string;
  labelEn: string;
  labelZh: string;
  position: number;
  archived: boolean;
}

export interface LostReasonListDto {
  items: LostReasonDto[];
  /** Whether a free-text reason is allowed besides the list. */
  freeText: boolean;
}

const label = z.string().trim().min(1, 'must not be empty').max(LOST_REASON_LABEL_MAX, `must be at most ${LOST_REASON_LABEL_MAX} characters`);

export const createLostReasonBody = z.object({ labelEn: label, labelZh: label }).strict();
export type CreateLostReasonBody = z.infer<typeof createLostReasonBody>;

export const updateLostReasonBody = z
  .object({
    labelEn: label.optional(),
    labelZh: label.optional(),
    position: z.number().int().min(0).max(LOST_REASONS_MAX).optional(),
    archived: z.boolean().optional(),
  })
  .strict();
export type UpdateLostReasonBody = z.infer<typeof updateLostReasonBody>;

export const lostReasonSettingsBody = z.object({ freeText: z.boolean() }).strict();
export type LostReasonSettingsBody = z.infer<typeof lostReasonSettingsBody>;
