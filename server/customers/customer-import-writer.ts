/**
 * The customers writer of an import: one batch of rows at a time, it validates them, resolves
 * owners and categories, matches existing customers by the chosen key, marks likely
 * duplicates, and then stores the batch:
 *
 * 1. the previous values of the customers it updates (for undo; first write wins);
 * 2. the updates themselves through the live documents (`hub.edit`, as REST PATCH does), so
 *    open pages change at once, with any follow-up of the row — and which follow-ups it
 *    added (for undo: not one the document had already);
 * 3. one transaction holding the new customers (rows and first snapshots, multi-row
 *    inserts), the related contacts, and the job's progress (`last_line`) — so a row is
 *    wholly there or not, and a resumed job starts after the last committed batch. On
 *    PostgreSQL it inserts the new customers while 2 runs, and commits once 2 has ended;
 * 4. the follow-ups of the new customers, through their documents.
 *
 * On PostgreSQL a batch is planned (read only) while the batch before it is stored, unless
 * their rows share a key (`prepare`); batches are stored one after another, in order.
 */
import { createHash, randomUUID } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import * as Y from 'yjs';
import { can, mayAssignOwner } from '../../schema/policy/access.ts';
import type { Database } from '../../schema/types.ts';
import type { CustomFieldRule } from '../../schema/wire/custom-fields.ts';
import { type CreateCustomerBody, CUSTOMER_FIELDS } from '../../schema/wire/customer.ts';
import type { ImportColumnTarget, ImportFieldMode, ImportMatchKey, ImportRowResult } from '../../schema/wire/customer-import.ts';
import { CUSTOMER_ROOTS, customerDocName } from '../../schema/wire/docs.ts';
import type { AppContext } from '../context.ts';
import { notifyAssignment } from '../notifications/assignment.ts';
import type { PendingDelivery } from '../notifications/notifier.ts';
import type { User } from '../users/user.ts';
import { findDuplicateKeysIn } from './customer.repository.ts';
import { CUSTOMER_RECORD_COLUMNS, type CustomerChange, type CustomerRecord, changeFromBody, customerResource, customFieldsOf, rowFieldValue } from './customer.ts';
import { insertInitialCustomers } from './customer-bulk.repository.ts';
import { listCategories } from './customer-category.repository.ts';
import { type DuplicateKeys, duplicateKeys, emailNorm, nameKey, phoneDigits } from './customer-duplicates.ts';
import { recordImportedFollowups, recordPreviousValues } from './customer-import.repository.ts';
import { type ImportedContact, type ImportedFollowup, mergeUpdate, rowToBody } from './customer-import.ts';
import { buildInitialCustomer, type InitialCustomerState, writeChangeInDocument } from './customer-initial-doc.ts';
import type { ImportBatchContext, ImportWriter, PreparedBatch, SourceBatch } from './import-writer.ts';

type Q = Kysely<Database> | Transaction<Database>;

/**
 * Imported customers owned by someone other than the importer notify that owner, one
 * notification per customer, for at most this many per import (a large import would
 * otherwise bury the owner's list).
 */
export const IMPORT_ASSIGNMENT_NOTIFY_MAX = 50;
/** Document edits (updates, follow-ups) in flight per batch: the hub stores and projects each before answering, so they share its group commits and projection runs. */
const DOCUMENT_EDITS_AT_ONCE = 256;
/**
 * Batches of one process whose transaction stays open while their updates go through the
 * documents (PostgreSQL): each holds a pool connection meanwhile, and the updates need others.
 */
const OVERLAPPING_BATCHES_MAX = 2;
const overlapping = new WeakMap<AppContext, number>();
/** The origin of an import's document edits (the history shows them as the importer's). */
export const IMPORT_ORIGIN = 'import';

export interface CustomerImportSettings {
  teamId: string;
  mapping: Map<ImportColumnTarget, number>;
  headerCount: number;
  matchBy: ImportMatchKey | null;
  modes: Record<string, ImportFieldMode>;
  mode: ImportFieldMode;
  confirm: boolean;
  customFields: readonly CustomFieldRule[];
  /** The active contact fields of the team, for `contact.custom.<key>` columns. */
  contactFields?: readonly CustomFieldRule[];
}

interface Planned {
  line: number;
  name: string;
  result: ImportRowResult | null;
  body?: CreateCustomerBody & { ownerId?: string | null };
  custom?: Record<string, unknown>;
  contact?: ImportedContact | null;
  followup?: ImportedFollowup | null;
  /** The existing customer this row updates. */
  match?: CustomerRecord;
  /** The row's duplicate keys (normalised once: the duplicate check and the batch keys read them). */
  keys?: DuplicateKeys;
}

/** Loads what every batch needs once: categories, the team's members by login. */
export async function customerImportWriter(ctx: AppContext, user: User, s: CustomerImportSettings): Promise<ImportWriter> {
  const categories = new Set((await listCategories(ctx.db, s.teamId)).map((c) => c.key));
  const members = await ctx.db.selectFrom('users').select(['id', 'email']).where('team_id', '=', s.teamId).where('active', '=', true).execute();
  const byLogin = new Map(members.map((m) => [m.email.toLowerCase(), m.id]));
  // A user field's cell may also hold a member's id (as the export writes it).
  for (const m of members) byLogin.set(m.id, m.id);
  const defaultOwner = user.teamId === s.teamId ? user.id : null;
  // Dry runs write nothing, so later batches are compared with earlier rows through this index.
  const dryIndex = new Map<string, DuplicateHit[]>();
  let notified = 0;

  function planRow(line: number, cells: string[], now: Date): Planned {
    const outcome = rowToBody(cells, s.headerCount, s.mapping, s.customFields, now, (login) => byLogin.get(login), s.contactFields);
    const refuse = (field: string, reason: string, name = ''): Planned => ({ line, name, result: { line, status: 'refused', name, field, reason } });
    if (!outcome.ok) return refuse(outcome.field, outcome.reason, (cells[s.mapping.get('name') ?? -1] ?? '').trim());
    const body = outcome.body;
    if (body.category !== undefined && !categories.has(body.category)) return refuse('category', `Unknown category ${body.category}`, body.name);
    let ownerId: string | null | undefined;
    if (outcome.ownerLogin) {
      const found = byLogin.get(outcome.ownerLogin);
      // Never replaced by the importer: the row is refused and says whom it could not find.
      if (!found) return refuse('owner', `No active user ${outcome.ownerLogin} in this team`, body.name);
      ownerId = found;
    }
    return {
      line,
      name: body.name,
      result: null,
      body: { ...body, ...(ownerId !== undefined ? { ownerId } : {}) },
      custom: outcome.custom,
      contact: outcome.contact,
      followup: outcome.followup,
      keys: duplicateKeys(body),
    };
  }

  /** The keys of the batch planned last (its rows' and the customers they match), while it may still be being stored. */
  let lastKeys = new Set<string>();

  /**
   * Plans a batch: reads only, so that on PostgreSQL it can run while the batch before is
   * stored (`before` resolves once it is). It waits for `before` first when one of its rows shares
   * a key with that batch (an e-mail, phone, name or matched value, of a row or of the customer it
   * matches): it then plans as if after it, as one batch after another would. Its store waits
   * for `before` too, so batches are stored in order.
   */
  async function prepare(batch: SourceBatch, bc: ImportBatchContext, before: Promise<unknown>): Promise<PreparedBatch> {
    const now = ctx.now();
    const plan = batch.records.map((r) => planRow(r.line, r.cells, now));
    const keys = new Set(plan.flatMap((p) => (p.body ? rowKeys(p, s.matchBy) : [])));
    if ([...keys].some((k) => lastKeys.has(k))) await before;
    if (s.matchBy) await matchExisting(ctx.db, s.teamId, s.matchBy, plan);
    for (const p of plan) if (p.match) for (const k of recordKeys(p.match, s.matchBy)) keys.add(k);
    lastKeys = keys;
    for (const p of plan) {
      if (p.result || !p.body) continue;
      const isNew = !p.match;
      const from = p.match?.owner_id ?? null;
      const to = p.body.ownerId !== undefined ? p.body.ownerId : isNew ? defaultOwner : from;
      if (!mayAssignOwner(user, { isNew, from, to })) p.result = refusedRow(p, 'owner', 'Only managers and admins assign other owners');
      else if (p.match && !can(user, 'write', customerResource(p.match))) p.result = refusedRow(p, 'row', 'You may not change this customer');
      else if (isNew && p.body.ownerId === undefined) p.body.ownerId = defaultOwner;
    }
    if (!s.confirm) await markDuplicates(ctx.db, s.teamId, plan.filter((p) => !p.result && !p.match), bc.dryRun ? dryIndex : new Map());
    if (bc.dryRun) {
      const results: ImportRowResult[] = plan.map((p) => p.result ?? { line: p.line, status: p.match ? 'updated' : 'imported', name: p.name, ...(p.match ? { customerId: p.match.id } : {}) });
      return { store: async () => results };
    }

    const updates = plan.filter((p) => !p.result && p.match);
    const merged = new Map<Planned, { change: CustomerChange; previous: Record<string, unknown> }>();
    for (const p of updates) {
      const m = mergeUpdate(currentOf(p.match!), { ...changeFromBody(p.body!), custom: p.custom ?? {} }, (f) => s.modes[f] ?? s.mode);
      merged.set(p, m);
    }

    // The new customers' rows and first snapshots.
    const states: InitialCustomerState[] = [];
    const created = new Map<Planned, string>();
    for (const p of plan) {
      if (p.result || p.match || !p.body) continue;
      try {
        const change = changeFromBody(p.body);
        if (p.custom && Object.keys(p.custom).length > 0) change.custom = p.custom;
        const state = buildInitialCustomer({ id: randomUUID(), teamId: s.teamId, createdBy: user.id, importId: bc.importId, name: p.body.name, change }, now);
        states.push(state);
        created.set(p, state.row.id);
        p.result = { line: p.line, status: 'imported', name: p.name, customerId: state.row.id };
      } catch (e) {
        const err = e as { field?: string; message?: string };
        p.result = refusedRow(p, err.field ?? 'row', err.message ?? 'Invalid row');
      }
    }

    return { store: () => before.then(() => store(plan, updates, merged, states, created, bc, now)) };
  }

  /** Stores a planned batch: steps 1–4 (see the top of this file). */
  async function store(
    plan: Planned[],
    updates: Planned[],
    merged: Map<Planned, { change: CustomerChange; previous: Record<string, unknown> }>,
    states: InitialCustomerState[],
    created: Map<Planned, string>,
    bc: ImportBatchContext,
    now: Date,
  ): Promise<ImportRowResult[]> {
    // 1: the previous values of the customers the batch updates (for undo), before they change.
    await recordPreviousValues(
      ctx.db,
      bc.importId,
      updates.filter((p) => Object.keys(merged.get(p)!.previous).length > 0).map((p) => ({ customerId: p.match!.id, previous: merged.get(p)!.previous })),
    );

    // 2 and 3 side by side: the updates go through the documents (the server's work) while
    // the transaction inserts the new customers (the database's); it then waits for the
    // updates, adds the contacts and the job's progress, and commits.
    const updating = updateThroughDocuments(updates, merged, bc.importId);
    // The transaction holds a connection while the updates need others (the hub's commits and
    // projections): PGlite is one session, so there the updates end first; on PostgreSQL at
    // most OVERLAPPING_BATCHES_MAX batches of the process hold one at a time.
    const overlap = ctx.engine === 'postgres' && (overlapping.get(ctx) ?? 0) < OVERLAPPING_BATCHES_MAX;
    if (!overlap) await updating;
    else overlapping.set(ctx, (overlapping.get(ctx) ?? 0) + 1);
    const storing = ctx.db.transaction().execute(async (trx) => {
      await insertInitialCustomers(trx, states, now);
      await updating;
      const results = plan.map((p) => p.result!);
      await insertContacts(trx, s.teamId, bc.importId, plan, created, now);
      await bc.commit(trx, results);
      const out: PendingDelivery[] = [];
      for (const { row } of states) {
        if (notified >= IMPORT_ASSIGNMENT_NOTIFY_MAX || !row.owner_id || row.owner_id === user.id) continue;
        const pending = await notifyAssignment(ctx, trx, {
          actorId: user.id,
          recipientId: row.owner_id,
          previousRecipientId: null,
          entity: { type: 'customer', id: row.id, name: row.name },
          teamId: s.teamId,
        });
        if (pending) {
          out.push(pending);
          notified++;
        }
      }
      return out;
    });
    // A failed transaction still lets the updates end before the batch does.
    const [, stored] = await Promise.allSettled([updating, storing]);
    if (overlap) overlapping.set(ctx, (overlapping.get(ctx) ?? 1) - 1);
    if (stored.status === 'rejected') throw stored.reason;
    ctx.notifier.deliver(stored.value);

    // 4: follow-ups of the new customers, through their documents.
    await eachAtMost(
      DOCUMENT_EDITS_AT_ONCE,
      [...created].filter(([p]) => p.followup),
      async ([p, id]) => {
        try {
          await ctx.hub.edit(customerDocName(id), user, (doc) => addFollowup(doc, user.id, p.followup!), { origin: IMPORT_ORIGIN, unloadSoon: true });
        } catch (err) {
          ctx.log.warn({ err, importId: bc.importId, line: p.line }, 'an imported follow-up was refused');
        }
      },
    );
    return plan.map((p) => p.result!);
  }

  return {
    async batch(batch: SourceBatch, bc: ImportBatchContext): Promise<ImportRowResult[]> {
      return (await prepare(batch, bc, Promise.resolve())).store();
    },
    // PGlite is one session: a batch planned while another is stored would only wait for it.
    ...(ctx.engine === 'postgres' ? { prepare } : {}),
  };

  /** Each row's change through its customer's document (as REST PATCH), a row refused alone; records the follow-ups it added. */
  async function updateThroughDocuments(updates: Planned[], merged: Map<Planned, { change: CustomerChange }>, importId: string): Promise<void> {
    // The follow-ups this import adds to existing customers (not those already there), for undo.
    const addedFollowups: { customerId: string; followupId: string }[] = [];
    await eachAtMost(DOCUMENT_EDITS_AT_ONCE, updates, async (p) => {
      const { change } = merged.get(p)!;
      // A row that changes nothing (the same sheet imported again) leaves the document alone.
      if (isEmptyChange(change) && !p.followup) {
        p.result = { line: p.line, status: 'updated', name: p.match!.name, customerId: p.match!.id };
        return;
      }
      try {
        let added = false;
        await ctx.hub.edit(
          customerDocName(p.match!.id),
          user,
          (doc) => {
            writeChangeInDocument(doc, change);
            if (p.followup) added = addFollowup(doc, user.id, p.followup);
          },
          { origin: IMPORT_ORIGIN, unloadSoon: true },
        );
        if (added) addedFollowups.push({ customerId: p.match!.id, followupId: followupIdOf(p.followup!) });
        p.result = { line: p.line, status: 'updated', name: p.match!.name, customerId: p.match!.id };
      } catch (e) {
        const err = e as { field?: string; message?: string };
        p.result = refusedRow(p, err.field ?? 'row', err.message ?? 'The change was refused');
      }
    });
    await recordImportedFollowups(ctx.db, importId, addedFollowups);
  }
}

const isEmptyChange = (c: CustomerChange): boolean =>
  Object.keys(c.fields ?? {}).length === 0 && c.tags === undefined && Object.keys(c.custom ?? {}).length === 0;

const refusedRow = (p: Planned, field: string, reason: string): ImportRowResult => ({ line: p.line, status: 'refused', name: p.name, field, reason });

function currentOf(r: CustomerRecord) {
  const fields: Partial<Record<(typeof CUSTOMER_FIELDS)[number], string | null>> = {};
  for (const f of CUSTOMER_FIELDS) fields[f] = rowFieldValue(r, f);
  return { fields, tags: r.tags, custom: customFieldsOf(r) };
}

/** A follow-up's id from its content, so that importing the same row again adds it once. */
export function followupIdOf(f: ImportedFollowup): string {
  return `imp-${createHash('sha256').update(`${f.type}\u0000${f.at}\u0000${f.text}`).digest('hex').slice(0, 32)}`;
}

/** Adds the follow-up unless the document has one of its id; true when added. */
function addFollowup(doc: Y.Doc, authorId: string, f: ImportedFollowup): boolean {
  const followups = doc.getArray(CUSTOMER_ROOTS.followups);
  const id = followupIdOf(f);
  if (followups.toArray().some((m) => m instanceof Y.Map && m.get('id') === id)) return false;
  const m = new Y.Map<unknown>();
  m.set('id', id);
  m.set('type', f.type);
  m.set('authorId', authorId);
  m.set('at', f.at);
  m.set('text', new Y.Text(f.text));
  followups.push([m]);
  return true;
}

/** Takes the follow-ups of these ids out of the document (undo of an import); returns how many. */
export function removeFollowups(doc: Y.Doc, ids: ReadonlySet<string>): number {
  const followups = doc.getArray(CUSTOMER_ROOTS.followups);
  let removed = 0;
  for (let i = followups.length - 1; i >= 0; i--) {
    const m = followups.get(i);
    if (m instanceof Y.Map && ids.has(m.get('id') as string)) {
      followups.delete(i, 1);
      removed++;
    }
  }
  return removed;
}

async function eachAtMost<T>(n: number, items: T[], f: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await f(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}

/**
 * What a row could meet another batch's rows by: its duplicate keys, its exact name and its
 * match value (more than the checks compare, never less).
 */
function rowKeys(p: Planned, matchBy: ImportMatchKey | null): string[] {
  const d = p.keys!;
  const match = matchBy ? matchValue(matchBy, p) : null;
  return keysIn([d.nameKey && `n:${d.nameKey}`, d.phoneDigits && `p:${d.phoneDigits}`, d.emailNorm && `e:${d.emailNorm}`, `m:${p.body!.name}`, match && `k:${match}`]);
}

/** The same keys of a customer a row matched: its values before the batch changes them. */
function recordKeys(r: CustomerRecord, matchBy: ImportMatchKey | null): string[] {
  const name = nameKey(r.name);
  const match = matchBy ? recordMatchValue(matchBy, r) : null;
  return keysIn([name && `n:${name}`, r.phone_digits && `p:${r.phone_digits}`, r.email_norm && `e:${r.email_norm}`, `m:${r.name}`, match && `k:${match}`]);
}

const keysIn = (xs: (string | null | false)[]): string[] => xs.filter((x): x is string => typeof x === 'string' && x !== '');

function recordMatchValue(key: ImportMatchKey, r: CustomerRecord): string {
  return key === 'email' ? r.email_norm : key === 'phone' ? r.phone_digits : key === 'name' ? r.name : JSON.stringify(customFieldsOf(r)[key.slice(7)] ?? null);
}

/** The match key's value of a row, normalised as the column it is compared with. */
function matchValue(key: ImportMatchKey, p: Planned): string | null {
  const b = p.body!;
  if (key === 'email') return b.email ? emailNorm(b.email) : null;
  if (key === 'phone') {
    const d = b.phone ? phoneDigits(b.phone) : '';
    return d === '' ? null : d;
  }
  if (key === 'name') return b.name;
  const v = p.custom?.[key.slice(7)];
  return v === undefined || v === null ? null : JSON.stringify(v);
}

/** Finds, for a batch, the existing active customers of the team each row's key names (one query). */
async function matchExisting(db: Q, teamId: string, key: ImportMatchKey, plan: Planned[]): Promise<void> {
  const rows = plan.filter((p) => !p.result && p.body && matchValue(key, p) !== null);
  if (rows.length === 0) return;
  const values = [...new Set(rows.map((p) => matchValue(key, p)!))];
  let q = db.selectFrom('customers').select(CUSTOMER_RECORD_COLUMNS).where('team_id', '=', teamId).where('archived_at', 'is', null);
  if (key === 'email') q = q.where('email_norm', 'in', values);
  else if (key === 'phone') q = q.where('phone_digits', 'in', values);
  else if (key === 'name') q = q.where('name', 'in', values);
  else {
    const k = key.slice(7);
    q = q.where((eb) => eb.or(values.map((v) => sql<boolean>`custom_fields @> ${JSON.stringify({ [k]: JSON.parse(v) })}::jsonb`)));
  }
  const found = (await q.execute()) as CustomerRecord[];
  const byValue = new Map<string, CustomerRecord[]>();
  for (const r of found) {
    const v = recordMatchValue(key, r);
    byValue.set(v, [...(byValue.get(v) ?? []), r]);
  }
  for (const p of rows) {
    const hits = byValue.get(matchValue(key, p)!) ?? [];
    if (hits.length > 1) p.result = refusedRow(p, 'matchBy', `${hits.length} customers have this ${key}; the row cannot say which to update`);
    else if (hits.length === 1) p.match = hits[0];
  }
}

type DuplicateHit = { id: string; name: string; reason: 'name' | 'phone' | 'email' };

/** Lookups against the database per query (well within bind-parameter limits). */
const DUPLICATE_LOOKUP_ROWS = 5000;

/** Skips new rows that match an existing customer or an earlier row of the file (one query per batch). */
async function markDuplicates(db: Q, teamId: string, pending: Planned[], index: Map<string, DuplicateHit[]>): Promise<void> {
  const keysOf = new Map<Planned, DuplicateKeys>(pending.map((p) => [p, p.keys!]));
  for (let i = 0; i < pending.length; i += DUPLICATE_LOOKUP_ROWS) {
    const chunk = pending.slice(i, i + DUPLICATE_LOOKUP_ROWS);
    const keys = chunk.map((p) => keysOf.get(p)!);
    const existing = await findDuplicateKeysIn(db, teamId, {
      nameKeys: present(keys.map((k) => k.nameKey)),
      phones: present(keys.map((k) => k.phoneDigits)),
      emails: present(keys.map((k) => k.emailNorm)),
    });
    const local = new Map(index);
    const add = (k: string, v: DuplicateHit, into: Map<string, DuplicateHit[]>) => into.set(k, [...(into.get(k) ?? []), v]);
    for (const e of existing) {
      add(`n:${e.name_key}`, { id: e.id, name: e.name, reason: 'name' }, local);
      if (e.phone_digits) add(`p:${e.phone_digits}`, { id: e.id, name: e.name, reason: 'phone' }, local);
      if (e.email_norm) add(`e:${e.email_norm}`, { id: e.id, name: e.name, reason: 'email' }, local);
    }
    for (const p of chunk) {
      const k = keysOf.get(p)!;
      const hits = [
        ...(k.nameKey ? (local.get(`n:${k.nameKey}`) ?? []) : []),
        ...(k.phoneDigits ? (local.get(`p:${k.phoneDigits}`) ?? []) : []),
        ...(k.emailNorm ? (local.get(`e:${k.emailNorm}`) ?? []) : []),
      ];
      if (hits.length > 0) {
        const byId = new Map<string, { id: string; name: string; reasons: ('name' | 'phone' | 'email')[] }>();
        for (const h of hits) {
          const c = byId.get(h.id) ?? { id: h.id, name: h.name, reasons: [] };
          c.reasons.push(h.reason);
          byId.set(h.id, c);
        }
        const earlier = [...byId.values()].find((c) => c.id.startsWith('line:'));
        p.result = {
          line: p.line,
          status: 'duplicate',
          name: p.name,
          reason: earlier ? `Same customer as line ${earlier.id.slice(5)} of this file` : 'A customer with the same name, phone or e-mail exists',
          candidates: [...byId.values()].filter((c) => !c.id.startsWith('line:')),
        };
        continue;
      }
      // Later rows of the file are compared with this one too.
      const self = { id: `line:${p.line}`, name: p.name };
      for (const into of [local, index]) {
        if (k.nameKey) add(`n:${k.nameKey}`, { ...self, reason: 'name' }, into);
        if (k.phoneDigits) add(`p:${k.phoneDigits}`, { ...self, reason: 'phone' }, into);
        if (k.emailNorm) add(`e:${k.emailNorm}`, { ...self, reason: 'email' }, into);
      }
    }
  }
}

const present = (xs: (string | null)[]): string[] => [...new Set(xs.filter((x): x is string => x !== null))];

/** The rows' contacts (multi-row insert); an updated customer's contact of the same name is not added twice. */
async function insertContacts(trx: Transaction<Database>, teamId: string, importId: string, plan: Planned[], created: Map<Planned, string>, now: Date): Promise<void> {
  const wanted = plan
    .filter((p) => p.contact && (p.result?.status === 'imported' || p.result?.status === 'updated'))
    .map((p) => ({ customerId: created.get(p) ?? p.match!.id, contact: p.contact! }));
  if (wanted.length === 0) return;
  const existing = await trx
    .selectFrom('contacts')
    .select(['customer_id', 'name'])
    .where(
      'customer_id',
      'in',
      wanted.map((w) => w.customerId),
    )
    .where('archived_at', 'is', null)
    .execute();
  const seen = new Set(existing.map((e) => `${e.customer_id}\u0000${e.name}`));
  const rows = [];
  for (const w of wanted) {
    const k = `${w.customerId}\u0000${w.contact.name}`;
    if (seen.has(k)) continue;
    seen.add(k);
    rows.push({
      customer_id: w.customerId,
      team_id: teamId,
      name: w.contact.name,
      title: w.contact.title ?? '',
      phone: w.contact.phone ?? '',
      email: w.contact.email ?? '',
      custom_fields: JSON.stringify(w.contact.custom ?? {}),
      import_id: importId,
      created_at: now,
      updated_at: now,
    });
  }
  if (rows.length === 0) return;
  await trx.insertInto('contacts').values(rows).execute();
  await refreshContactSearchOf(trx, [...new Set(rows.map((r) => r.customer_id))]);
}

/** refreshContactSearch (customer.repository.ts) for many customers in one statement. */
export async function refreshContactSearchOf(db: Q, customerIds: string[]): Promise<void> {
  if (customerIds.length === 0) return;
  await sql`
    update customers c set contact_search = coalesce((
      select string_agg(lower(ct.name) || ' ' || lower(ct.email) || ' ' || regexp_replace(ct.phone, '\\D', '', 'g'), ' ' order by ct.created_at)
      from contacts ct where ct.customer_id = c.id and ct.archived_at is null), '')
    where c.id = any(${sql.val(customerIds)}::uuid[])`.execute(db);
}
