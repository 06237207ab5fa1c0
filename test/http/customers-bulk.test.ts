/**
 * Bulk edits of the customer list (`POST /api/customers/bulk`) and its match count
 * (`GET /api/customers/count`): by ids and by filter, per-record permissions (skipped and
 * reported), the size cap, undo, one notification for the new owner, and the documents.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMER_ROOTS, customerDocName } from '../../schema/wire/docs.ts';
import type { CustomerBulkResultDto, CustomerCountDto, HandoverUndoDto } from '../../schema/wire/handover.ts';
import type { NotificationDto } from '../../schema/wire/notifications.ts';
import { type TestContext, createTestContext, login, seedTeam, seedUser } from '../helpers/context.ts';
import { api, errorOf, json } from '../helpers/customers.ts';
import { storedDoc } from '../realtime/realtime-helpers.ts';

let t: TestContext;

beforeAll(async () => {
  t = await createTestContext();
});
afterAll(async () => {
  await t?.close();
});

async function team() {
  const { id: teamId } = await seedTeam(t.ctx);
  const manager = await seedUser(t.ctx, { role: 'manager', teamId, name: 'Manager' });
  const rep = await seedUser(t.ctx, { role: 'rep', teamId, name: 'Rep' });
  const other = await seedUser(t.ctx, { role: 'rep', teamId, name: 'Other rep' });
  const asManager = api(t, await login(t.app, manager.email));
  const asRep = api(t, await login(t.app, rep.email));
  const asOther = api(t, await login(t.app, other.email));
  return { teamId, manager, rep, other, asManager, asRep, asOther };
}

const row = (id: string) =>
  t.ctx.db.selectFrom('customers').select(['owner_id', 'category', 'tags', 'archived_at']).where('id', '=', id).executeTakeFirstOrThrow();

async function notifications(as: ReturnType<typeof api>): Promise<NotificationDto[]> {
  return (await json<{ items: NotificationDto[] }>(await as.get('/api/notifications'))).items;
}

describe('customer bulk edits', () => {
  it('sets owner, category and tags by ids through the documents, with one notification for the new owner', async () => {
    const m = await team();
    const ids = [];
    for (const name of ['One', 'Two', 'Three']) ids.push((await m.asManager.create({ name, tags: ['old'] })).id);
    const res = await m.asManager.post('/api/customers/bulk', {
      ids,
      set: { ownerId: m.rep.id, category: 'vip', addTags: ['price sensitive'], removeTags: ['old'] },
    });
    const body = await json<CustomerBulkResultDto>(res);
    expect(body).toMatchObject({ updated: 3, skipped: 0, handover: { status: 'done', kind: 'bulk', processed: 3 } });
    for (const id of ids) {
      expect(await row(id)).toMatchObject({ owner_id: m.rep.id, category: 'vip', tags: ['price sensitive'] });
      const doc = await storedDoc(t.ctx, customerDocName(id));
      expect(doc.getMap(CUSTOMER_ROOTS.fields).get('ownerId')).toBe(m.rep.id);
      expect([...doc.getMap(CUSTOMER_ROOTS.tags).keys()]).toEqual(['price sensitive']);
    }
    const told = (await notifications(m.asRep)).filter((n) => n.type === 'assignment');
    expect(told).toHaveLength(1);
    expect(told[0]!.title).toBe('You received 3 customers');
  });

  it('selects by filter, counts the matches, and undoes what was not changed since', async () => {
    const m = await team();
    const tagged = [];
    for (const name of ['华为 North', '华为 South', '华为 East']) tagged.push((await m.asManager.create({ name, category: 'intent' })).id);
    await m.asManager.create({ name: 'Tencent' });
    expect(await json<CustomerCountDto>(await m.asManager.get('/api/customers/count?q=%E5%8D%8E%E4%B8%BA'))).toEqual({ count: 3, capped: false });
    const body = await json<CustomerBulkResultDto>(await m.asManager.post('/api/customers/bulk', { filter: { q: '华为' }, set: { category: 'vip', addTags: ['5G'] } }));
    expect(body.updated).toBe(3);
    expect(await json<CustomerCountDto>(await m.asManager.get('/api/customers/count?category=vip'))).toEqual({ count: 3, capped: false });
    // One of them is changed again afterwards: undo keeps that category.
    await json(await m.asManager.patch(`/api/customers/${tagged[0]}`, { category: 'potential' }));
    const undo = await json<HandoverUndoDto>(await m.asManager.post(`/api/handovers/${body.handover!.id}/undo`, {}));
    expect(undo).toMatchObject({ restored: 5, kept: 1 });
    expect(await row(tagged[0]!)).toMatchObject({ category: 'potential', tags: [] });
    expect(await row(tagged[1]!)).toMatchObject({ category: 'intent', tags: [] });
  });

  it('skips and reports what the caller may not change; another team’s ids look missing', async () => {
    const m = await team();
    const o = await team();
    const mine = (await m.asRep.create({ name: 'Rep’s own' })).id;
    const theirs = (await o.asManager.create({ name: 'Other team' })).id;
    // A rep may tag but not reassign or archive.
    const tagged = await json<CustomerBulkResultDto>(await m.asRep.post('/api/customers/bulk', { ids: [mine, theirs], set: { addTags: ['hot'] } }));
    expect(tagged).toMatchObject({ updated: 1, skipped: 1, skippedItems: [{ id: theirs, reason: 'No such customer' }] });
    expect((await row(theirs)).tags).toEqual([]);
    const reassigned = await json<CustomerBulkResultDto>(await m.asRep.post('/api/customers/bulk', { ids: [mine], set: { ownerId: m.other.id } }));
    expect(reassigned).toMatchObject({ updated: 0, skipped: 1, handover: null });
    expect((await row(mine)).owner_id).toBe(m.rep.id);
    const archived = await json<CustomerBulkResultDto>(await m.asRep.post('/api/customers/bulk', { ids: [mine], set: { archived: true } }));
    expect(archived).toMatchObject({ updated: 0, skipped: 1 });
    // A manager may not give a record to someone of another team.
    const outsider = await json<CustomerBulkResultDto>(await m.asManager.post('/api/customers/bulk', { ids: [mine], set: { ownerId: o.rep.id } }));
    expect(outsider).toMatchObject({ updated: 0, skipped: 1 });
    // The rep's undo of their own edit works; another rep of the team may not undo it.
    expect((await m.asOther.post(`/api/handovers/${tagged.handover!.id}/undo`, {})).status).toBe(404);
    expect(await json<HandoverUndoDto>(await m.asRep.post(`/api/handovers/${tagged.handover!.id}/undo`, {}))).toMatchObject({ restored: 1 });
    // Another team's manager cannot read it.
    expect((await o.asManager.get(`/api/handovers/${tagged.handover!.id}`)).status).toBe(404);
  });

  it('archives and restores in bulk (managers)', async () => {
    const m = await team();
    const ids = [(await m.asManager.create({ name: 'A1' })).id, (await m.asManager.create({ name: 'A2' })).id];
    const body = await json<CustomerBulkResultDto>(await m.asManager.post('/api/customers/bulk', { ids, set: { archived: true } }));
    expect(body.updated).toBe(2);
    for (const id of ids) expect((await row(id)).archived_at).not.toBeNull();
    await json(await m.asManager.post(`/api/handovers/${body.handover!.id}/undo`, {}));
    for (const id of ids) expect((await row(id)).archived_at).toBeNull();
  });

  it('refuses bad input with the field named, and nothing is written', async () => {
    const m = await team();
    const id = (await m.asManager.create({ name: 'Solo' })).id;
    const cases: Array<[unknown, string | undefined]> = [
      [{ set: { category: 'vip' } }, 'ids'],
      [{ ids: [id], filter: {}, set: { category: 'vip' } }, 'ids'],
      [{ ids: [id], set: {} }, 'set'],
      [{ ids: ['nope'], set: { category: 'vip' } }, 'ids.0'],
      [{ ids: [id], set: { addTags: ['a,b'] } }, 'set.addTags.0'],
      [{ ids: [id], set: { color: 'red' } }, 'set'],
    ];
    for (const [body, field] of cases) {
      const err = await errorOf(await m.asManager.post('/api/customers/bulk', body));
      expect(err, JSON.stringify(body)).toMatchObject({ status: 400, field });
    }
    expect(await errorOf(await m.asManager.get('/api/customers/count?followup=never'))).toMatchObject({ status: 400, field: 'followup' });
    expect((await row(id)).category).not.toBe('vip');
  });

  it('refuses a selection past the cap', async () => {
    const m = await team();
    const ids = Array.from({ length: 10_001 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    expect(await errorOf(await m.asManager.post('/api/customers/bulk', { ids, set: { category: 'vip' } }))).toMatchObject({ status: 400, field: 'ids' });
  });
});
