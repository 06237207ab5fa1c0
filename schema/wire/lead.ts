/**
 * Leads (销售线索) as the HTTP API shows them (docs/leads.md gives the routes): DTOs, request
 * bodies and the list query, shared by server, client and tests.
 */
import { z } from 'zod';
import { amountSchema, currencySchema } from './opportunity.ts';
import { OPPORTUNITY_NAME_MAX } from './board.ts';
import { emailSchema, phoneSchema } from './customer.ts';
import { isUuid, uuidSchema } from './ids.ts';
import { isoDateSchema } from './dates.ts';

/** What a rep works a lead through; `converted` is reached only by converting it. */
export const LEAD_WORK_STATUSES = ['new', 'contacted', 'qualified', 'disqualified'] as const;
export const LEAD_STATUSES = [...LEAD_WORK_STATUSES, 'converted'] as const;
export type LeadWorkStatus = (typeof LEAD_WORK_STATUSES)[number];
export type LeadStatus = (typeof LEAD_STATUSES)[number];

export const LEAD_NAME_MAX = 200;
export const LEAD_COMPANY_MAX = 200;
export const LEAD_SOURCE_MAX = 100;
export const LEAD_NOTE_MAX = 2000;
export const LEAD_REASON_MAX = 500;
export const LEAD_SEARCH_MAX = 100;
export const LEAD_LIST_LIMIT_MAX = 200;
export const LEAD_LIST_LIMIT_DEFAULT = 50;
export const LEAD_CURSOR_MAX = 300;

/** Sources a capture form offers; any other text is accepted too (CSV, web forms). */
export const LEAD_SOURCE_SUGGESTIONS = ['website', 'referral', 'event', 'cold-call', 'advertising', 'social', 'partner', 'other'] as const;

export interface LeadDto {
  id: string;
  teamId: string;
  name: string;
  company: string;
  phone: string;
  email: string;
  source: string;
  note: string;
  ownerId: string | null;
  ownerName: string | null;
  status: LeadStatus;
  /** '' unless the status is `disqualified`. */
  disqualifiedReason: string;
  customerId: string | null;
  contactId: string | null;
  opportunityId: string | null;
  convertedAt: string | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface LeadListDto {
  items: LeadDto[];
  nextCursor: string | null;
}

const text = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`);

const nameSchema = z
  .string({ error: 'is required' })
  .trim()
  .min(1, 'is required')
  .max(LEAD_NAME_MAX, `must be at most ${LEAD_NAME_MAX} characters`);

const REASON_REQUIRED = 'is required when the status is disqualified';

const fieldShape = {
  company: text(LEAD_COMPANY_MAX),
  phone: phoneSchema,
  email: emailSchema,
  source: text(LEAD_SOURCE_MAX),
  note: text(LEAD_NOTE_MAX),
  ownerId: uuidSchema.nullable(),
  status: z.enum(LEAD_WORK_STATUSES, { error: `must be one of ${LEAD_WORK_STATUSES.join(', ')}` }),
  disqualifiedReason: text(LEAD_REASON_MAX),
};

export const createLeadBody = z
  .strictObject({
    name: nameSchema,
    company: fieldShape.company.optional(),
    phone: fieldShape.phone.optional(),
    email: fieldShape.email.optional(),
    source: fieldShape.source.optional(),
    note: fieldShape.note.optional(),
    /** Defaults to the creator (when the lead goes to the creator's team). */
    ownerId: fieldShape.ownerId.optional(),
    status: fieldShape.status.optional(),
    disqualifiedReason: fieldShape.disqualifiedReason.optional(),
    /** Admins only: the team the lead belongs to (others: their own). */
    teamId: uuidSchema.optional(),
  })
  .superRefine((b, ctx) => {
    if (b.status === 'disqualified' && !b.disqualifiedReason) {
      ctx.addIssue({ code: 'custom', path: ['disqualifiedReason'], message: REASON_REQUIRED });
    }
  });
export type CreateLeadBody = z.infer<typeof createLeadBody>;

export const updateLeadBody = z.strictObject({
  name: nameSchema.optional(),
  company: fieldShape.company.optional(),
  phone: fieldShape.phone.optional(),
  email: fieldShape.email.optional(),
  source: fieldShape.source.optional(),
  note: fieldShape.note.optional(),
  ownerId: fieldShape.ownerId.optional(),
  status: fieldShape.status.optional(),
  disqualifiedReason: fieldShape.disqualifiedReason.optional(),
});
export type UpdateLeadBody = z.infer<typeof updateLeadBody>;

export { REASON_REQUIRED as LEAD_REASON_REQUIRED };

export const convertLeadBody = z.strictObject({
  /** Also open an opportunity for the new customer, on the team's default pipeline. */
  opportunity: z
    .strictObject({
      name: z.string({ error: 'is required' }).trim().min(1, 'is required').max(OPPORTUNITY_NAME_MAX),
      amount: amountSchema,
      currency: currencySchema.optional(),
    })
    .optional(),
  /** Create the customer although likely duplicates exist (as `POST /api/customers`). */
  confirm: z.boolean().optional(),
});
export type ConvertLeadBody = z.infer<typeof convertLeadBody>;

const listOf = <T extends string>(values: readonly [T, ...T[]]) =>
  z
    .string()
    .transform((v) => [...new Set(v.split(',').map((s) => s.trim()).filter(Boolean))])
    .refine((list): list is T[] => list.every((v) => (values as readonly string[]).includes(v)), `must be among ${values.join(', ')}`);

export const leadListQuery = z.strictObject({
  q: text(LEAD_SEARCH_MAX).optional(),
  /** One status or several, comma-separated. */
  status: listOf(LEAD_STATUSES).optional(),
  source: text(LEAD_SOURCE_MAX).optional(),
  /** A user id, `me`, or `none` (unowned). */
  ownerId: z
    .string()
    .refine((v) => v === 'me' || v === 'none' || isUuid(v), 'must be a user id, "me" or "none"')
    .transform((v) => v.toLowerCase())
    .optional(),
  /** Admins: one team's leads only. */
  teamId: uuidSchema.optional(),
  limit: z.coerce.number().int().min(1).max(LEAD_LIST_LIMIT_MAX).optional(),
  cursor: z.string().max(LEAD_CURSOR_MAX).optional(),
});
export type LeadListQuery = z.infer<typeof leadListQuery>;

// ---- the leads report: `GET /api/reports/leads` ----

export const leadReportQuery = z.strictObject({
  from: isoDateSchema.optional(),
  to: isoDateSchema.optional(),
  teamId: uuidSchema.optional(),
  ownerId: uuidSchema.optional(),
});
export type LeadReportQuery = z.infer<typeof leadReportQuery>;

export interface LeadSourceRow {
  /** '' for leads without a source. */
  source: string;
  leads: number;
  converted: number;
  disqualified: number;
  /** converted / leads; null when there are none. */
  conversionRate: number | null;
}

export interface LeadReportDto {
  report: 'leads';
  filters: { from: string; to: string; teamId: string | null; ownerId: string | null };
  data: {
    /** Leads captured in the period, by source (most leads first). */
    bySource: LeadSourceRow[];
    total: Omit<LeadSourceRow, 'source'>;
  };
}
