/**
 * Custom fields over HTTP (docs/custom-fields.md): definitions (admins write, everyone reads
 * what applies to them), values through PATCH into the document and its projection, list
 * filters, exports, archiving.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomFieldDto } from '../../schema/wire/custom-fields.ts';
import type { CustomerDto, CustomerListDto } from '../../schema/wire/customer.ts';
import { CUSTOMER_ROOTS, customerDocName } from '../../schema/wire/docs.ts';
import { storedDoc } from '../realtime/realtime-helpers.ts';
import type { User } from '../../server/users/user.ts';
import { type TestContext, createTestContext, login, seedTeam, seedUser } from '../helpers/context.ts';
import { api, errorOf, json } from '../helpers/customers.ts';

const SETUP_TIMEOUT_MS = 180_000;

let t: TestContext;
let teamA: string;
let teamB: string;
let admin: ReturnType<typeof api>;
let rep: ReturnType<typeof api>;
let repB: ReturnType<typeof api>;
let repUser: User;
let repBUser: User;

const label = (en: string, zh: string) => ({ en, zh });

beforeAll(async () => {
  t = await createTestContext();
  teamA = (await seedTeam(t.ctx, 'Alpha')).id;
  teamB = (await seedTeam(t.ctx, 'Beta')).id;
  const adminUser = await seedUser(t.ctx, { role: 'admin' });
  repUser = await seedUser(t.ctx, { role: 'rep', teamId: teamA, name: 'Ray Rep' });
  repBUser = await seedUser(t.ctx, { role: 'rep', teamId: teamB, name: 'Bo Rep' });
  admin = api(t, await login(t.app, adminUser.email));
  rep = api(t, await login(t.app, repUser.email));
  repB = api(t, await login(t.app, repBUser.email));
}, SETUP_TIMEOUT_MS);
afterAll(() => t.close());

async function define(body: Record<string, unknown>): Promise<CustomFieldDto> {
  return (await json<{ field: CustomFieldDto }>(await admin.post('/api/custom-fields', { entity: 'customer', ...body }), 201)).field;
}

const listFields = async (who: ReturnType<typeof api>, query = '') =>
  (await json<{ items: CustomFieldDto[] }>(await who.get(`/api/custom-fields?entity=customer${query}`))).items;

describe('definitions', () => {
  it('admins create fields of every type; reps read them and are refused writes (403)', async () => {
    const tier = await define({
      key: 'tier',
      type: 'select',
      label: label('Tier', '等级'),
      help: label('Account tier', '客户等级'),
      options: [
        { value: 'gold', label: label('Gold', '金牌') },
        { value: 'silver', label: label('Silver', '银牌') },
      ],
    });
    expect(tier).toMatchObject({ key: 'tier', type: 'select', teamId: null, required: false, archivedAt: null });
    expect(tier.options.map((o) => o.value)).toEqual(['gold', 'silver']);
    await define({ key: 'vip_flag', type: 'checkbox', label: label('VIP', '贵宾') });
    await define({ key: 'seats', type: 'number', label: label('Seats', '席位') });
    await define({ key: 'budget', type: 'currency', label: label('Budget', '预算'), currency: 'CNY' });
    await define({ key: 'renewal', type: 'date', label: label('Renewal', '续约日期') });
    await define({ key: 'portal', type: 'url', label: label('Portal', '门户') });
    await define({ key: 'csm', type: 'user', label: label('Success manager', '客户成功经理') });
    await define({
      key: 'products',
      type: 'multiSelect',
      label: label('Products', '产品'),
      options: [
        { value: 'crm', label: label('CRM', '客户管理') },
        { value: 'erp', label: label('ERP', '企业资源') },
      ],
    });

    const seen = await listFields(rep);
    expect(seen.map((f) => f.key)).toEqual(['tier', 'vip_flag', 'seats', 'budget', 'renewal', 'portal', 'csm', 'products']);

    expect((await rep.post('/api/custom-fields', { entity: 'customer', key: 'x', type: 'text', label: label('X', '某') })).status).toBe(403);
    expect((await rep.patch(`/api/custom-fields/${tier.id}`, { label: label('T', '等') })).status).toBe(403);
    expect((await rep.post(`/api/custom-fields/${tier.id}/archive`)).status).toBe(403);
    // Nothing changed.
    expect((await listFields(rep)).find((f) => f.key === 'tier')?.label.en).toBe('Tier');
  });

  it('a team field is seen by that team and admins, not by other teams', async () => {
    const local = await define({ key: 'alpha_region', type: 'text', label: label('Region', '区域'), teamId: teamA });
    expect(local.teamId).toBe(teamA);
    expect((await listFields(rep)).some((f) => f.key === 'alpha_region')).toBe(true);
    expect((await listFields(repB)).some((f) => f.key === 'alpha_region')).toBe(false);
    expect((await listFields(admin)).some((f) => f.key === 'alpha_region')).toBe(true);
    expect((await listFields(admin, `&teamId=${teamB}`)).some((f) => f.key === 'alpha_region')).toBe(false);
  });

  it('bad definitions are 400 naming the field at fault; a taken key is 409', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ key: 'Bad Key', type: 'text', label: label('A', '甲') }, 'key'],
      [{ key: 'ok_key', type: 'colour', label: label('A', '甲') }, 'type'],
      [{ key: 'ok_key', type: 'text', label: { en: 'A' } }, 'label.zh'],
      [{ key: 'ok_key', type: 'text', label: label('', '甲') }, 'label.en'],
      [{ key: 'ok_key', type: 'select', label: label('A', '甲') }, 'options'],
      [{ key: 'ok_key', type: 'text', label: label('A', '甲'), options: [{ value: 'a', label: label('A', '甲') }] }, 'options'],
      [{ key: 'ok_key', type: 'select', label: label('A', '甲'), options: [{ value: 'a', label: label('A', '甲') }, { value: 'a', label: label('B', '乙') }] }, 'options'],
      [{ key: 'ok_key', type: 'select', label: label('A', '甲'), options: [{ value: 'A B', label: label('A', '甲') }] }, 'options.0.value'],
      [{ key: 'ok_key', type: 'text', label: label('A', '甲'), teamId: 'nope' }, 'teamId'],
      [{ key: 'ok_key', type: 'text', label: label('A', '甲'), extra: 1 }, ''],
    ];
    for (const [body, field] of cases) {
      const res = await admin.post('/api/custom-fields', { entity: 'customer', ...body });
      const err = await errorOf(res);
      expect(err.status, JSON.stringify(body)).toBe(400);
      if (field) expect(err.field, JSON.stringify(body)).toBe(field);
    }
    expect((await listFields(admin)).some((f) => f.key === 'ok_key')).toBe(false);
    const taken = await errorOf(await admin.post('/api/custom-fields', { entity: 'customer', key: 'tier', type: 'text', label: label('A', '甲') }));
    expect(taken).toMatchObject({ status: 409, field: 'key' });
  });

  it('a rename, a new option and a new order show in the next read', async () => {
    const tier = (await listFields(admin)).find((f) => f.key === 'tier')!;
    const res = await admin.patch(`/api/custom-fields/${tier.id}`, {
      label: label('Account tier', '客户等级'),
      options: [...tier.options, { value: 'bronze', label: label('Bronze', '铜牌') }],
      position: 99,
    });
    const { field } = await json<{ field: CustomFieldDto }>(res);
    expect(field.options.map((o) => o.value)).toEqual(['gold', 'silver', 'bronze']);
    const keys = (await listFields(rep)).map((f) => f.key);
    expect(keys.at(-1)).toBe('tier');
    expect((await errorOf(await admin.patch(`/api/custom-fields/${tier.id}`, { key: 'other' }))).status).toBe(400);
  });
});

describe('values', () => {
  let customer: CustomerDto;
  beforeAll(async () => {
    customer = await rep.create({ name: 'Custom Co' });
  });

  it('PATCH custom values: stored in the document, projected, shown in the customer', async () => {
    const res = await rep.patch(`/api/customers/${customer.id}`, {
      custom: { tier: 'gold', vip_flag: true, seats: 12, products: ['crm'], portal: 'https://portal.example.com', csm: repUser.id },
    });
    const { customer: after } = await json<{ customer: CustomerDto }>(res);
    expect(after.custom).toEqual({ tier: 'gold', vip_flag: true, seats: 12, products: ['crm'], portal: 'https://portal.example.com', csm: repUser.id });
    const doc = await storedDoc(t.ctx, customerDocName(customer.id));
    expect(doc.getMap(CUSTOMER_ROOTS.custom).get('tier')).toBe('gold');
    const row = await t.ctx.db.selectFrom('customers').select('custom_fields').where('id', '=', customer.id).executeTakeFirstOrThrow();
    expect(row.custom_fields).toMatchObject({ tier: 'gold', seats: 12 });
  });

  it('a bad custom value is 400 on custom.<key> and nothing of the request is stored', async () => {
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ tier: 'platinum' }, 'custom.tier'],
      [{ seats: 'twelve' }, 'custom.seats'],
      [{ nope: 1 }, 'custom.nope'],
      [{ portal: 'javascript:alert(1)' }, 'custom.portal'],
      [{ portal: 'mailto:a@b.example' }, 'custom.portal'],
      [{ renewal: '2026-02-30' }, 'custom.renewal'],
      [{ products: ['crm', 'crm'] }, 'custom.products'],
      [{ budget: 1.005 }, 'custom.budget'],
      [{ csm: repBUser.id }, 'custom.csm'],
      [{ alpha_region: 1 }, 'custom.alpha_region'],
    ];
    for (const [custom, field] of bad) {
      const err = await errorOf(await rep.patch(`/api/customers/${customer.id}`, { industry: 'Changed', custom: { seats: 99, ...custom } }));
      expect(err, JSON.stringify(custom)).toMatchObject({ status: 400, field });
    }
    const { customer: now } = await json<{ customer: CustomerDto }>(await rep.get(`/api/customers/${customer.id}`));
    expect(now.industry).toBe('');
    expect(now.custom.seats).toBe(12);
  });

  it('filters the list by custom.<key>, typed by the definition', async () => {
    const other = await rep.create({ name: 'Other Co' });
    await json(await rep.patch(`/api/customers/${other.id}`, { custom: { tier: 'silver', products: ['crm', 'erp'] } }));
    const names = async (q: string) =>
      (await json<CustomerListDto>(await rep.get(`/api/customers?${q}`))).items.map((c) => c.name).sort();
    expect(await names('custom.tier=gold')).toEqual(['Custom Co']);
    expect(await names('custom.tier=gold,silver')).toEqual(['Custom Co', 'Other Co']);
    expect(await names('custom.products=erp')).toEqual(['Other Co']);
    expect(await names('custom.products=crm&custom.tier=silver')).toEqual(['Other Co']);
    expect(await names('custom.vip_flag=true')).toEqual(['Custom Co']);
    expect(await names('custom.vip_flag=false')).toEqual(['Other Co']);
    expect(await names('custom.seats=12')).toEqual(['Custom Co']);
    expect(await errorOf(await rep.get('/api/customers?custom.tier=platinum'))).toMatchObject({ status: 400, field: 'custom.tier' });
    expect(await errorOf(await rep.get('/api/customers?custom.unknown=1'))).toMatchObject({ status: 400, field: 'custom.unknown' });
    // Another team's field is unknown to its reps.
    expect(await errorOf(await repB.get('/api/customers?custom.alpha_region=x'))).toMatchObject({ status: 400 });
  });

  it('exports carry one custom.<key> column per field', async () => {
    const res = await rep.get('/api/customers/export.csv?custom.tier=gold');
    expect(res.status).toBe(200);
    const text = (await res.text()).replace(/^\uFEFF/, '');
    const [header, row] = text.trim().split('\n');
    const cols = header!.split(',');
    expect(cols).toContain('custom.tier');
    const cells = row!.split(',');
    expect(cells[cols.indexOf('custom.tier')]).toBe('gold');
    expect(cells[cols.indexOf('custom.seats')]).toBe('12');
    expect((await rep.get('/api/customers/export.csv?custom.tier=nope')).status).toBe(400);
  });

  it('archiving hides the field and refuses its values; restoring brings it back', async () => {
    const seats = (await listFields(admin)).find((f) => f.key === 'seats')!;
    const { field } = await json<{ field: CustomFieldDto }>(await admin.post(`/api/custom-fields/${seats.id}/archive`));
    expect(field.archivedAt).not.toBeNull();
    expect((await listFields(rep)).some((f) => f.key === 'seats')).toBe(false);
    expect((await listFields(admin, '&archived=include')).some((f) => f.key === 'seats')).toBe(true);
    expect(await errorOf(await rep.patch(`/api/customers/${customer.id}`, { custom: { seats: 3 } }))).toMatchObject({ status: 400, field: 'custom.seats' });
    expect(await errorOf(await rep.get('/api/customers?custom.seats=12'))).toMatchObject({ status: 400, field: 'custom.seats' });
    // A key stays taken once archived.
    expect((await admin.post('/api/custom-fields', { entity: 'customer', key: 'seats', type: 'text', label: label('S', '席') })).status).toBe(409);
    await json(await admin.post(`/api/custom-fields/${seats.id}/restore`));
    await json(await rep.patch(`/api/customers/${customer.id}`, { custom: { seats: 3 } }));
  });
});

describe('merging', () => {
  it('the kept customer takes the custom values it lacks, and the picked ones; a bad pick is 400 and merges nothing', async () => {
    const keep = await rep.create({ name: 'Keep Custom Co' });
    const drop = await rep.create({ name: 'Drop Custom Co' });
    await json(await rep.patch(`/api/customers/${keep.id}`, { custom: { tier: 'gold' } }));
    await json(await rep.patch(`/api/customers/${drop.id}`, { custom: { tier: 'silver', seats: 7, products: ['erp'], alpha_region: 'East 华东' } }));

    expect(await errorOf(await admin.post(`/api/customers/${keep.id}/merge`, { sourceId: drop.id, custom: { nope: 'source' } }))).toMatchObject({
      status: 400,
      field: 'custom.nope',
    });
    expect((await errorOf(await admin.post(`/api/customers/${keep.id}/merge`, { sourceId: drop.id, custom: { tier: 'both' } }))).status).toBe(400);
    const untouched = await json<{ customer: CustomerDto }>(await rep.get(`/api/customers/${drop.id}`));
    expect(untouched.customer.archivedAt).toBeNull();

    const { customer } = await json<{ customer: CustomerDto }>(
      await admin.post(`/api/customers/${keep.id}/merge`, { sourceId: drop.id, custom: { products: 'target', alpha_region: 'source' } }),
    );
    // tier: the kept one's (default); seats: filled from the merged one; products: kept empty as picked.
    expect(customer.custom).toEqual({ tier: 'gold', seats: 7, alpha_region: 'East 华东' });
    const doc = await storedDoc(t.ctx, customerDocName(keep.id));
    expect(doc.getMap(CUSTOMER_ROOTS.custom).get('seats')).toBe(7);
    const history = await json<{ items: Array<{ action: string; changes: Record<string, unknown> }> }>(await rep.get(`/api/customers/${keep.id}/history`));
    expect(history.items.find((h) => h.action === 'merge')?.changes).toMatchObject({ 'custom.seats': [null, 7] });
  });
});

describe('creating with values', () => {
  it('POST takes custom values; a bad one and a missing required one are 400 naming the field, and nothing is created', async () => {
    const teamC = (await seedTeam(t.ctx, 'Gamma')).id;
    const repC = api(t, await login(t.app, (await seedUser(t.ctx, { role: 'rep', teamId: teamC })).email));
    await define({ key: 'gamma_contract', type: 'text', label: label('Contract no.', '合同编号'), teamId: teamC, required: true });
    await define({
      key: 'gamma_grade',
      type: 'select',
      label: label('Grade', '等级'),
      teamId: teamC,
      options: [
        { value: 'a', label: label('A', '甲') },
        { value: 'b', label: label('B', '乙') },
      ],
    });
    const bad: Array<[Record<string, unknown> | undefined, string]> = [
      [undefined, 'custom.gamma_contract'],
      [{ gamma_contract: null }, 'custom.gamma_contract'],
      [{ gamma_grade: 'a' }, 'custom.gamma_contract'],
      [{ gamma_contract: 'HT-1', gamma_grade: 'z' }, 'custom.gamma_grade'],
      [{ gamma_contract: 'HT-1', nope: 1 }, 'custom.nope'],
      [{ gamma_contract: 7 }, 'custom.gamma_contract'],
    ];
    for (const [custom, field] of bad) {
      const err = await errorOf(await repC.post('/api/customers', { name: 'Gamma Works', ...(custom ? { custom } : {}) }));
      expect(err, JSON.stringify(custom)).toMatchObject({ status: 400, field });
    }
    expect(await t.ctx.db.selectFrom('customers').select('id').where('team_id', '=', teamC).execute()).toEqual([]);

    const created = await json<{ customer: CustomerDto }>(
      await repC.post('/api/customers', { name: 'Gamma Works', custom: { gamma_contract: 'HT-2026-001', gamma_grade: 'b' } }),
      201,
    );
    expect(created.customer.custom).toEqual({ gamma_contract: 'HT-2026-001', gamma_grade: 'b' });
    const doc = await storedDoc(t.ctx, customerDocName(created.customer.id));
    expect(doc.getMap(CUSTOMER_ROOTS.custom).toJSON()).toEqual({ gamma_contract: 'HT-2026-001', gamma_grade: 'b' });
    // Another team's required field asks nothing of team A.
    expect((await rep.post('/api/customers', { name: 'Alpha Without Contract', confirm: true })).status).toBe(201);
  });
});
