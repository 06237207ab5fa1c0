/**
 * Lead rules: what a row looks like to the API, who may see and change it, and how its status
 * may move. Pure. Leads follow the customers' access rules (schema/policy/access.ts): a lead is
 * asked about as a customer of its team would be — admins every team's, others their own team's;
 * the team of a new lead and giving it to someone else follow the customers' rules too.
 */
import { type Actor, type CustomerResource, can } from '../../schema/policy/access.ts';
import type { LeadRow } from '../../schema/tables/lead.table.ts';
import { LEAD_REASON_REQUIRED, type LeadDto, type LeadStatus, type LeadWorkStatus } from '../../schema/wire/lead.ts';
import { assertOwnerChangeAllowed, teamForNewCustomer } from '../customers/customer.ts';
import { badRequest, conflict } from '../http/app-error.ts';

/** A lead row with its owner's name (for the list). */
export type LeadRecord = LeadRow & { owner_name: string | null };

export function toLeadDto(r: LeadRecord): LeadDto {
  return {
    id: r.id,
    teamId: r.team_id,
    name: r.name,
    company: r.company,
    phone: r.phone,
    email: r.email,
    source: r.source,
    note: r.note,
    ownerId: r.owner_id,
    ownerName: r.owner_name,
    status: r.status,
    disqualifiedReason: r.disqualified_reason,
    customerId: r.customer_id,
    contactId: r.contact_id,
    opportunityId: r.opportunity_id,
    convertedAt: r.converted_at?.toISOString() ?? null,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** The lead as the policy sees it: a customer-like record of its team. */
export function leadResource(r: Pick<LeadRow, 'team_id' | 'owner_id'>): CustomerResource {
  return { type: 'customer', teamId: r.team_id, ownerId: r.owner_id, archived: false };
}

export const mayReadLead = (a: Actor, r: Pick<LeadRow, 'team_id' | 'owner_id'>): boolean => can(a, 'read', leadResource(r));
export const mayWriteLead = (a: Actor, r: Pick<LeadRow, 'team_id' | 'owner_id'>): boolean => can(a, 'write', leadResource(r));

/**
 * The team a new lead goes to: as for a new customer (a lead is a customer-like record of its
 * team), except that an admin who names none captures it for their own team, if they have one.
 */
export function teamForNewLead(user: Actor, requested: string | undefined): string {
  return teamForNewCustomer(user, requested ?? user.teamId ?? undefined);
}

/** The owner rule, the customers' (policy `mayAssignOwner`). */
export const assertLeadOwnerChange = assertOwnerChangeAllowed;

/**
 * The status and reason after a change. A converted lead is final (409); `disqualified` needs a
 * reason, given now or kept from before (400 on `disqualifiedReason`); leaving it clears the reason.
 */
export function nextStatus(
  before: { status: LeadStatus; reason: string },
  change: { status?: LeadWorkStatus; reason?: string },
): { status: LeadStatus; reason: string } {
  if (before.status === 'converted') throw conflict('The lead is converted; change the customer instead');
  const status = change.status ?? before.status;
  if (status !== 'disqualified') {
    if (change.reason) throw badRequest('disqualifiedReason: only a disqualified lead has a reason', 'disqualifiedReason');
    return { status, reason: '' };
  }
  const reason = change.reason ?? before.reason;
  if (!reason) throw badRequest(`disqualifiedReason: ${LEAD_REASON_REQUIRED}`, 'disqualifiedReason');
  return { status, reason };
}

/** Converting: open leads only (a disqualified one is reopened first; a converted one stays so). */
export function assertConvertible(status: LeadStatus): void {
  if (status === 'converted') throw conflict('The lead is already converted');
  if (status === 'disqualified') throw conflict('The lead is disqualified; reopen it before converting');
}

/** The fields a lead's history records, in form order. */
export const LEAD_AUDITED_FIELDS = ['name', 'company', 'phone', 'email', 'source', 'note', 'owner_id', 'status', 'disqualified_reason'] as const;

const WIRE_NAME: Record<(typeof LEAD_AUDITED_FIELDS)[number], string> = {
  name: 'name',
  company: 'company',
  phone: 'phone',
  email: 'email',
  source: 'source',
  note: 'note',
  owner_id: 'ownerId',
  status: 'status',
  disqualified_reason: 'disqualifiedReason',
};

/** field → [old, new] (wire names) for what differs between two rows; `before` undefined is a creation. */
export function leadChanges(before: LeadRow | undefined, after: LeadRow): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  for (const f of LEAD_AUDITED_FIELDS) {
    const a = before ? before[f] : null;
    const b = after[f];
    if (a !== b && !(before === undefined && b === '')) out[WIRE_NAME[f]] = [a, b];
  }
  return out;
}

/** The customer a lead becomes: its company, or the person when there is none. */
export function customerFromLead(lead: Pick<LeadRow, 'name' | 'company' | 'phone' | 'email' | 'source' | 'note'>) {
  const company = lead.company.trim();
  return {
    name: company || lead.name,
    kind: company ? ('company' as const) : ('person' as const),
    phone: lead.phone,
    email: lead.email,
    source: lead.source,
    needs: lead.note,
  };
}
