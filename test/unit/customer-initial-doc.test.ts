/**
 * A new customer's first document state is encoded directly (server/customers/customer-initial-doc.ts).
 * Over generated customers, it must be byte for byte what a Y.Doc making the same writes encodes,
 * with the same projection row and the same refusals; the state must load into a Y.Doc that reads
 * back the same customer.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CUSTOMER_FIELDS } from '../../schema/wire/customer.ts';
import { CUSTOMER_ROOTS } from '../../schema/wire/docs.ts';
import { badRequest } from '../../server/http/app-error.ts';
import type { CustomerChange } from '../../server/customers/customer.ts';
import { fieldProblem, readCustomerDoc, tagProblem } from '../../server/customers/customer-doc.ts';
import { buildInitialCustomer, type InitialCustomer, initialRow, writeChangeInDocument } from '../../server/customers/customer-initial-doc.ts';

const now = new Date('2026-12-08T09:00:00Z');

/** The customer built through a Y.Doc, as it was before the direct encoding: the reference. */
function throughYDoc(c: InitialCustomer, clientId: number) {
  const doc = new Y.Doc({ guid: c.id });
  doc.clientID = clientId;
  try {
    doc.transact(() => {
      writeChangeInDocument(doc, { fields: { ...c.change.fields, name: c.name }, tags: c.change.tags, custom: c.change.custom });
    });
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
    return { row: initialRow(c, readCustomerDoc(doc, now), now), state: Y.encodeStateAsUpdate(doc) };
  } finally {
    doc.destroy();
  }
}

const outcome = (f: () => { row: unknown; state: Uint8Array }) => {
  try {
    const { row, state } = f();
    return { ok: true as const, row, state: [...state] };
  } catch (e) {
    return { ok: false as const, message: (e as Error).message, field: (e as { field?: string }).field };
  }
};

const text = fc.oneof(fc.string({ maxLength: 30 }), fc.string({ unit: 'binary', maxLength: 12 }), fc.constantFrom('', ' ', '张三 有限公司', 'a@b.example', '+86 138 0000 0000'));
// Mostly known fields (some values over their limits), now and then an unknown one.
const fieldKey = fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...CUSTOMER_FIELDS) }, { weight: 1, arbitrary: fc.constantFrom('nickname', 'constructor', 'toString') });
const fieldsArb = fc.dictionary(fieldKey, fc.oneof({ weight: 8, arbitrary: text }, { weight: 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.string({ minLength: 200, maxLength: 600 }) }), {
  maxKeys: 8,
});
const tagsArb = fc.option(fc.array(fc.oneof(fc.constantFrom('vip', '重点', 'vip', ' spaced', ''), fc.string({ maxLength: 60 })), { maxLength: 6 }), { nil: undefined });
const customValue = fc.oneof(
  text,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 4 }),
  fc.constant(null),
  fc.constant(undefined),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 3 }),
);
const customKey = fc.oneof(fc.constantFrom('region', 'tier', 'budget_2027', 'Bad-Key', '9lives'), fc.stringMatching(/^[a-z][a-z0-9_]{0,12}$/));
const customerArb = fc.record({
  id: fc.uuid(),
  teamId: fc.uuid(),
  createdBy: fc.uuid(),
  importId: fc.option(fc.uuid(), { nil: null }),
  name: fc.oneof(text, fc.constant('  Padded name  ')),
  fields: fieldsArb,
  tags: tagsArb,
  custom: fc.option(fc.dictionary(customKey, customValue, { maxKeys: 5 }), { nil: undefined }),
  clientId: fc.integer({ min: 0, max: 2 ** 32 - 1 }),
});

describe('the first state of a new customer', () => {
  it('is what a Y.Doc making the same writes encodes, with the same row and the same refusals', () => {
    let built = 0;
    fc.assert(
      fc.property(customerArb, (g) => {
        const change = { fields: g.fields, ...(g.tags ? { tags: g.tags } : {}), ...(g.custom ? { custom: g.custom } : {}) } as CustomerChange;
        const c: InitialCustomer = { id: g.id, teamId: g.teamId, createdBy: g.createdBy, importId: g.importId, name: g.name, change };
        const direct = outcome(() => buildInitialCustomer(c, now, g.clientId));
        expect(direct).toEqual(outcome(() => throughYDoc(c, g.clientId)));
        if (direct.ok) built++;
      }),
      { numRuns: 3000 },
    );
    // The generators reach both sides: customers built and customers refused.
    expect(built).toBeGreaterThan(300);
    expect(built).toBeLessThan(2900);
  });

  it('loads into a Y.Doc that reads back the customer, and draws a client id of its own each time', () => {
    const c: InitialCustomer = {
      id: '00000000-0000-4000-8000-000000000001',
      teamId: '00000000-0000-4000-8000-000000000002',
      createdBy: '00000000-0000-4000-8000-000000000003',
      importId: null,
      name: '华东 Trading',
      change: { fields: { email: 'buyer@east.example', ownerId: '', phone: '+86 21 5555 0000' }, tags: ['vip', 'vip', '重点'], custom: { region: 'east', seats: 12, paused: null } },
    };
    const first = buildInitialCustomer(c, now);
    const second = buildInitialCustomer(c, now);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, first.state);
    const read = readCustomerDoc(doc, now);
    expect(read.fields).toEqual({ name: '华东 Trading', email: 'buyer@east.example', phone: '+86 21 5555 0000' });
    expect(read.tags).toEqual(['vip', '重点']);
    expect(read.custom).toEqual({ region: 'east', seats: 12 });
    expect(first.row).toMatchObject({ name: '华东 Trading', email_norm: 'buyer@east.example', owner_id: null, tags: ['vip', '重点'] });
    const clientOf = (state: Uint8Array) => Y.decodeUpdate(state).structs[0]!.id.client;
    expect(clientOf(first.state)).not.toBe(clientOf(second.state));
    doc.destroy();
  });
});
