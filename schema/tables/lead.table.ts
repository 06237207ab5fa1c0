import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { LeadStatus } from '../wire/lead.ts';

export interface LeadTable {
  id: Generated<string>;
  team_id: string;
  name: string;
  company: Generated<string>;
  phone: Generated<string>;
  email: Generated<string>;
  source: Generated<string>;
  note: Generated<string>;
  owner_id: string | null;
  status: Generated<LeadStatus>;
  /** Required (non-empty) while the status is `disqualified`; '' otherwise. */
  disqualified_reason: Generated<string>;
  /** Set once converted: the customer, contact and (maybe) opportunity made from the lead. */
  customer_id: string | null;
  contact_id: string | null;
  opportunity_id: string | null;
  converted_at: Date | null;
  converted_by: string | null;
  created_by: string;
  /** The import that created the lead (migration 0086). */
  import_id: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type LeadRow = Selectable<LeadTable>;
export type NewLeadRow = Insertable<LeadTable>;
export type LeadUpdate = Updateable<LeadTable>;
