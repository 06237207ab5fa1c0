/**
 * Contracts (docs/contracts.md): the signed agreement of an opportunity, attached to it and to
 * its customer — number (unique in the workspace), signature date, term, value, status and the
 * date its owner is reminded to renew it. Shared by server, client and tests.
 */
import { z } from 'zod';
import { isoDateSchema, isoDateTimeSchema } from './dates.ts';
import { amountSchema, currencySchema, type QuoteDto } from './opportunity.ts';

export const CONTRACT_STATUSES = ['active', 'expired', 'terminated'] as const;
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];
export const CONTRACT_NUMBER_MAX = 60;
export const CONTRACT_NOTES_MAX = 4000;

export interface ContractDto {
  id: string;
  opportunityId: string;
  customerId: string;
  teamId: string;
  /** Unique in the workspace, e.g. HT-2026-0001. */
  number: string;
  /** YYYY-MM-DD */
  signedAt: string;
  startsAt: string;
  endsAt: string;
  value: number;
  currency: string;
  status: ContractStatus;
  /** When the opportunity's owner is reminded to renew (ISO time), or null. */
  renewalRemindAt: string | null;
  /** When that reminder went out; null until then, and again after the date changes. */
  renewalRemindedAt: string | null;
  notes: string;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

const number = z.string().trim().min(1).max(CONTRACT_NUMBER_MAX);

/** A term ends on or after its start (dates compare as text in YYYY-MM-DD). */
const termInOrder = (v: { startsAt?: string; endsAt?: string }) => !v.startsAt || !v.endsAt || v.startsAt <= v.endsAt;

export const createContractBody = z
  .strictObject({
    opportunityId: z.string().uuid(),
    number,
    signedAt: isoDateSchema,
    startsAt: isoDateSchema,
    endsAt: isoDateSchema,
    value: amountSchema,
    /** Defaults to the opportunity's currency. */
    currency: currencySchema.optional(),
    renewalRemindAt: isoDateTimeSchema.nullable().optional(),
    notes: z.string().max(CONTRACT_NOTES_MAX).optional(),
  })
  .refine(termInOrder, { message: 'The term ends before it starts', path: ['endsAt'] });
export type CreateContractInput = z.infer<typeof createContractBody>;

export const updateContractBody = z.strictObject({
  number: number.optional(),
  signedAt: isoDateSchema.optional(),
  startsAt: isoDateSchema.optional(),
  endsAt: isoDateSchema.optional(),
  value: amountSchema.optional(),
  currency: currencySchema.optional(),
  status: z.enum(CONTRACT_STATUSES).optional(),
  renewalRemindAt: isoDateTimeSchema.nullable().optional(),
  notes: z.string().max(CONTRACT_NOTES_MAX).optional(),
});
export type UpdateContractInput = z.infer<typeof updateContractBody>;

/** A contract's or order's change, for the open pages of its team (the customer's deals section refetches). */
export interface DealChangedDto {
  kind: 'quote' | 'order' | 'contract';
  id: string;
  customerId: string;
  opportunityId: string;
}

/** The workspace rule of won deals (`/api/workspace/deals`, admins only). */
export interface WorkspaceDealsDto {
  /** Winning an opportunity sets its customer's category to the won-customer category (成交客户). */
  wonSetsCustomerCategory: boolean;
}
export const updateWorkspaceDealsBody = z.strictObject({ wonSetsCustomerCategory: z.boolean() });

/** `GET /api/quotes/:id`: a quote with the names its printed page shows. */
export interface QuotePrintDto {
  quote: QuoteDto;
  opportunityName: string;
  customerName: string;
}
