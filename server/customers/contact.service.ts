/** Contacts of a customer: relational rows (not part of the live document), audited on the customer. */
import type { ContactRow } from '../../schema/tables/customer.table.ts';
import type { ContactDto, CreateContactBody, UpdateContactBody } from '../../schema/wire/customer.ts';
import type { AppContext } from '../context.ts';
import { conflict, forbidden, notFound } from '../http/app-error.ts';
import { can } from '../../schema/policy/access.ts';
import { type CustomerRecord, customerResource } from './customer.ts';
import type { User } from '../users/user.ts';
import { recordCustomerAudit } from './customer-audit.ts';
import { assertContactCustomValues, contactCustomChanges, mergeContactCustom } from './contact-custom.ts';
import { customFieldsOf } from './customer.ts';
import { refreshContactSearch } from './customer.repository.ts';
import { loadVisibleCustomer } from './customer.service.ts';
import {
  CONTACTS_PER_CUSTOMER_MAX,
  countContacts,
  findContact,
  findContactForUpdate,
  insertContact,
  listContacts,
  toContactDto,
  updateContactRow,
} from './contact.repository.ts';

const CONTACT_FIELDS = ['name', 'title', 'phone', 'email', 'decisionMaker'] as const;

function contactValue(r: ContactRow, f: (typeof CONTACT_FIELDS)[number]): unknown {
  return f === 'decisionMaker' ? r.decision_maker : r[f];
}

export async function getContacts(ctx: AppContext, user: User, customerId: string, includeArchived: boolean): Promise<ContactDto[]> {
  await loadVisibleCustomer(ctx, user, customerId);
  return (await listContacts(ctx.db, customerId, includeArchived)).map(toContactDto);
}

export async function createContact(ctx: AppContext, user: User, customerId: string, body: CreateContactBody): Promise<ContactDto> {
  const customer = await loadVisibleCustomer(ctx, user, customerId);
  if (customer.archived_at) throw conflict('The customer is archived; restore it first');
  assertMayWrite(user, customer);
  if ((await countContacts(ctx.db, customerId)) >= CONTACTS_PER_CUSTOMER_MAX) {
    throw conflict(`A customer holds at most ${CONTACTS_PER_CUSTOMER_MAX} contacts`);
  }
  await assertContactCustomValues(ctx, customer.team_id, body.custom ?? {}, true);
  const custom = mergeContactCustom({}, body.custom ?? {});
  const row = await ctx.db.transaction().execute(async (trx) => {
    const contact = await insertContact(trx, {
      customer_id: customerId,
      team_id: customer.team_id,
      name: body.name,
      title: body.title ?? '',
      phone: body.phone ?? '',
      email: body.email ?? '',
      decision_maker: body.decisionMaker ?? false,
      custom_fields: JSON.stringify(custom),
      created_at: ctx.now(),
      updated_at: ctx.now(),
    });
    await refreshContactSearch(trx, customerId);
    await recordCustomerAudit(trx, {
      actorId: user.id,
      teamId: customer.team_id,
      customerId,
      action: 'contact-create',
      changes: { contactId: contact.id, name: [null, contact.name], ...contactCustomChanges({}, custom) },
    });
    return contact;
  });
  contactsChanged(ctx, customer.team_id, customerId);
  return toContactDto(row);
}

/** Tells the team's open pages of the customer to refetch its contacts (after commit). */
function contactsChanged(ctx: AppContext, teamId: string, customerId: string): void {
  ctx.notifier.teamEvent(teamId, 'customer:related', { customerId, part: 'contacts' });
}

/** Contacts are part of their customer: who may change the customer may change them. */
function assertMayWrite(user: User, customer: CustomerRecord): void {
  if (!can(user, 'write', customerResource(customer))) throw forbidden('The customer is archived: only managers and admins change it');
}

/** The contact and its customer, both visible to the user, or 404. */
async function loadVisibleContact(ctx: AppContext, user: User, id: string) {
  const contact = await findContact(ctx.db, id);
  if (!contact) throw notFound('No such contact');
  try {
    return { contact, customer: await loadVisibleCustomer(ctx, user, contact.customer_id) };
  } catch {
    throw notFound('No such contact');
  }
}

export async function updateContact(ctx: AppContext, user: User, id: string, body: UpdateContactBody): Promise<ContactDto> {
  const { contact, customer } = await loadVisibleContact(ctx, user, id);
  if (customer.archived_at) throw conflict('The customer is archived; restore it first');
  if (contact.archived_at) throw conflict('The contact is archived');
  assertMayWrite(user, customer);
  if (body.custom) await assertContactCustomValues(ctx, customer.team_id, body.custom, false);
  const after = await ctx.db.transaction().execute(async (trx) => {
    // Read again inside the transaction: two requests changing different keys both keep theirs.
    const current = body.custom ? await findContactForUpdate(trx, id) : contact;
    const customBefore = customFieldsOf(current ?? contact);
    const row = await updateContactRow(trx, id, {
      name: body.name,
      title: body.title,
      phone: body.phone,
      email: body.email,
      decision_maker: body.decisionMaker,
      ...(body.custom ? { custom_fields: JSON.stringify(mergeContactCustom(customBefore, body.custom)) } : {}),
      updated_at: ctx.now(),
    });
    const changes: Record<string, unknown> = {};
    for (const f of CONTACT_FIELDS) {
      if (contactValue(contact, f) !== contactValue(row, f)) changes[f] = [contactValue(contact, f), contactValue(row, f)];
    }
    const customChanges = contactCustomChanges(customBefore, customFieldsOf(row));
    if (Object.keys(changes).length > 0) await refreshContactSearch(trx, contact.customer_id);
    Object.assign(changes, customChanges);
    if (Object.keys(changes).length > 0) {
      await recordCustomerAudit(trx, {
        actorId: user.id,
        teamId: customer.team_id,
        customerId: contact.customer_id,
        action: 'contact-update',
        changes: { contactId: id, ...changes },
      });
    }
    return row;
  });
  contactsChanged(ctx, customer.team_id, contact.customer_id);
  return toContactDto(after);
}

/**
 * Contacts are archived, never deleted (reps may archive their team's contacts, as they
 * may change the customer: not once it is archived).
 */
export async function archiveContact(ctx: AppContext, user: User, id: string): Promise<ContactDto> {
  const { contact, customer } = await loadVisibleContact(ctx, user, id);
  assertMayWrite(user, customer);
  if (contact.archived_at) return toContactDto(contact);
  const after = await ctx.db.transaction().execute(async (trx) => {
    const row = await updateContactRow(trx, id, { archived_at: ctx.now(), updated_at: ctx.now() });
    await refreshContactSearch(trx, contact.customer_id);
    await recordCustomerAudit(trx, {
      actorId: user.id,
      teamId: customer.team_id,
      customerId: contact.customer_id,
      action: 'contact-archive',
      changes: { contactId: id, name: [contact.name, null] },
    });
    return row;
  });
  contactsChanged(ctx, customer.team_id, contact.customer_id);
  return toContactDto(after);
}
