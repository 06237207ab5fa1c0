import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { customerDocName } from '../../schema/wire/docs.ts';
import type { ContactDto, CustomerDto, DuplicateCandidateDto, HistoryEntryDto } from '../../schema/wire/customer.ts';
import type { User } from '../../server/users/user.ts';
import { type TestContext, createTestContext, login, seedTeam, seedUser } from '../helpers/context.ts';
import { api, errorOf, json } from '../helpers/customers.ts';

/** Setup signs several users in (argon2id), slow on a busy machine. */
const SETUP_TIMEOUT_MS = 180_000;

let t: TestContext;
let teamA: string;
let teamB: string;
let admin: ReturnType<typeof api>;
let manager: ReturnType<typeof api>;
let rep: ReturnType<typeof api>;
let rep2: ReturnType<typeof api>;
let repB: ReturnType<typeof api>;
let repUser: User;
let rep2User: User;
let managerUser: User;
let repBUser: User;

beforeAll(async () => {
  t = await createTestContext();
  teamA = (await seedTeam(t.ctx, 'Alpha')).id;
  teamB = (await seedTeam(t.ctx, 'Beta')).id;
  const adminUser = await seedUser(t.ctx, { role: 'admin' });
  managerUser = await seedUser(t.ctx, { role: 'manager', teamId: teamA, name: 'Mia Manager' });
  repUser = await seedUser(t.ctx, { role: 'rep', teamId: teamA, name: 'Ray Rep' });
  rep2User = await seedUser(t.ctx, { role: 'rep', teamId: teamA, name: 'Rita Rep' });
  repBUser = await seedUser(t.ctx, { role: 'rep', teamId: teamB, name: 'Bo Rep' });
  admin = api(t, await login(t.app, adminUser.email));
  manager = api(t, await login(t.app, managerUser.email));
  rep = api(t, await login(t.app, repUser.email));
  rep2 = api(t, await login(t.app, rep2User.email));
  repB = api(t, await login(t.app, repBUser.email));
}, SETUP_TIMEOUT_MS);
afterAll(() => t.close());

describe('creating customers', () => {
  it('creates with every field, owned by the creator, and reads it back', async () => {
    const res = await rep.post('/api/customers', {
      name: '  深圳前海微众科技有限公司 ',
      kind: 'company',
      industry: 'Fintech',
      size: '1000+',
      phone: '+86 755-8888 1234',
      email: 'Contact@WeBank.example',
      address: '深圳市南山区',
      website: 'https://webank.example',
      source: 'referral',
      decisionMakers: '张总',
      needs: 'Faster onboarding',
      category: 'intent',
      tags: ['fintech', 'vip-lead', 'fintech'],
    });
    const { customer } = await json<{ customer: CustomerDto }>(res, 201);
    expect(customer).toMatchObject({
      name: '深圳前海微众科技有限公司',
      teamId: teamA,
      ownerId: repUser.id,
      category: 'intent',
      phone: '+86 755-8888 1234',
      email: 'Contact@WeBank.example',
      tags: ['fintech', 'vip-lead'],
      archivedAt: null,
    });
    const again = await json<{ customer: CustomerDto }>(await rep2.get(`/api/customers/${customer.id}`));
    expect(again.customer).toEqual(customer);
  });

  it('defaults the category and keeps HTML in a name as plain text', async () => {
    const name = '<script>alert("x")</script><b>Bold & Co</b>';
    const c = await rep.create({ name });
    expect(c.name).toBe(name);
    expect(c.category).toBe('potential');
    const res = await rep.get(`/api/customers/${c.id}`);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(((await res.json()) as { customer: CustomerDto }).customer.name).toBe(name);
  });

  it.each([
    [{}, 'name'],
    [{ name: '   ' }, 'name'],
    [{ name: 'x'.repeat(201) }, 'name'],
    [{ name: 'Ok', needs: 'n'.repeat(4001) }, 'needs'],
    [{ name: 'Ok', email: 'not-an-email' }, 'email'],
    [{ name: 'Ok', email: 'a@b' }, 'email'],
    [{ name: 'Ok', phone: 'call me' }, 'phone'],
    [{ name: 'Ok', phone: '12' }, 'phone'],
    [{ name: 'Ok', website: 'javascript:alert(1)' }, 'website'],
    // Passed the old pattern (optional scheme, a dot somewhere): rendered as a link, it runs script.
    [{ name: 'Ok', website: 'javascript:alert(1)//x.com' }, 'website'],
    [{ name: 'Ok', website: 'data:text/html,<b>x.com' }, 'website'],
    [{ name: 'Ok', kind: 'robot' }, 'kind'],
    [{ name: 'Ok', category: 'platinum' }, 'category'],
    [{ name: 'Ok', tags: ['a,b'] }, 'tags.0'],
    [{ name: 'Ok', tags: Array.from({ length: 51 }, (_, i) => `t${i}`) }, 'tags'],
    [{ name: 'Ok', ownerId: 'nobody' }, 'ownerId'],
    [{ name: 'Ok', surprise: 1 }, undefined],
  ])('refuses %j naming the field', async (body, field) => {
    const before = await json<{ items: CustomerDto[] }>(await manager.get('/api/customers?archived=include&limit=200'));
    const err = await errorOf(await rep.post('/api/customers', { confirm: true, ...body }));
    expect(err.status).toBe(400);
    if (field) expect(err.field).toBe(field);
    const after = await json<{ items: CustomerDto[] }>(await manager.get('/api/customers?archived=include&limit=200'));
    expect(after.items.length).toBe(before.items.length);
  });

  it('refuses an owner who is not an active member of the team', async () => {
    const err = await errorOf(await manager.post('/api/customers', { name: 'Owner test', ownerId: repBUser.id }));
    expect(err).toMatchObject({ status: 400, field: 'ownerId' });
    const unknown = await errorOf(await manager.post('/api/customers', { name: 'Owner test', ownerId: '00000000-0000-4000-8000-000000000000' }));
    expect(unknown).toMatchObject({ status: 400, field: 'ownerId' });
  });

  it('lets a rep own their new customer but not hand it to someone else', async () => {
    const mine = await rep.create({ name: 'Self owned', ownerId: repUser.id });
    expect(mine.ownerId).toBe(repUser.id);
    const err = await errorOf(await rep.post('/api/customers', { name: 'Given away', ownerId: rep2User.id, confirm: true }));
    expect(err).toMatchObject({ status: 403, code: 'forbidden' });
    const byManager = await manager.create({ name: 'Assigned by manager', ownerId: rep2User.id });
    expect(byManager.ownerId).toBe(rep2User.id);
  });

  it('makes an admin name the team', async () => {
    expect(await errorOf(await admin.post('/api/customers', { name: 'Admin made' }))).toMatchObject({ status: 400, field: 'teamId' });
    expect(await errorOf(await admin.post('/api/customers', { name: 'Admin made', teamId: '00000000-0000-4000-8000-000000000000' }))).toMatchObject({
      status: 400,
      field: 'teamId',
    });
    const c = await admin.create({ name: 'Admin made', teamId: teamB });
    expect(c.teamId).toBe(teamB);
    expect(c.ownerId).toBeNull();
  });

  it('refuses a rep creating in another team', async () => {
    expect((await errorOf(await rep.post('/api/customers', { name: 'Sneaky', teamId: teamB }))).status).toBe(403);
  });

  it('answers 401 without a session and 415 for a non-JSON body', async () => {
    const res = await t.app.request('/api/customers', { headers: { origin: 'http://localhost' } });
    expect(res.status).toBe(401);
    const cookie = await login(t.app, repUser.email);
    const bad = await t.app.request('/api/customers', {
      method: 'POST',
      headers: { cookie, origin: 'http://localhost', 'content-type': 'text/plain' },
      body: 'name=x',
    });
    expect(bad.status).toBe(415);
  });
});

describe('duplicates', () => {
  it('answers 409 with candidates for the same phone, e-mail or near-same name, unless confirmed', async () => {
    const original = await rep.create({ name: 'Acme Trading Co., Ltd.', phone: '021-6123 4567', email: 'sales@acme.example' });
    const byPhone = await rep.post('/api/customers', { name: 'Something else', phone: '(021) 61234567' });
    expect(byPhone.status).toBe(409);
    const body = (await byPhone.json()) as { error: { code: string }; candidates: DuplicateCandidateDto[] };
    expect(body.error.code).toBe('conflict');
    expect(body.candidates).toEqual([expect.objectContaining({ id: original.id, reasons: ['phone'] })]);

    const byEmail = (await (await rep.post('/api/customers', { name: 'Other', email: ' SALES@acme.example ' })).json()) as {
      candidates: DuplicateCandidateDto[];
    };
    expect(byEmail.candidates[0]).toMatchObject({ id: original.id, reasons: ['email'] });

    const byName = (await (await rep.post('/api/customers', { name: 'ACME trading  ltd' })).json()) as { candidates: DuplicateCandidateDto[] };
    expect(byName.candidates[0]).toMatchObject({ id: original.id, reasons: ['name'] });

    const confirmed = await rep.post('/api/customers', { name: 'ACME trading  ltd', confirm: true });
    expect(confirmed.status).toBe(201);
  });

  it('matches Chinese company suffixes and ignores other teams', async () => {
    const c = await rep.create({ name: '华为技术有限公司' });
    const { candidates } = await json<{ candidates: DuplicateCandidateDto[] }>(
      await rep.get(`/api/customers/duplicates?name=${encodeURIComponent('华为技术 股份有限公司')}`),
    );
    expect(candidates.map((x) => x.id)).toContain(c.id);
    const other = await json<{ candidates: DuplicateCandidateDto[] }>(await repB.get(`/api/customers/duplicates?name=${encodeURIComponent('华为技术')}`));
    expect(other.candidates).toEqual([]);
  });

  it('answers no candidates for empty probes and refuses unknown parameters', async () => {
    expect(await json(await rep.get('/api/customers/duplicates'))).toEqual({ candidates: [] });
    expect((await errorOf(await rep.get('/api/customers/duplicates?foo=1'))).status).toBe(400);
    expect(await errorOf(await admin.get('/api/customers/duplicates?name=x'))).toMatchObject({ status: 400, field: 'teamId' });
  });
});

describe('reading, team isolation', () => {
  it('answers 404 for another team, a missing id, and 400 for a malformed id', async () => {
    const c = await rep.create({ name: 'Team A only' });
    expect((await errorOf(await repB.get(`/api/customers/${c.id}`))).status).toBe(404);
    expect((await errorOf(await repB.patch(`/api/customers/${c.id}`, { name: 'x' }))).status).toBe(404);
    expect((await errorOf(await repB.get(`/api/customers/${c.id}/contacts`))).status).toBe(404);
    expect((await errorOf(await repB.post(`/api/customers/${c.id}/contacts`, { name: 'x' }))).status).toBe(404);
    expect((await errorOf(await repB.get(`/api/customers/${c.id}/history`))).status).toBe(404);
    expect((await errorOf(await rep.get('/api/customers/00000000-0000-4000-8000-000000000000'))).status).toBe(404);
    expect(await errorOf(await rep.get('/api/customers/not-a-uuid'))).toMatchObject({ status: 400, code: 'validation' });
    const listB = await json<{ items: CustomerDto[] }>(await repB.get('/api/customers?limit=200'));
    expect(listB.items.some((x) => x.teamId !== teamB)).toBe(false);
    const byAdmin = await json<{ customer: CustomerDto }>(await admin.get(`/api/customers/${c.id}`));
    expect(byAdmin.customer.id).toBe(c.id);
  });

  it('lets an admin list every team or one team', async () => {
    const all = await json<{ items: CustomerDto[] }>(await admin.get('/api/customers?limit=200'));
    expect(new Set(all.items.map((x) => x.teamId))).toEqual(new Set([teamA, teamB]));
    const onlyB = await json<{ items: CustomerDto[] }>(await admin.get(`/api/customers?teamId=${teamB}&limit=200`));
    expect(onlyB.items.every((x) => x.teamId === teamB)).toBe(true);
    // A rep's teamId parameter cannot widen the scope.
    const repView = await json<{ items: CustomerDto[] }>(await rep.get(`/api/customers?teamId=${teamB}&limit=200`));
    expect(repView.items.every((x) => x.teamId === teamA)).toBe(true);
  });
});

describe('changing customers', () => {
  it('patches fields, records who changed what from old to new', async () => {
    const c = await rep.create({ name: 'Patch me', industry: 'Retail' });
    const { customer } = await json<{ customer: CustomerDto }>(
      await rep2.patch(`/api/customers/${c.id}`, { industry: 'Wholesale', tags: ['b', 'a'], category: 'vip' }),
    );
    expect(customer).toMatchObject({ industry: 'Wholesale', category: 'vip', tags: ['a', 'b'] });
    const { items } = await json<{ items: HistoryEntryDto[] }>(await rep.get(`/api/customers/${c.id}/history`));
    expect(items[0]).toMatchObject({
      action: 'update',
      actorId: rep2User.id,
      actorName: 'Rita Rep',
      changes: { industry: ['Retail', 'Wholesale'], category: ['potential', 'vip'], tags: [[], ['a', 'b']] },
    });
    expect(items.at(-1)).toMatchObject({ action: 'create', actorId: repUser.id });
  });

  it('refuses bad patches and leaves the record alone', async () => {
    const c = await rep.create({ name: 'Stable', email: 'ok@stable.example' });
    for (const [body, field] of [
      [{ name: '' }, 'name'],
      [{ email: 'nope' }, 'email'],
      [{ category: 'unknown' }, 'category'],
      [{ website: 'x'.repeat(400) }, 'website'],
      [{ teamId: teamB }, undefined],
    ] as const) {
      const err = await errorOf(await rep.patch(`/api/customers/${c.id}`, body));
      expect(err.status).toBe(400);
      if (field) expect(err.field).toBe(field);
    }
    const { customer } = await json<{ customer: CustomerDto }>(await rep.get(`/api/customers/${c.id}`));
    expect(customer).toMatchObject({ name: 'Stable', email: 'ok@stable.example', category: 'potential' });
  });

  it('keeps owner changes for managers', async () => {
    const c = await rep.create({ name: 'Ownership' });
    expect((await errorOf(await rep.patch(`/api/customers/${c.id}`, { ownerId: rep2User.id }))).status).toBe(403);
    expect((await errorOf(await rep.patch(`/api/customers/${c.id}`, { ownerId: null }))).status).toBe(403);
    const same = await json<{ customer: CustomerDto }>(await rep.patch(`/api/customers/${c.id}`, { ownerId: repUser.id, name: 'Ownership 2' }));
    expect(same.customer.name).toBe('Ownership 2');
    const moved = await json<{ customer: CustomerDto }>(await manager.patch(`/api/customers/${c.id}`, { ownerId: rep2User.id }));
    expect(moved.customer.ownerId).toBe(rep2User.id);
    const { items } = await json<{ items: HistoryEntryDto[] }>(await rep.get(`/api/customers/${c.id}/history`));
    expect(items[0]!.changes).toEqual({ ownerId: [repUser.id, rep2User.id] });
  });

  it('archives and restores for managers only, hiding archived customers from lists', async () => {
    const c = await rep.create({ name: 'Archive candidate zq' });
    expect((await errorOf(await rep.post(`/api/customers/${c.id}/archive`))).status).toBe(403);
    const archived = await json<{ customer: CustomerDto }>(await manager.post(`/api/customers/${c.id}/archive`));
    expect(archived.customer.archivedAt).not.toBeNull();
    const list = await json<{ items: CustomerDto[] }>(await rep.get('/api/customers?q=zq'));
    expect(list.items).toEqual([]);
    const only = await json<{ items: CustomerDto[] }>(await rep.get('/api/customers?q=zq&archived=only'));
    expect(only.items.map((x) => x.id)).toEqual([c.id]);
    expect((await errorOf(await rep.patch(`/api/customers/${c.id}`, { name: 'x' }))).status).toBe(409);
    expect((await errorOf(await rep.post(`/api/customers/${c.id}/restore`))).status).toBe(403);
    // Another team's customer looks like a missing one to reps too, as to managers (below).
    expect((await errorOf(await repB.post(`/api/customers/${c.id}/restore`))).status).toBe(404);
    const restored = await json<{ customer: CustomerDto }>(await manager.post(`/api/customers/${c.id}/restore`));
    expect(restored.customer.archivedAt).toBeNull();
    const { items } = await json<{ items: HistoryEntryDto[] }>(await rep.get(`/api/customers/${c.id}/history`));
    expect(items.slice(0, 2).map((x) => x.action)).toEqual(['restore', 'archive']);
  });

  it('answers 404 to another team manager archiving', async () => {
    const c = await rep.create({ name: 'Not yours' });
    const mB = api(t, await login(t.app, (await seedUser(t.ctx, { role: 'manager', teamId: teamB })).email));
    expect((await errorOf(await mB.post(`/api/customers/${c.id}/archive`))).status).toBe(404);
  });
});

describe('contacts', () => {
  it('adds, lists, changes and archives contacts; audits them on the customer', async () => {
    const c = await rep.create({ name: 'Contact holder' });
    const { contact } = await json<{ contact: ContactDto }>(
      await rep.post(`/api/customers/${c.id}/contacts`, { name: '李雷', title: 'CTO', phone: '139 0000 1111', email: 'li@x.example', decisionMaker: true }),
      201,
    );
    expect(contact).toMatchObject({ customerId: c.id, name: '李雷', decisionMaker: true });
    await rep.post(`/api/customers/${c.id}/contacts`, { name: 'Han Meimei' });
    const list = await json<{ items: ContactDto[] }>(await rep2.get(`/api/customers/${c.id}/contacts`));
    expect(list.items.map((x) => x.name)).toEqual(['李雷', 'Han Meimei']);
    const changed = await json<{ contact: ContactDto }>(await rep2.patch(`/api/contacts/${contact.id}`, { title: 'CEO' }));
    expect(changed.contact.title).toBe('CEO');
    const archived = await json<{ contact: ContactDto }>(await rep.del(`/api/contacts/${contact.id}`));
    expect(archived.contact.archivedAt).not.toBeNull();
    expect((await json<{ items: ContactDto[] }>(await rep.get(`/api/customers/${c.id}/contacts`))).items.map((x) => x.name)).toEqual([
      'Han Meimei',
    ]);
    expect((await json<{ items: ContactDto[] }>(await rep.get(`/api/customers/${c.id}/contacts?archived=include`))).items).toHaveLength(2);
    const { items } = await json<{ items: HistoryEntryDto[] }>(await rep.get(`/api/customers/${c.id}/history`));
    expect(items.map((x) => x.action).slice(0, 4)).toEqual(['contact-archive', 'contact-update', 'contact-create', 'contact-create']);
  });

  it('refuses bad contacts and other teams', async () => {
    const c = await rep.create({ name: 'Contact checks' });
    expect(await errorOf(await rep.post(`/api/customers/${c.id}/contacts`, {}))).toMatchObject({ status: 400, field: 'name' });
    expect(await errorOf(await rep.post(`/api/customers/${c.id}/contacts`, { name: 'A', email: 'bad' }))).toMatchObject({
      status: 400,
      field: 'email',
    });
    expect(await errorOf(await rep.post(`/api/customers/${c.id}/contacts`, { name: 'A', phone: 'phone' }))).toMatchObject({
      status: 400,
      field: 'phone',
    });
    const { contact } = await json<{ contact: ContactDto }>(await rep.post(`/api/customers/${c.id}/contacts`, { name: 'Mine' }), 201);
    expect((await errorOf(await repB.patch(`/api/contacts/${contact.id}`, { name: 'Theirs' }))).status).toBe(404);
    expect((await errorOf(await repB.del(`/api/contacts/${contact.id}`))).status).toBe(404);
    expect((await errorOf(await rep.patch('/api/contacts/00000000-0000-4000-8000-000000000000', { name: 'x' }))).status).toBe(404);
  });
});

describe('merge', () => {
  it('moves contacts and history to the target, applies picked fields, archives the source', async () => {
    const target = await rep.create({ name: 'Merge Target', phone: '010-1111 2222', industry: 'Old', tags: ['t1'] });
    const source = await rep.create({ name: 'Merge Source', email: 'src@merge.example', industry: 'New', tags: ['t2'] });
    await rep.post(`/api/customers/${source.id}/contacts`, { name: 'Moving Contact' });
    expect((await errorOf(await rep.post(`/api/customers/${target.id}/merge`, { sourceId: source.id }))).status).toBe(403);
    expect(await errorOf(await manager.post(`/api/customers/${target.id}/merge`, { sourceId: target.id }))).toMatchObject({
      status: 400,
      field: 'sourceId',
    });
    expect(await errorOf(await manager.post(`/api/customers/${target.id}/merge`, { sourceId: source.id, fields: { colour: 'source' } }))).toMatchObject({
      status: 400,
    });
    const { customer } = await json<{ customer: CustomerDto }>(
      await manager.post(`/api/customers/${target.id}/merge`, { sourceId: source.id, fields: { email: 'source', industry: 'source' } }),
    );
    expect(customer).toMatchObject({ name: 'Merge Target', phone: '010-1111 2222', email: 'src@merge.example', industry: 'New' });
    expect([...customer.tags].sort()).toEqual(['t1', 't2']);
    const contacts = await json<{ items: ContactDto[] }>(await rep.get(`/api/customers/${target.id}/contacts`));
    expect(contacts.items.map((x) => x.name)).toEqual(['Moving Contact']);
    const src = await json<{ customer: CustomerDto }>(await rep.get(`/api/customers/${source.id}`));
    expect(src.customer.archivedAt).not.toBeNull();
    const { items } = await json<{ items: HistoryEntryDto[] }>(await rep.get(`/api/customers/${target.id}/history`));
    expect(items[0]).toMatchObject({ action: 'merge', changes: expect.objectContaining({ sourceId: source.id, moved: expect.objectContaining({ contacts: 1 }) }) });
    expect(items.some((x) => x.action === 'contact-create')).toBe(true);
    // Searching by the moved contact finds the target.
    const found = await json<{ items: CustomerDto[] }>(await rep.get('/api/customers?q=moving'));
    expect(found.items.map((x) => x.id)).toEqual([target.id]);
  });

  it('moves follow-up entries between the documents, each still written by its author', async () => {
    const target = await rep.create({ name: 'Followup Target' });
    const source = await rep.create({ name: 'Followup Source' });
    const next = new Date(Date.now() + 3 * 86_400_000).toISOString();
    for (const [author, id] of [
      [repUser, 'f-1'],
      [rep2User, 'f-2'],
    ] as const) {
      await t.ctx.hub.edit(customerDocName(source.id), author, (doc) => {
        const m = new Y.Map<unknown>();
        m.set('id', id);
        m.set('type', 'call');
        m.set('authorId', author.id);
        m.set('at', new Date().toISOString());
        m.set('nextAt', next);
        m.set('text', new Y.Text(`Called by ${author.name}`));
        doc.getArray('followups').push([m]);
      });
    }
    const { customer } = await json<{ customer: CustomerDto }>(await manager.post(`/api/customers/${target.id}/merge`, { sourceId: source.id }));
    expect(customer.nextFollowupAt).toBe(next);
    const read = async (id: string) => {
      const live = await t.ctx.hub.acquire(await t.ctx.hub.authorize(customerDocName(id), managerUser));
      try {
        return live.doc
          .getArray('followups')
          .toArray()
          .map((m) => [(m as Y.Map<unknown>).get('id'), (m as Y.Map<unknown>).get('authorId'), String((m as Y.Map<unknown>).get('text'))]);
      } finally {
        t.ctx.hub.release(live);
      }
    };
    expect((await read(target.id)).sort()).toEqual([
      ['f-1', repUser.id, 'Called by Ray Rep'],
      ['f-2', rep2User.id, 'Called by Rita Rep'],
    ]);
    expect(await read(source.id)).toEqual([]);
    const { items } = await json<{ items: HistoryEntryDto[] }>(await rep.get(`/api/customers/${target.id}/history`));
    expect(items[0]!.changes).toMatchObject({ moved: expect.objectContaining({ followups: 2 }), followupsKept: 0 });
  });

  it('refuses merging across teams', async () => {
    const a = await rep.create({ name: 'Team A merge' });
    const b = await repB.create({ name: 'Team B merge' });
    expect((await errorOf(await manager.post(`/api/customers/${a.id}/merge`, { sourceId: b.id }))).status).toBe(404);
  });
});

describe('categories and tags', () => {
  it('lists default categories, lets admins replace them, and validates against the list', async () => {
    const defaults = await json<{ items: { key: string }[] }>(await rep.get('/api/customer-categories'));
    expect(defaults.items.map((x) => x.key)).toEqual(['potential', 'intent', 'closed-won', 'vip']);
    expect((await errorOf(await manager.put('/api/customer-categories', { categories: [{ key: 'x', label: 'X' }] }))).status).toBe(403);
    expect(
      await errorOf(await admin.put('/api/customer-categories', { teamId: teamB, categories: [{ key: 'Bad Key', label: 'X' }] })),
    ).toMatchObject({ status: 400, field: 'categories.0.key' });
    const replaced = await json<{ items: { key: string }[] }>(
      await admin.put('/api/customer-categories', {
        teamId: teamB,
        categories: [
          { key: 'lead', label: 'Lead' },
          { key: 'won', label: 'Won' },
        ],
      }),
    );
    expect(replaced.items.map((x) => x.key)).toEqual(['lead', 'won']);
    expect((await repB.create({ name: 'Lead co', category: 'lead' })).category).toBe('lead');
    expect(await errorOf(await repB.post('/api/customers', { name: 'Vip co', category: 'vip', confirm: true }))).toMatchObject({
      status: 400,
      field: 'category',
    });
  });

  it('suggests existing tags of the own team, most used first', async () => {
    await rep.create({ name: 'Tag one', tags: ['golf-club', 'gold'] });
    await rep.create({ name: 'Tag two', tags: ['gold'] });
    await repB.create({ name: 'Tag three', tags: ['gondola'] });
    const { items } = await json<{ items: { tag: string; count: number }[] }>(await rep.get('/api/tags?q=go'));
    expect(items.map((x) => x.tag)).toEqual(['gold', 'golf-club']);
    expect(items[0]!.count).toBe(2);
    expect((await errorOf(await rep.get(`/api/tags?q=${'x'.repeat(41)}`))).status).toBe(400);
  });
});
