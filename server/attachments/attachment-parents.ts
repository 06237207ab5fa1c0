/**
 * The records attachments hang on, and how each one's access is looked up: the parent's own
 * resource for `can()` (schema/policy/access.ts). One entry per ATTACHMENT_PARENT_TYPES member;
 * the mapped type makes the compiler ask for a new kind's entry.
 */
import type { Kysely, Transaction } from 'kysely';
import type { CustomerResource, OpportunityResource } from '../../schema/policy/access.ts';
import type { Database } from '../../schema/types.ts';
import type { AttachmentParentType } from '../../schema/wire/attachments.ts';
import { customerResource } from '../customers/customer.ts';
import { opportunityResource } from '../opportunities/opportunity.ts';
import { findOpportunity } from '../opportunities/opportunity.repository.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** A parent as the policy sees it: its team, and the resource whose read/write rules the attachment follows. */
export interface AttachmentParent {
  teamId: string;
  resource: CustomerResource | OpportunityResource;
}

type ParentLookup = (db: Q, id: string) => Promise<AttachmentParent | null>;

async function customerParent(db: Q, id: string): Promise<AttachmentParent | null> {
  const row = await db.selectFrom('customers').select(['team_id', 'owner_id', 'archived_at']).where('id', '=', id).executeTakeFirst();
  return row ? { teamId: row.team_id, resource: customerResource(row) } : null;
}

export const ATTACHMENT_PARENTS: { readonly [K in AttachmentParentType]: ParentLookup } = {
  customer: customerParent,
  opportunity: async (db, id) => {
    const row = await findOpportunity(db, id);
    return row ? { teamId: row.team_id, resource: opportunityResource(row) } : null;
  },
  // A service record follows its customer's rules (server/service-records/service-record.service.ts).
  service_record: async (db, id) => {
    const row = await db.selectFrom('service_records').select('customer_id').where('id', '=', id).executeTakeFirst();
    return row ? customerParent(db, row.customer_id) : null;
  },
  // A contract follows its opportunity's rules (server/contracts/contract.service.ts).
  contract: async (db, id) => {
    const row = await db.selectFrom('contracts').select('opportunity_id').where('id', '=', id).executeTakeFirst();
    const opp = row ? await findOpportunity(db, row.opportunity_id) : undefined;
    return opp ? { teamId: opp.team_id, resource: opportunityResource(opp) } : null;
  },
};
