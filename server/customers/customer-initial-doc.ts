/**
 * A new customer's document state and its projection row, built together so that a
 * customer is created in one transaction: the row and the document's first snapshot.
 * Used by the create path (one customer) and by imports (many per transaction). A brand-new
 * id has no open tab and no loaded document, so writing its first snapshot directly is safe;
 * every later change goes through the hub (`ctx.hub.edit`).
 *
 * The row mirrors projectCustomers() (customer.projection.ts) from the same readCustomerDoc()
 * values, so the hub's first projection of this document leaves the row as it is.
 */
import * as Y from 'yjs';
import type { NewCustomerRow } from '../../schema/tables/customer.table.ts';
import type { CustomerField } from '../../schema/wire/customer.ts';
import { CUSTOMER_ROOTS } from '../../schema/wire/docs.ts';
import { badRequest } from '../http/app-error.ts';
import type { CustomerChange } from './customer.ts';
import { fieldProblem, projectedColumns, readCustomerDoc, tagProblem } from './customer-doc.ts';

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

export function buildInitialCustomer(c: InitialCustomer, now: Date): InitialCustomerState {
  // A given guid: generating a random one costs more than the rest of this function.
  const doc = new Y.Doc({ guid: c.id });
  try {
    doc.transact(() => {
      writeChangeInDocument(doc, { fields: { ...c.change.fields, name: c.name }, tags: c.change.tags, custom: c.change.custom });
    });
    // The hub's own shape rules, so a document created here is one the hub would accept.
    const fields = doc.getMap(CUSTOMER_ROOTS.fields);
    for (const key of fields.keys()) {
      const p = fieldProblem(key, fields.get(key));
      if (p) throw badRequest(`${p.field}: ${p.message}`, p.field);
    }
    const tags = doc.getMap(CUSTOMER_ROOTS.tags);
    for (const key of tags.keys()) {
      const p = tagProblem(key, tags.get(key));
      if (p) throw badRequest(`${p.field}: ${p.message}`, p.field);
    }
    const p = readCustomerDoc(doc, now);
    const row: NewCustomerRow & { id: string } = {
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
    return { row, state: Y.encodeStateAsUpdate(doc) };
  } finally {
    doc.destroy();
  }
}
