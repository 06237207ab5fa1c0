import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerDto } from '../../schema/wire/customer.ts';
import type { SavedFilterDto } from '../../schema/wire/customer-query.ts';
import type { User } from '../../server/users/user.ts';
import { type TestContext, createTestContext, login, seedTeam, seedUser } from '../helpers/context.ts';
import { api, errorOf, json } from '../helpers/customers.ts';

/** Setup signs several users in (argon2id), slow on a busy machine. */
const SETUP_TIMEOUT_MS = 180_000;

let t: TestContext;
let teamA: string;
let rep: ReturnType<typeof api>;
let rep2: ReturnType<typeof api>;
let manager: ReturnType<typeof api>;
let repB: ReturnType<typeof api>;
let repUser: User;
let rep2User: User;
const ids: Record<string, string> = {};

const names = async (path: string, who = rep) => (await json<{ items: CustomerDto[] }>(await who.get(path))).items.map((c) => c.name);
const q = (s: string) => `/api/customers?q=${encodeURIComponent(s)}&sort=name`;

beforeAll(async () => {
  t = await createTestContext();
  teamA = (await seedTeam(t.ctx, 'Alpha')).id;
  const teamB = (await seedTeam(t.ctx, 'Beta')).id;
  repUser = await seedUser(t.ctx, { role: 'rep', teamId: teamA });
  rep2User = await seedUser(t.ctx, { role: 'rep', teamId: teamA });
  const managerUser = await seedUser(t.ctx, { role: 'manager', teamId: teamA });
  rep = api(t, await login(t.app, repUser.email));
  rep2 = api(t, await login(t.app, rep2User.email));
  manager = api(t, await login(t.app, managerUser.email));
  repB = api(t, await login(t.app, (await seedUser(t.ctx, { role: 'rep', teamId: teamB })).email));

  const make = async (who: typeof rep, key: string, body: Record<string, unknown>) => {
    ids[key] = (await who.create(body)).id;
  };
  await make(rep, 'huawei', { name: '华为技术有限公司', phone: '0755-2878 0808', industry: '通信', category: 'vip', tags: ['5g', 'hardware'] });
  await make(rep, 'alibaba', { name: '阿里巴巴集团', email: 'ir@alibaba-inc.example', industry: '互联网', category: 'intent', tags: ['cloud'] });
  await make(rep2, 'acme', { name: 'Acme Widgets GmbH', phone: '+49 30 1234 5678', industry: 'Manufacturing', tags: ['hardware', 'europe'] });
  await make(rep2, 'percent', { name: '100% Natural_Foods', industry: 'Food' });
  await make(manager, 'orphan', { name: 'Nobody Owns Me', ownerId: null });
  await repB.create({ name: '华为终端（B团队）' });
  const { contact } = await json<{ contact: { id: string } }>(
    await rep.post(`/api/customers/${ids.acme}/contacts`, { name: '王小明', email: 'xm.wang@acme.example', phone: '139 1234 9876' }),
    201,
  );
  expect(contact.id).toBeTruthy();
}, SETUP_TIMEOUT_MS);
afterAll(() => t.close());

describe('keyword search', () => {
  it('finds Chinese substrings of two characters and more', async () => {
    expect(await names(q('华为'))).toEqual(['华为技术有限公司']);
    expect(await names(q('技术'))).toEqual(['华为技术有限公司']);
    expect(await names(q('为技术有'))).toEqual(['华为技术有限公司']);
    expect(await names(q('巴'))).toEqual(['阿里巴巴集团']);
    expect(await names(q('华为 公司'))).toEqual(['华为技术有限公司']);
    expect(await names(q('华为 集团'))).toEqual([]);
  });

  it('finds Latin substrings case-insensitively, e-mails, and contacts', async () => {
    expect(await names(q('widg'))).toEqual(['Acme Widgets GmbH']);
    expect(await names(q('ACME'))).toEqual(['Acme Widgets GmbH']);
    expect(await names(q('me'))).toEqual(['Acme Widgets GmbH', 'Nobody Owns Me']);
    expect(await names(q('alibaba-inc'))).toEqual(['阿里巴巴集团']);
    expect(await names(q('王小明'))).toEqual(['Acme Widgets GmbH']);
    expect(await names(q('xm.wang'))).toEqual(['Acme Widgets GmbH']);
  });

  it('finds phones by trailing digits, whatever the separators', async () => {
    expect(await names(q('0808'))).toEqual(['华为技术有限公司']);
    expect(await names(q('2878-0808'))).toEqual(['华为技术有限公司']);
    expect(await names(q('1234 5678'))).toEqual(['Acme Widgets GmbH']);
    expect(await names(q('9876'))).toEqual(['Acme Widgets GmbH']);
  });

  it('treats SQL- and regex-shaped terms as plain text', async () => {
    expect(await names(q("'; drop table customers; --"))).toEqual([]);
    expect(await names(q("' or '1'='1"))).toEqual([]);
    expect(await names(q('.*'))).toEqual([]);
    expect(await names(q('^华'))).toEqual([]);
    expect(await names(q('[a-z]+'))).toEqual([]);
    expect(await names(q('%'))).toEqual(['100% Natural_Foods']);
    expect(await names(q('_'))).toEqual(['100% Natural_Foods']);
    expect(await names(q('\\'))).toEqual([]);
    expect((await json<{ items: CustomerDto[] }>(await rep.get('/api/customers?limit=200'))).items).toHaveLength(5);
  });

  it('never shows other teams, and bounds the query', async () => {
    expect(await names(q('华为'), repB)).toEqual(['华为终端（B团队）']);
    expect(await errorOf(await rep.get(q('x'.repeat(101))))).toMatchObject({ status: 400, field: 'q' });
  });

  it('uses the token index on this engine', async () => {
    const plan = await t.ctx.db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      const r = await sql<{ 'QUERY PLAN': string }>`explain select id from customers where search_tokens @> ${sql.val(['华为'])}::text[]`.execute(
        trx,
      );
      return r.rows.map((x) => x['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('customers_search_tokens_idx');
  });
});

describe('filters, sort and paging', () => {
  it('filters by category, industry, owner and tags', async () => {
    expect(await names('/api/customers?category=vip&sort=name')).toEqual(['华为技术有限公司']);
    expect(await names('/api/customers?category=vip,intent&sort=name')).toEqual(['华为技术有限公司', '阿里巴巴集团']);
    expect(await names('/api/customers?category=vip&category=intent&sort=name')).toEqual(['华为技术有限公司', '阿里巴巴集团']);
    expect(await names(`/api/customers?industry=${encodeURIComponent('互联网')}`)).toEqual(['阿里巴巴集团']);
    expect(await names('/api/customers?ownerId=me&sort=name')).toEqual(['华为技术有限公司', '阿里巴巴集团']);
    expect(await names(`/api/customers?ownerId=${rep2User.id}&sort=name`)).toEqual(['100% Natural_Foods', 'Acme Widgets GmbH']);
    expect(await names('/api/customers?ownerId=none')).toEqual(['Nobody Owns Me']);
    expect(await names('/api/customers?tags=hardware,cloud&sort=name')).toEqual(['Acme Widgets GmbH', '华为技术有限公司', '阿里巴巴集团']);
    expect(await names('/api/customers?tags=hardware,europe&tagMode=all')).toEqual(['Acme Widgets GmbH']);
    expect(await names('/api/customers?tags=hardware&q=acme')).toEqual(['Acme Widgets GmbH']);
  });

  it('filters by follow-up status', async () => {
    const now = t.ctx.now();
    const at = (days: number) => new Date(now.getTime() + days * 86_400_000);
    await t.ctx.db.updateTable('customers').set({ next_followup_at: at(-2) }).where('id', '=', ids.huawei!).execute();
    await t.ctx.db.updateTable('customers').set({ next_followup_at: at(3) }).where('id', '=', ids.alibaba!).execute();
    await t.ctx.db.updateTable('customers').set({ next_followup_at: at(30) }).where('id', '=', ids.acme!).execute();
    expect(await names('/api/customers?followup=overdue')).toEqual(['华为技术有限公司']);
    expect(await names('/api/customers?followup=dueSoon')).toEqual(['阿里巴巴集团']);
    expect(await names('/api/customers?followup=scheduled&sort=name')).toEqual(['Acme Widgets GmbH', '华为技术有限公司', '阿里巴巴集团']);
    expect(await names('/api/customers?followup=none&sort=name')).toEqual(['100% Natural_Foods', 'Nobody Owns Me']);
  });

  it('filters by created and updated ranges', async () => {
    const old = new Date('2024-01-15T10:00:00Z');
    await t.ctx.db.updateTable('customers').set({ created_at: old, updated_at: old }).where('id', '=', ids.percent!).execute();
    expect(await names('/api/customers?createdTo=2024-01-15')).toEqual(['100% Natural_Foods']);
    expect(await names('/api/customers?createdFrom=2024-01-01&createdTo=2024-01-14')).toEqual([]);
    expect(await names('/api/customers?updatedFrom=2024-01-15T09:00:00Z&updatedTo=2024-01-15T11:00:00Z')).toEqual(['100% Natural_Foods']);
    expect((await names('/api/customers?createdFrom=2025-01-01')).length).toBe(4);
    expect(await errorOf(await rep.get('/api/customers?createdFrom=yesterday'))).toMatchObject({ status: 400, field: 'createdFrom' });
  });

  it('sorts by name, creation and update, and pages with an opaque cursor', async () => {
    const all = await names('/api/customers?sort=name&limit=200');
    expect(all).toHaveLength(5);
    const byDesc = await names('/api/customers?sort=-name&limit=200');
    expect(byDesc).toEqual([...all].reverse());
    for (const sort of ['name', '-name', 'created', '-created', 'updated', '-updated']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: CustomerDto[]; nextCursor: string | null } = await json(
          await rep.get(`/api/customers?sort=${sort}&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
        );
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((c) => c.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toHaveLength(5);
      expect(new Set(seen).size).toBe(5);
    }
    const created = await json<{ items: CustomerDto[] }>(await rep.get('/api/customers?sort=created&limit=200'));
    const times = created.items.map((c) => c.createdAt);
    expect([...times].sort()).toEqual(times);
  });

  it('refuses bad cursors and parameters, naming them', async () => {
    const page = await json<{ nextCursor: string }>(await rep.get('/api/customers?sort=name&limit=1'));
    expect(await errorOf(await rep.get(`/api/customers?sort=-updated&cursor=${page.nextCursor}`))).toMatchObject({ status: 400, field: 'cursor' });
    expect(await errorOf(await rep.get('/api/customers?cursor=not-a-cursor'))).toMatchObject({ status: 400, field: 'cursor' });
    const forged = Buffer.from(JSON.stringify({ s: '-updated', v: "'; drop table x", i: ids.acme })).toString('base64url');
    expect(await errorOf(await rep.get(`/api/customers?cursor=${forged}`))).toMatchObject({ status: 400, field: 'cursor' });
    expect(await errorOf(await rep.get('/api/customers?limit=0'))).toMatchObject({ status: 400, field: 'limit' });
    expect(await errorOf(await rep.get('/api/customers?limit=201'))).toMatchObject({ status: 400, field: 'limit' });
    expect(await errorOf(await rep.get('/api/customers?sort=colour'))).toMatchObject({ status: 400, field: 'sort' });
    expect(await errorOf(await rep.get('/api/customers?followup=soonish'))).toMatchObject({ status: 400, field: 'followup' });
    expect(await errorOf(await rep.get('/api/customers?ownerId=bob'))).toMatchObject({ status: 400, field: 'ownerId.0' });
    expect(await errorOf(await rep.get('/api/customers?colour=red'))).toMatchObject({ status: 400 });
  });
});

describe('saved filters', () => {
  it('saves, lists and deletes a user’s own filters', async () => {
    const query = { q: '华为', category: ['vip'], tags: ['5g'], tagMode: 'all', sort: 'name' };
    const { savedFilter } = await json<{ savedFilter: SavedFilterDto }>(await rep.post('/api/saved-filters', { name: 'My VIPs', query }), 201);
    expect(savedFilter.query).toEqual(query);
    expect((await errorOf(await rep.post('/api/saved-filters', { name: 'My VIPs', query: {} }))).status).toBe(409);
    expect(await errorOf(await rep.post('/api/saved-filters', { name: '', query: {} }))).toMatchObject({ status: 400, field: 'name' });
    expect(await errorOf(await rep.post('/api/saved-filters', { name: 'Bad', query: { sort: 'colour' } }))).toMatchObject({
      status: 400,
      field: 'query.sort',
    });
    const mine = await json<{ items: SavedFilterDto[] }>(await rep.get('/api/saved-filters'));
    expect(mine.items.map((f) => f.name)).toEqual(['My VIPs']);
    expect((await json<{ items: SavedFilterDto[] }>(await rep2.get('/api/saved-filters'))).items).toEqual([]);
    expect((await errorOf(await rep2.del(`/api/saved-filters/${savedFilter.id}`))).status).toBe(404);
    // A saved query runs as a list query.
    const params = new URLSearchParams({ q: '华为', category: 'vip', tags: '5g', tagMode: 'all', sort: 'name' });
    expect(await names(`/api/customers?${params}`)).toEqual(['华为技术有限公司']);
    expect((await rep.del(`/api/saved-filters/${savedFilter.id}`)).status).toBe(204);
    expect((await json<{ items: SavedFilterDto[] }>(await rep.get('/api/saved-filters'))).items).toEqual([]);
  });
});
