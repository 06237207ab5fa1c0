/**
 * Admin-managed lists (docs/team-operations.md): categories with both labels and a colour,
 * tags renamed / merged / deleted through the customer documents (an open document sees it
 * live), teams renamed and archived with their members, the lost-reason list and its
 * free-text setting; non-admins refused, bad input answered 400 naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LostReasonDto, LostReasonListDto, TagUsageDto } from '../../schema/wire/admin-lists.ts';
import type { CategoryDto } from '../../schema/wire/customer.ts';
import { CUSTOMER_ROOTS, customerDocName } from '../../schema/wire/docs.ts';
import type { TeamDto, UserDto } from '../../schema/wire/user.ts';
import type { User } from '../../server/users/user.ts';
import { login, seedTeam, seedUser } from '../helpers/context.ts';
import { api, errorOf, json } from '../helpers/customers.ts';
import { caller, createOpportunity, insertCustomer, teamPipeline } from '../helpers/opportunities.ts';
import { type HubServer, connect, startHubServer, until } from '../realtime/realtime-helpers.ts';

let s: HubServer;
let admin: User;
let adminCookie: string;
let managerCookie: string;
let repCookie: string;
let eastId: string;
let westId: string;

beforeAll(async () => {
  s = await startHubServer();
  const east = await seedTeam(s.ctx, 'East');
  const west = await seedTeam(s.ctx, 'West');
  eastId = east.id;
  westId = west.id;
  admin = await seedUser(s.ctx, { role: 'admin' });
  const manager = await seedUser(s.ctx, { role: 'manager', teamId: eastId, name: 'Manager East' });
  const rep = await seedUser(s.ctx, { role: 'rep', teamId: eastId, name: 'Rep East' });
  await seedUser(s.ctx, { role: 'rep', teamId: westId, name: 'Rep West' });
  adminCookie = await login(s.t.app, admin.email);
  managerCookie = await login(s.t.app, manager.email);
  repCookie = await login(s.t.app, rep.email);
});
afterAll(() => s.close());

describe('categories', () => {
  it('keeps an English and a Chinese label, the order and a colour', async () => {
    const a = api(s.t, adminCookie);
    const categories: CategoryDto[] = [
      { key: 'vip', label: 'VIP', labelZh: '贵宾', color: '#c0392b' },
      { key: 'potential', label: 'Potential', labelZh: '潜在', color: null },
    ];
    const put = await json<{ items: CategoryDto[] }>(await a.put('/api/customer-categories', { teamId: eastId, categories }));
    expect(put.items).toEqual(categories);
    const read = await json<{ items: CategoryDto[] }>(await api(s.t, repCookie).get('/api/customer-categories'));
    expect(read.items.map((c) => c.key)).toEqual(['vip', 'potential']);
    expect(read.items[0]).toMatchObject({ labelZh: '贵宾', color: '#c0392b' });
  });

  it('refuses a colour that is not #rrggbb, naming the field, and changes nothing', async () => {
    const a = api(s.t, adminCookie);
    const res = await a.put('/api/customer-categories', { teamId: eastId, categories: [{ key: 'x', label: 'X', color: 'red' }] });
    expect(await errorOf(res)).toMatchObject({ status: 400, field: 'categories.0.color' });
    const read = await json<{ items: CategoryDto[] }>(await api(s.t, repCookie).get('/api/customer-categories'));
    expect(read.items.map((c) => c.key)).toEqual(['vip', 'potential']);
  });

  it('is changed by admins only', async () => {
    const res = await api(s.t, managerCookie).put('/api/customer-categories', { teamId: eastId, categories: [{ key: 'x', label: 'X' }] });
    expect((await errorOf(res)).status).toBe(403);
  });
});

describe('tags', () => {
  const tagsOf = async (id: string) => {
    const res = await api(s.t, adminCookie).get(`/api/customers/${id}`);
    return (await json<{ customer: { tags: string[] } }>(res)).customer.tags.sort();
  };

  it('lists usage, renames through the documents (an open page sees it live), merges and deletes', async () => {
    const a = api(s.t, adminCookie);
    const one = await a.create({ name: '华为技术', teamId: eastId, tags: ['价格敏感', 'hot'] });
    const two = await a.create({ name: 'Acme', teamId: westId, tags: ['price sensitive', 'hot'] });
    const three = await a.create({ name: 'Globex', teamId: westId, tags: ['hot lead'] });

    const usage = await json<{ items: TagUsageDto[] }>(await a.get('/api/admin/tags'));
    expect(usage.items.find((t) => t.tag === 'hot')?.count).toBe(2);
    expect(usage.items.find((t) => t.tag === '价格敏感')?.count).toBe(1);

    // A rep of the first customer's team has its page open.
    const live = connect(s.wsBase, customerDocName(one.id), repCookie);
    try {
      await live.synced();
      const liveTags = live.doc.getMap(CUSTOMER_ROOTS.tags);
      expect(liveTags.has('hot')).toBe(true);

      const renamed = await json<{ updated: number }>(await a.post('/api/admin/tags/rename', { from: 'hot', to: '高潜力' }));
      expect(renamed.updated).toBe(2);
      await until(() => liveTags.has('高潜力') && !liveTags.has('hot'), 'the open document to show the renamed tag');
      expect(await tagsOf(one.id)).toEqual(['价格敏感', '高潜力'].sort());
      expect(await tagsOf(two.id)).toEqual(['price sensitive', '高潜力'].sort());

      const merged = await json<{ updated: number }>(
        await a.post('/api/admin/tags/merge', { tags: ['价格敏感', 'price sensitive'], into: 'price sensitive' }),
      );
      expect(merged.updated).toBe(1);
      await until(() => liveTags.has('price sensitive') && !liveTags.has('价格敏感'), 'the open document to show the merged tag');
      expect(await tagsOf(two.id)).toEqual(['price sensitive', '高潜力'].sort());

      const deleted = await json<{ updated: number }>(await a.post('/api/admin/tags/delete', { tag: '高潜力' }));
      expect(deleted.updated).toBe(2);
      await until(() => !liveTags.has('高潜力'), 'the open document to lose the deleted tag');
      expect(await tagsOf(one.id)).toEqual(['price sensitive']);
      expect(await tagsOf(three.id)).toEqual(['hot lead']);

      const after = await json<{ items: TagUsageDto[] }>(await a.get('/api/admin/tags'));
      expect(after.items.map((t) => t.tag).sort()).toEqual(['hot lead', 'price sensitive']);
      expect(after.items.find((t) => t.tag === 'price sensitive')?.count).toBe(2);
    } finally {
      live.destroy();
    }
    const audit = await s.ctx.db.selectFrom('audit_log').select('action').where('entity_type', '=', 'tag').execute();
    expect(audit.map((r) => r.action).sort()).toEqual(['tag-delete', 'tag-merge', 'tag-rename']);
  });

  it('refuses non-admins, even to list', async () => {
    for (const cookie of [managerCookie, repCookie]) {
      const c = api(s.t, cookie);
      expect((await c.get('/api/admin/tags')).status).toBe(403);
      expect((await errorOf(await c.post('/api/admin/tags/rename', { from: 'hot lead', to: 'x' }))).status).toBe(403);
      expect((await errorOf(await c.post('/api/admin/tags/delete', { tag: 'hot lead' }))).status).toBe(403);
    }
    const usage = await json<{ items: TagUsageDto[] }>(await api(s.t, adminCookie).get('/api/admin/tags'));
    expect(usage.items.some((t) => t.tag === 'hot lead')).toBe(true);
  });

  it('answers bad input with 400 naming the field', async () => {
    const a = api(s.t, adminCookie);
    expect(await errorOf(await a.post('/api/admin/tags/rename', { from: 'a', to: 'b,c' }))).toMatchObject({ status: 400, field: 'to' });
    expect(await errorOf(await a.post('/api/admin/tags/rename', { from: 'a', to: 'a' }))).toMatchObject({ status: 400, field: 'to' });
    expect(await errorOf(await a.post('/api/admin/tags/merge', { tags: [], into: 'a' }))).toMatchObject({ status: 400, field: 'tags' });
    expect(await errorOf(await a.post('/api/admin/tags/delete', { tag: '' }))).toMatchObject({ status: 400, field: 'tag' });
  });
});

describe('teams', () => {
  it('renames and archives a team, audited; an archived team takes no new members', async () => {
    const a = api(s.t, adminCookie);
    const renamed = await json<{ team: TeamDto }>(await a.patch(`/api/teams/${westId}`, { name: '华南区' }));
    expect(renamed.team).toMatchObject({ id: westId, name: '华南区', archived: false });
    const archived = await json<{ team: TeamDto }>(await a.patch(`/api/teams/${westId}`, { archived: true }));
    expect(archived.team.archived).toBe(true);
    const list = await json<{ items: TeamDto[] }>(await a.get('/api/teams'));
    expect(list.items.find((t) => t.id === westId)).toMatchObject({ name: '华南区', archived: true });

    const res = await a.post('/api/users', { email: 'new@example.com', name: 'New', role: 'rep', teamId: westId, password: 'Initial-Pass-01' });
    expect(await errorOf(res)).toMatchObject({ status: 400, field: 'teamId' });

    await json(await a.patch(`/api/teams/${westId}`, { archived: false }));
    const audit = await s.ctx.db.selectFrom('audit_log').select('changes').where('entity_type', '=', 'team').where('entity_id', '=', westId).execute();
    expect(audit).toHaveLength(3);
  });

  it('refuses a duplicate name (409) and bad input (400)', async () => {
    const a = api(s.t, adminCookie);
    expect(await errorOf(await a.patch(`/api/teams/${westId}`, { name: 'East' }))).toMatchObject({ status: 409, field: 'name' });
    expect(await errorOf(await a.patch(`/api/teams/${westId}`, { name: '' }))).toMatchObject({ status: 400, field: 'name' });
    expect((await errorOf(await a.patch(`/api/teams/${westId}`, {}))).status).toBe(400);
    expect(await errorOf(await a.patch('/api/teams/not-an-id', { name: 'x' }))).toMatchObject({ status: 400, field: 'id' });
  });

  it('lists members to admins and to the team, not to another team', async () => {
    const members = await json<{ items: UserDto[] }>(await api(s.t, managerCookie).get(`/api/teams/${eastId}/members`));
    expect(members.items.map((u) => u.name).sort()).toEqual(['Manager East', 'Rep East']);
    const all = await json<{ items: UserDto[] }>(await api(s.t, adminCookie).get(`/api/teams/${westId}/members`));
    expect(all.items.map((u) => u.name)).toEqual(['Rep West']);
    expect((await api(s.t, repCookie).get(`/api/teams/${westId}/members`)).status).toBe(404);
  });

  it('is renamed and archived by admins only', async () => {
    expect((await errorOf(await api(s.t, managerCookie).patch(`/api/teams/${eastId}`, { name: 'Mine' }))).status).toBe(403);
    expect((await errorOf(await api(s.t, repCookie).patch(`/api/teams/${eastId}`, { archived: true }))).status).toBe(403);
    const list = await json<{ items: TeamDto[] }>(await api(s.t, adminCookie).get('/api/teams'));
    expect(list.items.find((t) => t.id === eastId)).toMatchObject({ name: 'East', archived: false });
  });
});

describe('lost reasons', () => {
  let price: LostReasonDto;

  it('are added, edited, ordered and archived by admins, and read by everyone', async () => {
    const a = api(s.t, adminCookie);
    const create = (body: unknown, key: string) =>
      s.t.app.request('/api/lost-reasons', {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: 'http://localhost', cookie: adminCookie, 'idempotency-key': key },
        body: JSON.stringify(body),
      });
    price = (await json<{ lostReason: LostReasonDto }>(await create({ labelEn: 'Price too high', labelZh: '价格太高' }, 'lr-1'), 201)).lostReason;
    // The same key again: the first answer, nothing new.
    const again = await json<{ lostReason: LostReasonDto }>(await create({ labelEn: 'Price too high', labelZh: '价格太高' }, 'lr-1'), 201);
    expect(again.lostReason.id).toBe(price.id);
    const rival = (await json<{ lostReason: LostReasonDto }>(await create({ labelEn: 'Chose a competitor', labelZh: '选择了竞争对手' }, 'lr-2'), 201))
      .lostReason;
    expect(rival.position).toBe(1);

    await json(await a.patch(`/api/lost-reasons/${rival.id}`, { position: 0 }));
    await json(await a.patch(`/api/lost-reasons/${price.id}`, { position: 1, labelEn: 'Price' }));
    const read = await json<LostReasonListDto>(await api(s.t, repCookie).get('/api/lost-reasons'));
    expect(read.items.map((r) => r.labelEn)).toEqual(['Chose a competitor', 'Price']);
    expect(read.freeText).toBe(true);

    await json(await a.patch(`/api/lost-reasons/${rival.id}`, { archived: true }));
    const afterArchive = await json<LostReasonListDto>(await api(s.t, repCookie).get('/api/lost-reasons'));
    expect(afterArchive.items.map((r) => r.labelEn)).toEqual(['Price']);
    const withArchived = await json<LostReasonListDto>(await a.get('/api/lost-reasons?archived=true'));
    expect(withArchived.items.find((r) => r.id === rival.id)?.archived).toBe(true);
  });

  it('switch free text off for everyone', async () => {
    const res = await json<LostReasonListDto>(await api(s.t, adminCookie).put('/api/lost-reasons/settings', { freeText: false }));
    expect(res.freeText).toBe(false);
    expect((await json<LostReasonListDto>(await api(s.t, repCookie).get('/api/lost-reasons'))).freeText).toBe(false);
  });

  it('refuse non-admin writes', async () => {
    for (const cookie of [managerCookie, repCookie]) {
      const c = api(s.t, cookie);
      expect((await errorOf(await c.post('/api/lost-reasons', { labelEn: 'Mine', labelZh: '我的' }))).status).toBe(403);
      expect((await errorOf(await c.patch(`/api/lost-reasons/${price.id}`, { labelEn: 'Mine' }))).status).toBe(403);
      expect((await errorOf(await c.put('/api/lost-reasons/settings', { freeText: true }))).status).toBe(403);
    }
    const read = await json<LostReasonListDto>(await api(s.t, repCookie).get('/api/lost-reasons'));
    expect(read.items.map((r) => r.labelEn)).toEqual(['Price']);
    expect(read.freeText).toBe(false);
  });

  it('are the only reasons a deal is lost for while free text is off, in either language', async () => {
    const c = caller(s.t.app, managerCookie);
    const pipeline = await teamPipeline(c);
    const lost = pipeline.stages.find((st) => st.kind === 'lost')!;
    const open = pipeline.stages.find((st) => st.kind === 'open')!;
    const deal = await createOpportunity(c, { customerId: await insertCustomer(s.ctx, eastId), name: 'Lost deal', amount: 100, stageId: open.id });
    const m = api(s.t, managerCookie);
    expect(await errorOf(await m.patch(`/api/opportunities/${deal.id}`, { stageId: lost.id, lostReason: 'Just because' }))).toMatchObject({
      status: 400,
      field: 'lostReason',
    });
    const row = await s.ctx.db.selectFrom('opportunities').select(['stage_id']).where('id', '=', deal.id).executeTakeFirstOrThrow();
    expect(row.stage_id).toBe(open.id);
    const chosen = await json<{ opportunity: { status: string; lostReason: string } }>(
      await m.patch(`/api/opportunities/${deal.id}`, { stageId: lost.id, lostReason: '价格太高' }),
    );
    expect(chosen.opportunity).toMatchObject({ status: 'lost', lostReason: '价格太高' });

    await json(await api(s.t, adminCookie).put('/api/lost-reasons/settings', { freeText: true }));
    await json(await m.patch(`/api/opportunities/${deal.id}`, { stageId: open.id }));
    const free = await json<{ opportunity: { lostReason: string } }>(await m.patch(`/api/opportunities/${deal.id}`, { stageId: lost.id, lostReason: 'Just because' }));
    expect(free.opportunity.lostReason).toBe('Just because');
    await json(await api(s.t, adminCookie).put('/api/lost-reasons/settings', { freeText: false }));
  });

  it('answer bad input with 400 naming the field, writing nothing', async () => {
    const a = api(s.t, adminCookie);
    expect(await errorOf(await a.post('/api/lost-reasons', { labelEn: 'x', labelZh: '' }))).toMatchObject({ status: 400, field: 'labelZh' });
    expect(await errorOf(await a.post('/api/lost-reasons', { labelEn: 'x'.repeat(201), labelZh: 'x' }))).toMatchObject({
      status: 400,
      field: 'labelEn',
    });
    expect(await errorOf(await a.patch(`/api/lost-reasons/${price.id}`, { position: -1 }))).toMatchObject({ status: 400, field: 'position' });
    expect(await errorOf(await a.put('/api/lost-reasons/settings', { freeText: 'yes' }))).toMatchObject({ status: 400, field: 'freeText' });
    expect((await a.patch('/api/lost-reasons/00000000-0000-4000-8000-000000000000', { labelEn: 'x' })).status).toBe(404);
    const read = await json<LostReasonListDto>(await a.get('/api/lost-reasons?archived=true'));
    expect(read.items).toHaveLength(2);
  });
});

describe('merge preview', () => {
  it('counts what would move, for managers of the team only, and writes nothing', async () => {
    const m = api(s.t, managerCookie);
    const keep = await m.create({ name: '华为技术有限公司' });
    const dupe = await m.create({ name: '华为技术' });
    expect((await m.post(`/api/customers/${dupe.id}/contacts`, { name: '李雷' })).status).toBe(201);
    const preview = await json<{ preview: Record<string, number> }>(await m.get(`/api/customers/${keep.id}/merge-preview?sourceId=${dupe.id}`));
    expect(preview.preview).toEqual({ contacts: 1, opportunities: 0, followups: 0, tasks: 0 });
    const other = await api(s.t, adminCookie).create({ name: 'Elsewhere', teamId: westId });
    expect(await errorOf(await m.get(`/api/customers/${keep.id}/merge-preview?sourceId=${keep.id}`))).toMatchObject({ status: 400, field: 'sourceId' });
    expect(await errorOf(await m.get(`/api/customers/${keep.id}/merge-preview?sourceId=nope`))).toMatchObject({ status: 400, field: 'sourceId' });
    expect((await m.get(`/api/customers/${keep.id}/merge-preview?sourceId=${other.id}`)).status).toBe(404);
    expect((await api(s.t, repCookie).get(`/api/customers/${keep.id}/merge-preview?sourceId=${dupe.id}`)).status).toBe(403);
    const rows = await s.ctx.db.selectFrom('customers').select('archived_at').where('id', 'in', [keep.id, dupe.id]).execute();
    expect(rows.every((r) => r.archived_at === null)).toBe(true);
  });
});
