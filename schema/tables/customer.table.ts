import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

export type CustomerKind = 'company' | 'person';

/** The relational projection of a `customer:<id>` document (search, filters, reports). */
export interface CustomerTable {
  id: Generated<string>;
  team_id: string;
  kind: Generated<CustomerKind>;
  name: string;
  industry: Generated<string>;
  size: Generated<string>;
  phone: Generated<string>;
  email: Generated<string>;
  address: Generated<string>;
  website: Generated<string>;
  source: Generated<string>;
  decision_makers: Generated<string>;
  needs: Generated<string>;
  category: Generated<string>;
  owner_id: string | null;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  /** The phone's digits only, for search by trailing digits and duplicate checks. */
  phone_digits: Generated<string>;
  /** Lower-cased, trimmed e-mail, for duplicate checks. */
  email_norm: Generated<string>;
  next_followup_at: Date | null;
  archived_at: Date | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type CustomerRow = Selectable<CustomerTable>;
export type NewCustomerRow = Insertable<CustomerTable>;
export type CustomerUpdate = Updateable<CustomerTable>;

export interface ContactTable {
  id: Generated<string>;
  customer_id: string;
  team_id: string;
  name: string;
  title: Generated<string>;
  phone: Generated<string>;
  email: Generated<string>;
  decision_maker: Generated<boolean>;
  archived_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type ContactRow = Selectable<ContactTable>;
export type NewContactRow = Insertable<ContactTable>;
