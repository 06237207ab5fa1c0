/**
 * A new customer's document state and its projection row, built together so that a
 * customer is created in one transaction: the row and the document's first snapshot.
 * Used by the create path (one customer) and by imports (many per transaction). A brand-new
 * id has no open tab and no loaded document, so writing its first snapshot directly is safe;
 * every later change goes through the hub (`ctx.hub.edit`).
 *
 * The row is what readCustomerDoc() reads of that document, mapped as projectCustomers()
 * (customer.projection.ts) maps it, so the hub's first projection of this document leaves the row
 * as it is.
 */
import { randomFillSync } from 'node:crypto';
import * as encoding from 'lib0/encoding';
import type * as Y from 'yjs';
import type { NewCustomerRow } from '../../schema/tables/customer.table.ts';
import { CUSTOMER_FIELDS, type CustomerField } from '../../schema/wire/customer.ts';
import { CUSTOMER_ROOTS } from '../../schema/wire/docs.ts';
import { badRequest } from '../http/app-error.ts';
import type { CustomerChange } from './customer.ts';
import { customValuesOf } from './customer-custom-doc.ts';
import { type CustomerProjection, fieldProblem, projectedColumns, tagProblem } from './customer-doc.ts';

export interface InitialCustomer {
  id: string;
  teamId: string;
  createdBy: string;
  importId: string | null;
  name: string;
  change: CustomerChange;
}

export interface InitialCustomerState {
  row: NewCustomerRow & { id: string };
  /** The document's whole state as one Yjs update (v1), its first snapshot. */
  state: Uint8Array;
}

/** Writes a change into a customer document (fields as strings, ownerId null → removed, tags as a set). */
export function writeChangeInDocument(doc: Y.Doc, change: CustomerChange): void {
  const fields = doc.getMap(CUSTOMER_ROOTS.fields);
  for (const [field, value] of Object.entries(change.fields) as [CustomerField, string | null][]) {
    if (value === null || (field === 'ownerId' && value === '')) fields.delete(field);
    else if (fields.get(field) !== value) fields.set(field, value);
  }
  if (change.tags) {
    const tags = doc.getMap(CUSTOMER_ROOTS.tags);
    const wanted = new Set(change.tags);
    for (const t of [...tags.keys()]) if (!wanted.has(t)) tags.delete(t);
    for (const t of wanted) if (!tags.has(t)) tags.set(t, true);
  }
  if (change.custom) {
    const custom = doc.getMap(CUSTOMER_ROOTS.custom);
    for (const [key, value] of Object.entries(change.custom)) {
      if (value === null || value === undefined) custom.delete(key);
      else if (JSON.stringify(custom.get(key)) !== JSON.stringify(value)) custom.set(key, value);
    }
  }
}

/**
 * The new customer's row and its document's first state. The document holds exactly the change,
 * as map entries written by one client in one transaction; its state is encoded here directly, in
 * Yjs's update format (v1), byte for byte what a Y.Doc making the same writes encodes (the unit
 * test compares them over thousands of generated customers). An import builds thousands of these
 * a second, and a Y.Doc for each cost it more than anything else it did per new row.
 */
export function buildInitialCustomer(c: InitialCustomer, now: Date, clientId = newClientId()): InitialCustomerState {
  // The entries in the order `writeChangeInDocument` writes them into a new document.
  const entries: Array<[root: string, key: string, value: unknown]> = [];
  const written = new Map<string, unknown>();
  for (const [key, value] of Object.entries({ ...c.change.fields, name: c.name })) {
    // Undefined is what a new document's map answers already: nothing is written.
    if (value === null || value === undefined || (key === 'ownerId' && value === '')) continue;
    entries.push([CUSTOMER_ROOTS.fields, key, value]);
    written.set(key, value);
  }
  const tags = c.change.tags ? [...new Set(c.change.tags)] : [];
  for (const tag of tags) entries.push([CUSTOMER_ROOTS.tags, tag, true]);
  const custom: Array<[string, unknown]> = [];
  for (const [key, value] of Object.entries(c.change.custom ?? {})) {
    if (value === null || value === undefined) continue;
    entries.push([CUSTOMER_ROOTS.custom, key, value]);
    custom.push([key, value]);
  }
  for (const [, , value] of entries) {
    if (!isAnyContent(value)) throw new Error('Unexpected content type');
  }

  // The hub's own shape rules, so a document created here is one the hub would accept.
  for (const [key, value] of written) {
    const p = fieldProblem(key, value);
    if (p) throw badRequest(`${p.field}: ${p.message}`, p.field);
  }
  for (const tag of tags) {
    const p = tagProblem(tag, true);
    if (p) throw badRequest(`${p.field}: ${p.message}`, p.field);
  }

  // What readCustomerDoc reads of such a document: no follow-ups, no notes.
  const fields: CustomerProjection['fields'] = {};
  for (const name of CUSTOMER_FIELDS) {
    const v = written.get(name);
    if (typeof v === 'string') fields[name] = v;
  }
  const p: CustomerProjection = {
    fields,
    ownerId: fields.ownerId ? fields.ownerId : null,
    tags: [...tags].sort(),
    nextFollowupAt: null,
    followups: [],
    mentionSnippets: [],
    custom: customValuesOf(custom),
  };
  return { row: initialRow(c, p, now), state: encodeMapEntries(clientId, entries) };
}

/** The new customer's row from what its document reads as (the projection's mapping). */
export function initialRow(c: InitialCustomer, p: CustomerProjection, now: Date): InitialCustomerState['row'] {
  return {
    ...projectedColumns(p),
    custom_fields: JSON.stringify(p.custom),
    id: c.id,
    team_id: c.teamId,
    created_by: c.createdBy,
    import_id: c.importId,
    name: (p.fields.name ?? c.name).trim(),
    created_at: now,
    updated_at: now,
  };
}

/** Values Y.Map.set stores as they are (ContentAny); anything else it refuses or stores otherwise. */
function isAnyContent(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  const k = (value as { constructor?: unknown }).constructor;
  return k === Number || k === Object || k === Boolean || k === Array || k === String || k === Date || k === BigInt;
}

/** Item info of a map entry: its content is ContentAny (ref 8) and it has a key in its parent (bit 6). */
const MAP_ENTRY_INFO = 8 | 0b10_0000;

/**
 * One client's writes of new entries into root maps of an empty document, as the update a Y.Doc
 * encodes for its whole state (`Y.encodeStateAsUpdate`): one client, its items from clock 0 in
 * order (each with no left or right neighbour, so the parent and key are written), and an empty
 * delete set.
 */
function encodeMapEntries(clientId: number, entries: ReadonlyArray<readonly [root: string, key: string, value: unknown]>): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 1);
  encoding.writeVarUint(e, entries.length);
  encoding.writeVarUint(e, clientId);
  encoding.writeVarUint(e, 0);
  for (const [root, key, value] of entries) {
    encoding.writeUint8(e, MAP_ENTRY_INFO);
    // The parent is a root type, named.
    encoding.writeVarUint(e, 1);
    encoding.writeVarString(e, root);
    encoding.writeVarString(e, key);
    // One value.
    encoding.writeVarUint(e, 1);
    encoding.writeAny(e, value as Parameters<typeof encoding.writeAny>[1]);
  }
  encoding.writeVarUint(e, 0);
  return encoding.toUint8Array(e);
}

/** Client ids of new documents: random 32-bit numbers as Yjs draws them, from a pool (one draw from the system per 1,024). */
const clientIds = new Uint32Array(1024);
let nextClientId = clientIds.length;

function newClientId(): number {
  if (nextClientId === clientIds.length) {
    randomFillSync(clientIds);
    nextClientId = 0;
  }
  return clientIds[nextClientId++]!;
}
