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
  /** The @-mentions of the notes and follow-ups as last projected (see customer-doc.ts). */
  mention_snippets: ColumnType<string[], string[] | undefined, string[]>;
  /** The document's `custom` map, key → value (0070; projected like the fields). Written as JSON text. */
  custom_fields: ColumnType<Record<string, unknown>, string | undefined, string>;
  archived_at: Date | null;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  /** Contact names, e-mails and phone digits, kept by the contacts service for search (0004). */
  contact_search: Generated<string>;
  /** Generated: lower-cased searchable text, the exact recheck of a keyword search. */
  search_text: ColumnType<string, never, never>;
  /** Generated: tandem_search_tokens() of the searchable text, GIN-indexed. */
  search_tokens: ColumnType<string[], never, never>;
  /** Generated: tandem_name_key(name), the duplicate key of the name. */
  name_key: ColumnType<string, never, never>;
  /** The import that created this customer, for undoing an import. */
  import_id: ColumnType<string | null, string | null | undefined, string | null>;
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
  /** The import that created the contact (migration 0086), for undo. */
  import_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** Contact custom field values, key → value (0087; checked by the contacts service). Written as JSON text. */
  custom_fields: ColumnType<Record<string, unknown>, string | undefined, string>;
  archived_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type ContactRow = Selectable<ContactTable>;
export type NewContactRow = Insertable<ContactTable>;
