/**
 * The customer projection is the one writer of the field history and of
 * owner-assignment notifications, whether a change comes over REST or from
 * an edit of the live document.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { createCustomField } from '../../server/custom-fields/custom-field.service.ts';
import type { User } from '../../server/users/user.ts';
import { type TestContext, createTestContext, jsonRequest, login, seedTeam, seedUser } from '../helpers/context.ts';

let t: TestContext;
let manager: User;
let rep: User;
let rep2: User;
let repCookie: string;
let managerCookie: string;
let customerId: string;
let clock: Date;

const history = async () =>
  (
    (await (await t.app.request(`/api/customers/${customerId}/history`, { headers: { cookie: managerCookie } })).json()) as {
      items: Array<{ action: string; actorId: string | null; changes: Record<string, [unknown, unknown]> }>;
    }
  ).items;
const notificationsOf = (userId: string) =>
  t.ctx.db.selectFrom('notifications').selectAll().where('recipient_id', '=', userId).where('type', '=', 'assignment').execute();

beforeAll(async () => {
  t = await createTestContext();
  clock = new Date('2026-04-01T08:00:00Z');
  t.ctx.now = () => clock;
  const team = (await seedTeam(t.ctx)).id;
  manager = await seedUser(t.ctx, { role: 'manager', teamId: team, name: 'Mia Manager' });
  rep = await seedUser(t.ctx, { teamId: team, name: 'Ray Rep' });
  rep2 = await seedUser(t.ctx, { teamId: team, name: 'Rita Rep' });
  repCookie = await login(t.app, rep.email);
  managerCookie = await login(t.app, manager.email);
  const res = await t.app.request('/api/customers', jsonRequest('POST', { name: 'Northwind 北风' }, repCookie));
  customerId = ((await res.json()) as { customer: { id: string } }).customer.id;
});
afterAll(() => t.close());

describe('history of field changes', () => {
  it('records a live edit, and a run of edits by one person as one entry', async () => {
    const typed = ['P', 'Pr', 'Pri', 'Price'];
    for (const needs of typed) {
      clock = new Date(clock.getTime() + 1000);
      await t.ctx.hub.edit(`customer:${customerId}`, rep, (d) => d.getMap('fields').set('needs', needs));
    }
    const updates = (await history()).filter((h) => h.action === 'update');
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ actorId: rep.id, changes: { needs: ['', 'Price'] } });
  });

  it('starts a new entry for another person or after a pause, and once over REST', async () => {
    clock = new Date(clock.getTime() + 1000);
    await t.ctx.hub.edit(`customer:${customerId}`, manager, (d) => d.getMap('fields').set('industry', 'Energy'));
    clock = new Date(clock.getTime() + 5 * 60_000);
    const res = await t.app.request(`/api/customers/${customerId}`, jsonRequest('PATCH', { industry: 'Utilities' }, managerCookie));
    expect(res.status).toBe(200);
    const updates = (await history()).filter((h) => h.action === 'update');
    expect(updates.map((u) => u.changes)).toEqual([{ industry: ['Energy', 'Utilities'] }, { industry: ['', 'Energy'] }, { needs: ['', 'Price'] }]);
  });
});

describe('assignment notifications', () => {
  it('tell the new owner when a manager reassigns in the document, never the actor', async () => {
    await t.ctx.hub.edit(`customer:${customerId}`, manager, (d) => d.getMap('fields').set('ownerId', rep2.id));
    const got = await notificationsOf(rep2.id);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ entity_type: 'customer', entity_id: customerId });
    expect(await notificationsOf(manager.id)).toHaveLength(0);
  });

  it('tell the new owner on a REST reassignment, once, and nobody on a self-assignment', async () => {
    const res = await t.app.request(`/api/customers/${customerId}`, jsonRequest('PATCH', { ownerId: rep.id }, managerCookie));
    expect(res.status).toBe(200);
    expect(await notificationsOf(rep.id)).toHaveLength(1);
    await t.app.request(`/api/customers/${customerId}`, jsonRequest('PATCH', { ownerId: manager.id }, managerCookie));
    expect(await notificationsOf(manager.id)).toHaveLength(0);
  });

  it('send nothing when a rep’s reassignment is refused', async () => {
    await expect(t.ctx.hub.edit(`customer:${customerId}`, rep, (d) => d.getMap('fields').set('ownerId', rep2.id))).rejects.toMatchObject({ status: 403 });
    expect(await notificationsOf(rep2.id)).toHaveLength(1);
  });
});

describe('mention notifications', () => {
  const mentionsOf = (userId: string) =>
    t.ctx.db.selectFrom('notifications').selectAll().where('recipient_id', '=', userId).where('type', '=', 'mention').execute();

  it('tell a teammate newly @-mentioned in a follow-up, once, and never the writer', async () => {
    await t.ctx.hub.edit(`customer:${customerId}`, rep, (d) => {
      const f = new Y.Map<unknown>();
      f.set('id', 'm1');
      f.set('authorId', rep.id);
      f.set('type', 'call');
      f.set('at', '2026-04-02T09:00:00Z');
      f.set('text', new Y.Text('@Rita Rep can you send the quote? cc @Ray Rep'));
      d.getArray('followups').push([f]);
    });
    expect(await mentionsOf(rep2.id)).toHaveLength(1);
    expect(await mentionsOf(rep.id)).toHaveLength(0);
    // More typing elsewhere in the text mentions nobody new.
    await t.ctx.hub.edit(`customer:${customerId}`, rep, (d) => {
      ((d.getArray('followups').get(0) as Y.Map<unknown>).get('text') as Y.Text).insert(0, 'Urgent: ');
    });
    expect(await mentionsOf(rep2.id)).toHaveLength(1);
  });

  it('tell a teammate @-mentioned in the account notes', async () => {
    await t.ctx.hub.edit(`customer:${customerId}`, rep, (d) => {
      const p = new Y.XmlElement('paragraph');
      p.insert(0, [new Y.XmlText('Budget approved, @Mia Manager please sign')]);
      d.getXmlFragment('notes').insert(0, [p]);
    });
    const got = await mentionsOf(manager.id);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ entity_type: 'customer', entity_id: customerId });
  });
});

describe('one projection run for many customers', () => {
  it('projects each customer’s columns, follow-ups, history and owner from edits that arrive together', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) {
      const res = await t.app.request('/api/customers', jsonRequest('POST', { name: `Batch ${i} 批` }, repCookie));
      ids.push(((await res.json()) as { customer: { id: string } }).customer.id);
    }
    clock = new Date(clock.getTime() + 10 * 60_000);
    const followup = (id: string, outcome: string) => {
      const f = new Y.Map<unknown>();
      f.set('id', id);
      f.set('authorId', rep.id);
      f.set('type', 'call');
      f.set('at', '2026-04-03T09:00:00Z');
      f.set('outcome', outcome);
      f.set('text', new Y.Text(`Called about ${outcome}`));
      return f;
    };
    // Started together, the edits share commits and projection runs.
    await Promise.all([
      ...ids.map((id, i) =>
        t.ctx.hub.edit(`customer:${id}`, rep, (d) => {
          d.getMap('fields').set('industry', `Industry ${i}`);
          d.getArray('followups').push([followup(`f${i}`, `outcome ${i}`)]);
        }),
      ),
      t.ctx.hub.edit(`customer:${ids[5]}`, manager, (d) => d.getMap('fields').set('ownerId', rep2.id)),
    ]);
    const rows = await t.ctx.db.selectFrom('customers').select(['id', 'industry', 'owner_id', 'name']).where('id', 'in', ids).execute();
    expect(Object.fromEntries(rows.map((r) => [r.id, r.industry]))).toEqual(Object.fromEntries(ids.map((id, i) => [id, `Industry ${i}`])));
    expect(rows.find((r) => r.id === ids[5])!.owner_id).toBe(rep2.id);
    expect(rows.map((r) => r.name).sort()).toEqual(ids.map((_, i) => `Batch ${i} 批`));
    const activities = await t.ctx.db.selectFrom('activities').select(['customer_id', 'source_id', 'outcome']).where('customer_id', 'in', ids).execute();
    expect(activities.map((a) => `${ids.indexOf(a.customer_id)}:${a.source_id}:${a.outcome}`).sort()).toEqual(ids.map((_, i) => `${i}:f${i}:outcome ${i}`));
    const assigned = (await notificationsOf(rep2.id)).filter((n) => n.entity_id === ids[5]);
    expect(assigned).toHaveLength(1);

    // History: one entry per customer; a second edit by the same person soon after extends it,
    // and an edit back to where a field started removes the entry.
    await Promise.all([
      t.ctx.hub.edit(`customer:${ids[0]}`, rep, (d) => d.getMap('fields').set('industry', 'Industry 0b')),
      t.ctx.hub.edit(`customer:${ids[1]}`, rep, (d) => d.getMap('fields').set('industry', '')),
      t.ctx.hub.edit(`customer:${ids[2]}`, rep, (d) => d.getArray('followups').delete(0, 1)),
    ]);
    const entries = await t.ctx.db
      .selectFrom('audit_log')
      .select(['entity_id', 'actor_id', 'changes'])
      .where('entity_type', '=', 'customer')
      .where('action', '=', 'update')
      .where('entity_id', 'in', ids)
      .execute();
    const byCustomer = (i: number) => entries.filter((e) => e.entity_id === ids[i] && e.actor_id === rep.id).map((e) => e.changes);
    expect(byCustomer(0)).toEqual([{ industry: ['', 'Industry 0b'] }]);
    expect(byCustomer(1)).toEqual([]);
    expect(byCustomer(3)).toEqual([{ industry: ['', 'Industry 3'] }]);
    expect(await t.ctx.db.selectFrom('activities').select('source_id').where('customer_id', '=', ids[2]!).execute()).toEqual([]);
  });
});

/** Adds a call follow-up by the rep, text "Called", to a customer document. */
function pushCall(d: Y.Doc, id: string): void {
  const f = new Y.Map<unknown>();
  f.set('id', id);
  f.set('authorId', rep.id);
  f.set('type', 'call');
  f.set('at', '2026-04-05T09:00:00Z');
  f.set('text', new Y.Text('Called'));
  d.getArray('followups').push([f]);
}

describe('typing in a follow-up', () => {
  it('updates its activity but leaves the customer row alone, except to move updated_at once a minute', async () => {
    const res = await t.app.request('/api/customers', jsonRequest('POST', { name: 'Quiet row 静' }, repCookie));
    const id = ((await res.json()) as { customer: { id: string } }).customer.id;
    const doc = `customer:${id}`;
    await t.ctx.hub.edit(doc, rep, (d) => pushCall(d, 'q1'));
    const row = () => t.ctx.db.selectFrom('customers').select(['updated_at', 'industry']).where('id', '=', id).executeTakeFirstOrThrow();
    const excerpt = async () =>
      (await t.ctx.db.selectFrom('activities').select('excerpt').where('customer_id', '=', id).executeTakeFirstOrThrow()).excerpt;
    const type = (more: string) =>
      t.ctx.hub.edit(doc, rep, (d) => {
        const text = (d.getArray('followups').get(0) as Y.Map<unknown>).get('text') as Y.Text;
        text.insert(text.length, more);
      });
    const first = (await row()).updated_at.getTime();

    clock = new Date(clock.getTime() + 5_000);
    await type(' twice');
    expect(await excerpt()).toBe('Called twice');
    expect((await row()).updated_at.getTime()).toBe(first);

    // A column that changes is written at once; updated_at, moved less than a minute ago, stays.
    clock = new Date(clock.getTime() + 5_000);
    await t.ctx.hub.edit(doc, rep, (d) => d.getMap('fields').set('industry', 'Retail'));
    expect(await row()).toEqual({ industry: 'Retail', updated_at: new Date(first) });

    // A minute on, a change moves it.
    clock = new Date(first + 61_000);
    await t.ctx.hub.edit(doc, rep, (d) => d.getMap('fields').set('industry', 'Wholesale'));
    expect(await row()).toEqual({ industry: 'Wholesale', updated_at: clock });

    clock = new Date(clock.getTime() + 61_000);
    await type(', no answer');
    expect(await excerpt()).toBe('Called twice, no answer');
    expect((await row()).updated_at).toEqual(clock);
  });
});

describe('custom values in another key order than the database keeps', () => {
  it('are not a change: typing in a follow-up leaves the row and its updated_at alone', async () => {
    const admin = await seedUser(t.ctx, { role: 'admin', teamId: null });
    // jsonb orders keys by length first: {"zone", "budget_code"} comes back as zone first; the document holds budget_code first.
    for (const key of ['budget_code', 'zone']) {
      await createCustomField(t.ctx, admin, { entity: 'customer', key, type: 'text', label: { en: key, zh: key } } as never);
    }
    const res = await t.app.request('/api/customers', jsonRequest('POST', { name: 'Key order 顺序' }, repCookie));
    const id = ((await res.json()) as { customer: { id: string } }).customer.id;
    const doc = `customer:${id}`;
    clock = new Date(clock.getTime() + 1_000);
    await t.ctx.hub.edit(doc, rep, (d) => {
      d.getMap('custom').set('budget_code', 'B-7');
      d.getMap('custom').set('zone', 'east');
      pushCall(d, 'k1');
    });
    const row = () => t.ctx.db.selectFrom('customers').select(['updated_at', 'custom_fields']).where('id', '=', id).executeTakeFirstOrThrow();
    const written = await row();
    expect(written.custom_fields).toEqual({ budget_code: 'B-7', zone: 'east' });
    expect(Object.keys(written.custom_fields)).toEqual(['zone', 'budget_code']);

    clock = new Date(clock.getTime() + 5_000);
    await t.ctx.hub.edit(doc, rep, (d) => {
      const text = (d.getArray('followups').get(0) as Y.Map<unknown>).get('text') as Y.Text;
      text.insert(text.length, ' again');
    });
    expect((await row()).updated_at).toEqual(written.updated_at);

    // A custom value that does change is written at once (updated_at moved less than a minute ago).
    clock = new Date(clock.getTime() + 5_000);
    await t.ctx.hub.edit(doc, rep, (d) => d.getMap('custom').set('zone', 'west'));
    expect(await row()).toEqual({ updated_at: written.updated_at, custom_fields: { budget_code: 'B-7', zone: 'west' } });
  });
});
