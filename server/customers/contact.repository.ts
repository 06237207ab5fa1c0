import type { Kysely, Transaction } from 'kysely';
import type { ContactRow, NewContactRow } from '../../schema/tables/customer.table.ts';
import type { ContactDto } from '../../schema/wire/customer.ts';
import type { Database } from '../../schema/types.ts';
import { customFieldsOf } from './customer.ts';

type Q = Kysely<Database> | Transaction<Database>;
/** A change of a contact row; `custom_fields` is written as JSON text. */
type ContactUpdate = Partial<Omit<ContactRow, 'id' | 'custom_fields'>> & { custom_fields?: string };

export const CONTACTS_PER_CUSTOMER_MAX = 500;

export function toContactDto(r: ContactRow): ContactDto {
  return {
    id: r.id,
    customerId: r.customer_id,
    name: r.name,
    title: r.title,
    phone: r.phone,
    email: r.email,
    decisionMaker: r.decision_maker,
    custom: customFieldsOf(r),
    archivedAt: r.archived_at?.toISOString() ?? null,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

export function listContacts(db: Q, customerId: string, includeArchived: boolean): Promise<ContactRow[]> {
  let q = db.selectFrom('contacts').selectAll().where('customer_id', '=', customerId);
  if (!includeArchived) q = q.where('archived_at', 'is', null);
  return q.orderBy('decision_maker', 'desc').orderBy('created_at').orderBy('id').limit(CONTACTS_PER_CUSTOMER_MAX).execute();
}

/** The active contacts of these customers, each customer's in the order of its contact list. */
export function listActiveContactsOf(db: Q, customerIds: readonly string[]): Promise<ContactRow[]> {
  if (customerIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('contacts')
    .selectAll()
    .where('customer_id', 'in', [...customerIds])
    .where('archived_at', 'is', null)
    .orderBy('customer_id')
    .orderBy('decision_maker', 'desc')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function countContacts(db: Q, customerId: string): Promise<number> {
  const r = await db
    .selectFrom('contacts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('customer_id', '=', customerId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

export function findContact(db: Q, id: string): Promise<ContactRow | undefined> {
  return db.selectFrom('contacts').selectAll().where('id', '=', id).executeTakeFirst();
}

export function insertContact(db: Q, row: NewContactRow): Promise<ContactRow> {
  return db.insertInto('contacts').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateContactRow(db: Q, id: string, patch: ContactUpdate): Promise<ContactRow> {
  return db.updateTable('contacts').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

/** Moves every contact of one customer to another (merge). */
export async function moveContacts(db: Q, fromCustomerId: string, toCustomerId: string): Promise<number> {
  const r = await db.updateTable('contacts').set({ customer_id: toCustomerId }).where('customer_id', '=', fromCustomerId).executeTakeFirst();
  return Number(r.numUpdatedRows);
}

/** The contact, its row locked until the transaction ends (a read-modify-write of its custom values). */
export function findContactForUpdate(trx: Transaction<Database>, id: string): Promise<ContactRow | undefined> {
  return trx.selectFrom('contacts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}
