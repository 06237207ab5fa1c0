import { afterAll, beforeAll, expect, it } from 'vitest';
import { customerDocName } from '../../schema/wire/docs.ts';
import { seedDemoCustomers } from '../../server/customers/customer.demo.ts';
import { type TestContext, createTestContext, seedTeam, seedUser } from '../helpers/context.ts';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(() => t.close());

it('seeds demo customers with Chinese and English names, contacts and documents', async () => {
  const team = await seedTeam(t.ctx);
  const users = [await seedUser(t.ctx, { role: 'manager', teamId: team.id }), await seedUser(t.ctx, { role: 'rep', teamId: team.id })];
  const ids = await seedDemoCustomers(t.ctx, { teamId: team.id, users, count: 40 });
  expect(ids).toHaveLength(40);
  const rows = await t.ctx.db.selectFrom('customers').select(['id', 'name', 'owner_id', 'team_id']).where('id', 'in', ids).execute();
  expect(rows.some((r) => /[\u4e00-\u9fff]/.test(r.name))).toBe(true);
  expect(rows.some((r) => /^[A-Za-z]/.test(r.name))).toBe(true);
  expect(rows.every((r) => r.team_id === team.id && users.some((u) => u.id === r.owner_id))).toBe(true);
  const contacts = await t.ctx.db.selectFrom('contacts').select('id').where('customer_id', 'in', ids).execute();
  expect(contacts.length).toBeGreaterThan(10);
  const docs = await t.ctx.db.selectFrom('doc_snapshots').select('doc_name').where('doc_name', 'in', ids.map(customerDocName)).execute();
  expect(docs).toHaveLength(40);
});

it('writes a Chinese workspace’s customers in Chinese: names, industries, sources and contacts', async () => {
  const team = await seedTeam(t.ctx);
  const users = [await seedUser(t.ctx, { role: 'rep', teamId: team.id })];
  const ids = await seedDemoCustomers(t.ctx, { teamId: team.id, users, count: 20, locale: 'zh-CN' });
  const rows = await t.ctx.db.selectFrom('customers').select(['name', 'industry', 'source', 'needs']).where('id', 'in', ids).execute();
  const cjk = /[\u4e00-\u9fff]/;
  for (const r of rows) for (const v of [r.name, r.industry, r.source, r.needs]) expect(v).toMatch(cjk);
  const contacts = await t.ctx.db.selectFrom('contacts').select('name').where('customer_id', 'in', ids).execute();
  expect(contacts.every((c) => cjk.test(c.name))).toBe(true);
});
