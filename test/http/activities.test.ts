/** Follow-ups in a customer document become activity rows (timelines, reports) in the same transaction. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { User } from '../../server/users/user.ts';
import { type TestContext, createTestContext, jsonRequest, login, seedTeam, seedUser } from '../helpers/context.ts';

let t: TestContext;
let rep: User;
let customerId: string;
const doc = () => `customer:${customerId}`;

function followup(id: string, authorId: string, fields: Record<string, unknown>, text: string): Y.Map<unknown> {
  const m = new Y.Map<unknown>();
  m.set('id', id);
  m.set('authorId', authorId);
  for (const [k, v] of Object.entries(fields)) m.set(k, v);
  m.set('text', new Y.Text(text));
  return m;
}

const rows = () =>
  t.ctx.db.selectFrom('activities').selectAll().where('customer_id', '=', customerId).orderBy('at').execute();

beforeAll(async () => {
  t = await createTestContext();
  const team = (await seedTeam(t.ctx)).id;
  rep = await seedUser(t.ctx, { teamId: team });
  const cookie = await login(t.app, rep.email);
  const res = await t.app.request('/api/customers', jsonRequest('POST', { name: '远景能源' }, cookie));
  expect(res.status).toBe(201);
  customerId = ((await res.json()) as { customer: { id: string } }).customer.id;
});
afterAll(() => t.close());

describe('follow-ups as activities', () => {
  it('adds a row per follow-up with type, author, times, outcome and an excerpt', async () => {
    await t.ctx.hub.edit(doc(), rep, (d) => {
      d.getArray('followups').push([
        followup('f1', rep.id, { type: 'call', at: '2026-05-01T09:00:00Z', nextAt: '2026-05-08T09:00:00Z', outcome: 'Wants a demo' }, 'Discussed pricing'),
        followup('f2', rep.id, { type: 'note', at: '2026-05-02T09:00:00Z' }, 'x'.repeat(1000)),
      ]);
    });
    const r = await rows();
    expect(r.map((a) => [a.source_id, a.type, a.author_id, a.outcome, a.excerpt.length])).toEqual([
      ['f1', 'call', rep.id, 'Wants a demo', 'Discussed pricing'.length],
      ['f2', 'note', rep.id, '', 280],
    ]);
    expect(r[0]!.next_at).toEqual(new Date('2026-05-08T09:00:00Z'));
  });

  it('follows edits to the text and outcome, and removals', async () => {
    await t.ctx.hub.edit(doc(), rep, (d) => {
      const f1 = d.getArray('followups').get(0) as Y.Map<unknown>;
      (f1.get('text') as Y.Text).insert(0, 'Call: ');
      f1.set('outcome', 'Demo booked');
    });
    let r = await rows();
    expect(r[0]).toMatchObject({ excerpt: 'Call: Discussed pricing', outcome: 'Demo booked' });
    await t.ctx.hub.edit(doc(), rep, (d) => d.getArray('followups').delete(1, 1));
    r = await rows();
    expect(r.map((a) => a.source_id)).toEqual(['f1']);
  });

  it('refuses an overlong outcome and writes nothing', async () => {
    await expect(
      t.ctx.hub.edit(doc(), rep, (d) => {
        (d.getArray('followups').get(0) as Y.Map<unknown>).set('outcome', 'y'.repeat(501));
      }),
    ).rejects.toMatchObject({ status: 400, field: 'followups.outcome' });
    expect((await rows())[0]!.outcome).toBe('Demo booked');
  });
});
