/**
 * Converting a lead: a customer through the customers' own creation path (its document, the
 * duplicate check, its audit), a contact from the lead's person, optionally an opportunity on
 * the team's default pipeline (a board edit through the hub), then the lead marked converted
 * with links to what was made.
 *
 * The customer and the opportunity are written through their own services (the opportunity
 * through the live board), so the steps are not one transaction. Converting once is guaranteed
 * by a claim on the lead's row (its status flips to `converted` only if unchanged); a failure
 * before the customer exists releases the claim, a failure after it keeps the lead linked to
 * the customer that was made, so nothing is orphaned or made twice.
 */
import { mayAssignOwner } from '../../schema/policy/access.ts';
import type { ContactDto, CustomerDto, DuplicateCandidateDto } from '../../schema/wire/customer.ts';
import type { ConvertLeadBody } from '../../schema/wire/lead.ts';
import type { OpportunityDto } from '../../schema/wire/opportunity.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import type { AppContext } from '../context.ts';
import { createContact } from '../customers/contact.service.ts';
import { CUSTOMER_ENTITY } from '../customers/customer-audit.ts';
import { createCustomer } from '../customers/customer.service.ts';
import { conflict } from '../http/app-error.ts';
import { toOpportunityDto } from '../opportunities/opportunity.ts';
import { createOpportunity } from '../opportunities/opportunity.service.ts';
import type { User } from '../users/user.ts';
import { assertConvertible, customerFromLead } from './lead.ts';
import { recordLeadAudit } from './lead-audit.ts';
import { claimForConversion, releaseConversion, updateLeadRow } from './lead.repository.ts';
import { loadWritableLead } from './lead.service.ts';

/** What the customer's history says of where it came from. */
export const CONVERTED_FROM_LEAD = 'converted-from-lead';

export type ConvertResult =
  | { kind: 'converted'; customer: CustomerDto; contact: ContactDto; opportunity?: OpportunityDto }
  | { kind: 'duplicates'; candidates: DuplicateCandidateDto[] };

export async function convertLead(ctx: AppContext, user: User, id: string, body: ConvertLeadBody): Promise<ConvertResult> {
  const lead = await loadWritableLead(ctx, user, id);
  assertConvertible(lead.status);
  if (!(await claimForConversion(ctx.db, id, lead.status, user.id, ctx.now()))) throw conflict('The lead is already converted');

  // A rep gives the customer to themselves (the owner rule of customers); managers keep the lead's owner.
  const ownerId = lead.owner_id && mayAssignOwner(user, { isNew: true, from: null, to: lead.owner_id }) ? lead.owner_id : undefined;
  let customer: CustomerDto | undefined;
  try {
    const created = await createCustomer(ctx, user, {
      ...customerFromLead(lead),
      teamId: lead.team_id,
      ...(ownerId ? { ownerId } : {}),
      confirm: body.confirm,
    });
    if (created.kind === 'duplicates') {
      await releaseConversion(ctx.db, id, lead.status, ctx.now());
      return created;
    }
    customer = created.customer;
  } catch (err) {
    await releaseConversion(ctx.db, id, lead.status, ctx.now());
    throw err;
  }

  let contact: ContactDto | undefined;
  let opportunity: OpportunityDto | undefined;
  try {
    contact = await createContact(ctx, user, customer.id, { name: lead.name, phone: lead.phone, email: lead.email });
    if (body.opportunity) {
      const row = await createOpportunity(ctx, user, {
        customerId: customer.id,
        name: body.opportunity.name,
        amount: body.opportunity.amount,
        currency: body.opportunity.currency,
        ...(ownerId ? { ownerId } : {}),
      });
      opportunity = toOpportunityDto(row);
    }
  } finally {
    // Whatever was made is linked, even when a later step failed.
    const now = ctx.now();
    const made = { customerId: customer.id, contactId: contact?.id ?? null, opportunityId: opportunity?.id ?? null };
    await ctx.db.transaction().execute(async (trx) => {
      await updateLeadRow(trx, id, {
        customer_id: made.customerId,
        contact_id: made.contactId,
        opportunity_id: made.opportunityId,
        updated_at: now,
      });
      await recordLeadAudit(trx, {
        actorId: user.id,
        teamId: lead.team_id,
        leadId: id,
        action: 'convert',
        changes: { status: [lead.status, 'converted'], ...made },
        at: now,
      });
      await recordAudit(trx, {
        actor_id: user.id,
        team_id: lead.team_id,
        action: CONVERTED_FROM_LEAD,
        entity_type: CUSTOMER_ENTITY,
        entity_id: made.customerId,
        changes: { leadId: id, leadName: lead.name, ...(made.opportunityId ? { opportunityId: made.opportunityId } : {}) },
        at: now,
      });
    });
  }
  return { kind: 'converted', customer, contact, ...(opportunity ? { opportunity } : {}) };
}
