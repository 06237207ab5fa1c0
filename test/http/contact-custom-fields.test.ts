/**
 * Custom fields on contacts over HTTP (docs/custom-fields.md, "Contacts"): contact definitions,
 * values on create and change (checked against the team's active contact fields, nothing stored
 * on a refusal), another team's field invisible and refused, an import's contact columns, and
 * contact values as filters of the customer list (`contact.custom.<key>`), and the contacts
 * export (which imports back).
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomFieldDto } from '../../schema/wire/custom-fields.ts';
import type { ContactDto, CustomerDto, HistoryEntryDto } from '../../schema/wire/customer.ts';
import type { ImportDto } from '../../schema/wire/customer-import.ts';
import type { User } from '../../server/users/user.ts';
import { ORIGIN, type TestContext, createTestContext, login, seedTeam, seedUser } from '../helpers/context.ts';
import { api, errorOf, json } from '../helpers/customers.ts';

const SETUP_TIMEOUT_MS = 180_000;

let t: TestContext;
let teamA: string;
let teamB: string;
let admin: ReturnType<typeof api>;
let rep: ReturnType<typeof api>;
let repB: ReturnType<typeof api>;
let repCookie: string;
let repUser: User;
let repBUser: User;
let customer: CustomerDto;

const label = (en: string, zh: string) => ({ en, zh });

async function define(body: Record<string, unknown>): Promise<CustomFieldDto> {
  return (await json<{ field: CustomFieldDto }>(await admin.post('/api/custom-fields', { entity: 'contact', ...body }), 201)).field;
}

const contactsOf = async (who: ReturnType<typeof api>, customerId: string) =>
  (await json<{ items: ContactDto[] }>(await who.get(`/api/customers/${customerId}/contacts`))).items;

beforeAll(async () => {
  t = await createTestContext();
  teamA = (await seedTeam(t.ctx, 'Alpha')).id;
  teamB = (await seedTeam(t.ctx, 'Beta')).id;
  const adminUser = await seedUser(t.ctx, { role: 'admin' });
  repUser = await seedUser(t.ctx, { role: 'rep', teamId: teamA, name: 'Ray Rep' });
  repBUser = await seedUser(t.ctx, { role: 'rep', teamId: teamB, name: 'Bo Rep' });
  admin = api(t, await login(t.app, adminUser.email));
  repCookie = await login(t.app, repUser.email);
  rep = api(t, repCookie);
  repB = api(t, await login(t.app, repBUser.email));

  await define({
    key: 'role',
    type: 'select',
    label: label('Buying role', '采购角色'),
    options: [
      { value: 'champion', label: label('Champion', '支持者') },
      { value: 'blocker', label: label('Blocker', '反对者') },
    ],
  });
  await define({ key: 'birthday', type: 'date', label: label('Birthday', '生日') });
  await define({ key: 'coach', type: 'user', label: label('Coach', '辅导人') });
  await define({ key: 'wechat', type: 'text', label: label('WeChat', '微信'), teamId: teamB });
  // A customer field with the same key is another field: it does not apply to contacts.
  await json(await admin.post('/api/custom-fields', { entity: 'customer', key: 'cust_only', type: 'text', label: label('Customer only', '仅客户') }), 201);
  customer = await rep.create({ name: 'Contact Values Ltd' });
}, SETUP_TIMEOUT_MS);
afterAll(() => t.close());

describe('contact definitions', () => {
  it('are listed per entity; another team’s contact field is invisible to a rep', async () => {
    const mine = (await json<{ items: CustomFieldDto[] }>(await rep.get('/api/custom-fields?entity=contact'))).items;
    expect(mine.map((f) => f.key)).toEqual(['role', 'birthday', 'coach']);
    expect(mine.every((f) => f.entity === 'contact')).toBe(true);
    const theirs = (await json<{ items: CustomFieldDto[] }>(await repB.get('/api/custom-fields?entity=contact'))).items;
    expect(theirs.map((f) => f.key)).toEqual(['role', 'birthday', 'coach', 'wechat']);
    expect((await errorOf(await rep.post('/api/custom-fields', { entity: 'contact', key: 'nope', type: 'text', label: label('N', '否') }))).status).toBe(403);
  });
});

describe('contact values', () => {
  it('are stored on create, returned by GET, changed, cleared with null, and written to the history', async () => {
    const created = await json<{ contact: ContactDto }>(
      await rep.post(`/api/customers/${customer.id}/contacts`, { name: 'Li Lei', custom: { role: 'champion', birthday: '1990-02-03', coach: repUser.id } }),
      201,
    );
    expect(created.contact.custom).toEqual({ role: 'champion', birthday: '1990-02-03', coach: repUser.id });
    expect((await contactsOf(rep, customer.id)).find((c) => c.id === created.contact.id)?.custom).toEqual(created.contact.custom);

    const changed = await json<{ contact: ContactDto }>(await rep.patch(`/api/contacts/${created.contact.id}`, { custom: { role: 'blocker', birthday: null } }));
    expect(changed.contact.custom).toEqual({ role: 'blocker', coach: repUser.id });
    // A change without `custom` keeps the values.
    const renamed = await json<{ contact: ContactDto }>(await rep.patch(`/api/contacts/${created.contact.id}`, { title: 'CTO' }));
    expect(renamed.contact.custom).toEqual({ role: 'blocker', coach: repUser.id });

    const row = await t.ctx.db.selectFrom('contacts').select('custom_fields').where('id', '=', created.contact.id).executeTakeFirstOrThrow();
    expect(row.custom_fields).toEqual({ role: 'blocker', coach: repUser.id });

    const history = (await json<{ items: HistoryEntryDto[] }>(await rep.get(`/api/customers/${customer.id}/history`))).items;
    const entry = history.find((h) => h.action === 'contact-update' && 'custom.role' in (h.changes as Record<string, unknown>));
    expect(entry?.changes).toMatchObject({ 'custom.role': ['champion', 'blocker'], 'custom.birthday': ['1990-02-03', null] });
  });

  it('refuses a bad value with 400 on custom.<key> and stores nothing of the request', async () => {
    const { contact } = await json<{ contact: ContactDto }>(await rep.post(`/api/customers/${customer.id}/contacts`, { name: 'Han Meimei', custom: { role: 'champion' } }), 201);
    const cases: [Record<string, unknown>, string][] = [
      [{ role: 'ceo' }, 'custom.role'],
      [{ birthday: '1990-02-30' }, 'custom.birthday'],
      [{ coach: repBUser.id }, 'custom.coach'],
      [{ wechat: 'hanmm' }, 'custom.wechat'],
      [{ cust_only: 'x' }, 'custom.cust_only'],
      [{ ghost: 1 }, 'custom.ghost'],
    ];
    for (const [custom, field] of cases) {
      const err = await errorOf(await rep.patch(`/api/contacts/${contact.id}`, { title: 'Changed', custom }));
      expect(err, JSON.stringify(custom)).toMatchObject({ status: 400, field });
    }
    const after = (await contactsOf(rep, customer.id)).find((c) => c.id === contact.id)!;
    expect(after).toMatchObject({ title: '', custom: { role: 'champion' } });

    const before = (await contactsOf(rep, customer.id)).length;
    expect(await errorOf(await rep.post(`/api/customers/${customer.id}/contacts`, { name: 'Bad Option', custom: { role: 'ceo' } }))).toMatchObject({
      status: 400,
      field: 'custom.role',
    });
    expect(await contactsOf(rep, customer.id)).toHaveLength(before);
  });

  it('requires required fields on create, and a required value cannot be cleared', async () => {
    const level = await define({ key: 'level', type: 'number', label: label('Level', '级别'), required: true });
    const missing = await errorOf(await rep.post(`/api/customers/${customer.id}/contacts`, { name: 'No Level' }));
    expect(missing).toMatchObject({ status: 400, field: 'custom.level' });
    const { contact } = await json<{ contact: ContactDto }>(await rep.post(`/api/customers/${customer.id}/contacts`, { name: 'Has Level', custom: { level: 3 } }), 201);
    expect(contact.custom).toEqual({ level: 3 });
    expect(await errorOf(await rep.patch(`/api/contacts/${contact.id}`, { custom: { level: null } }))).toMatchObject({ status: 400, field: 'custom.level' });
    expect(await errorOf(await rep.patch(`/api/contacts/${contact.id}`, { custom: { level: 'three' } }))).toMatchObject({ status: 400, field: 'custom.level' });

    // Archived: no longer required nor accepted; its value may be removed (cleanup).
    await json(await admin.post(`/api/custom-fields/${level.id}/archive`));
    expect(await errorOf(await rep.patch(`/api/contacts/${contact.id}`, { custom: { level: 4 } }))).toMatchObject({ status: 400, field: 'custom.level' });
    const cleaned = await json<{ contact: ContactDto }>(await rep.patch(`/api/contacts/${contact.id}`, { custom: { level: null } }));
    expect(cleaned.contact.custom).toEqual({});
    await json(await rep.post(`/api/customers/${customer.id}/contacts`, { name: 'After Archive' }), 201);
  });

  it('a team-scoped contact field applies to that team’s customers; another team’s rep cannot write at all', async () => {
    const bCustomer = await repB.create({ name: 'Beta Contacts Co' });
    const { contact } = await json<{ contact: ContactDto }>(await repB.post(`/api/customers/${bCustomer.id}/contacts`, { name: 'Zhang Wei', custom: { wechat: 'zw_88' } }), 201);
    expect(contact.custom).toEqual({ wechat: 'zw_88' });
    // The rep of team A sees neither the contact nor its customer.
    expect((await errorOf(await rep.patch(`/api/contacts/${contact.id}`, { custom: { role: 'champion' } }))).status).toBe(404);
    expect((await errorOf(await rep.post(`/api/customers/${bCustomer.id}/contacts`, { name: 'Intruder', custom: { role: 'champion' } }))).status).toBe(404);
    expect((await contactsOf(repB, bCustomer.id)).map((c) => [c.name, c.custom])).toEqual([['Zhang Wei', { wechat: 'zw_88' }]]);
    // A user field of team B names a member of team B.
    expect(await errorOf(await repB.patch(`/api/contacts/${contact.id}`, { custom: { coach: repUser.id } }))).toMatchObject({ status: 400, field: 'custom.coach' });
    const ok = await json<{ contact: ContactDto }>(await repB.patch(`/api/contacts/${contact.id}`, { custom: { coach: repBUser.id } }));
    expect(ok.contact.custom).toEqual({ wechat: 'zw_88', coach: repBUser.id });
  });
});

describe('contact values as customer list filters', () => {
  it('contact.custom.<key> finds the customers with an active contact holding the value; bad filters are 400 on contact.custom.<key>', async () => {
    const champion = await rep.create({ name: 'Champion Co', tags: ['contact-filter'] });
    const blocker = await rep.create({ name: 'Blocker Co', tags: ['contact-filter'] });
    const post = async (customerId: string, name: string, role: string) =>
      json<{ contact: ContactDto }>(await rep.post(`/api/customers/${customerId}/contacts`, { name, custom: { role } }), 201);
    await post(champion.id, 'Han Meimei', 'champion');
    await post(blocker.id, 'Wang Wu', 'blocker');
    // An archived contact no longer counts.
    const gone = await post(blocker.id, 'Former Champion', 'champion');
    await json(await rep.del(`/api/contacts/${gone.contact.id}`));

    const names = async (query: string) =>
      (await json<{ items: CustomerDto[] }>(await rep.get(`/api/customers?tags=contact-filter&${query}`))).items.map((c) => c.name).sort();
    expect(await names('contact.custom.role=champion')).toEqual(['Champion Co']);
    expect(await names('contact.custom.role=champion,blocker')).toEqual(['Blocker Co', 'Champion Co']);
    expect(await names('contact.custom.role=blocker')).toEqual(['Blocker Co']);
    const bad: Array<[string, string]> = [
      ['contact.custom.role=ally', 'contact.custom.role'],
      ['contact.custom.nope=1', 'contact.custom.nope'],
      ['contact.custom.cust_only=x', 'contact.custom.cust_only'],
      ['contact.custom.wechat=x', 'contact.custom.wechat'],
    ];
    for (const [query, field] of bad) expect(await errorOf(await rep.get(`/api/customers?${query}`)), query).toMatchObject({ status: 400, field });

    // Exports take the same filter.
    const csv = await (await rep.get('/api/customers/export.csv?tags=contact-filter&contact.custom.role=champion')).text();
    const lines = csv.replace(/^\uFEFF/, '').trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('Champion Co');
  });
});

describe('import', () => {
  const upload = (body: string, query: string) =>
    t.app.request(`/api/customers/import${query}`, { method: 'POST', headers: { cookie: repCookie, origin: ORIGIN, 'content-type': 'text/csv' }, body });
  const q = (o: Record<string, unknown>) => `?${new URLSearchParams(Object.entries(o).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])).toString()}`;

  it('maps columns onto the related contact’s custom fields; a bad value refuses the row naming the field', async () => {
    const csv = [
      'Company,Contact,Role,Birthday,Coach',
      `Import One Ltd,Wang Fang,Champion,1985/07/01,${repUser.email}`,
      'Import Two Ltd,Liu Yang,ceo,,',
      `Import Three Ltd,Chen Jie,支持者,,${repBUser.email}`,
    ].join('\n');
    const mapping = { Company: 'name', Contact: 'contact.name', Role: 'contact.custom.role', Birthday: 'contact.custom.birthday', Coach: 'contact.custom.coach' };
    const { import: imp } = await json<{ import: ImportDto }>(await upload(csv, q({ mapping })), 201);
    expect(imp).toMatchObject({ imported: 1, refused: 2 });
    expect(imp.report.find((r) => r.line === 3)).toMatchObject({ status: 'refused', field: 'contact.custom.role' });
    expect(imp.report.find((r) => r.line === 4)).toMatchObject({ status: 'refused', field: 'contact.custom.coach' });
    const one = imp.report.find((r) => r.line === 2)!;
    expect((await contactsOf(rep, one.customerId!)).map((c) => [c.name, c.custom])).toEqual([
      ['Wang Fang', { role: 'champion', birthday: '1985-07-01', coach: repUser.id }],
    ]);
    expect(await t.ctx.db.selectFrom('customers').select('id').where('name', 'in', ['Import Two Ltd', 'Import Three Ltd']).execute()).toEqual([]);

    // Recognised without a mapping by `contact.custom.<key>` or 联系人<label>; unknown keys are a 400 on mapping.
    const auto = await json<{ import: ImportDto }>(await upload('名称,联系人,contact.custom.role,联系人生日\nAuto Ltd,Zhao Lei,blocker,2000-01-02\n', '?dryRun=1'));
    expect(auto.import.columns).toMatchObject({ 'contact.custom.role': 'contact.custom.role', 'contact.custom.birthday': '联系人生日' });
    expect(auto.import).toMatchObject({ imported: 1, refused: 0 });
    // A customer field's export header `custom.<key>` is recognised too.
    const exported = await json<{ import: ImportDto }>(await upload('name,custom.cust_only\nExported Ltd,kept\n', '?dryRun=1'));
    expect(exported.import.columns).toMatchObject({ 'custom.cust_only': 'custom.cust_only' });
    expect(await errorOf(await upload('Company,X\nA,b\n', q({ mapping: { Company: 'name', X: 'contact.custom.wechat' } })))).toMatchObject({ status: 400, field: 'mapping' });
  });
});

describe('contacts export', () => {
  it('one row per active contact of the filtered customers, with the contact fields the user sees; another team sees none; Excel too; it imports back', async () => {
    const wide = await rep.create({ name: 'Export Wide Ltd', tags: ['contact-export'] });
    // In the filter, without contacts: no row.
    await rep.create({ name: 'Export Bare Ltd', tags: ['contact-export'] });
    const add = async (customerId: string, body: Record<string, unknown>) =>
      json<{ contact: ContactDto }>(await rep.post(`/api/customers/${customerId}/contacts`, body), 201);
    await add(wide.id, { name: 'Zhou Min', title: 'CFO', phone: '+86 21 5555 0101', email: 'zm@wide.example', custom: { role: 'champion', birthday: '1980-05-06' } });
    await add(wide.id, { name: '=cmd|calc', custom: { role: 'blocker' } });
    const gone = await add(wide.id, { name: 'Gone Person' });
    await json(await rep.del(`/api/contacts/${gone.contact.id}`));
    // Not in the filter.
    await add(customer.id, { name: 'Outside The Filter' });

    const csv = await rep.get('/api/customers/contacts-export.csv?tags=contact-export&sort=name');
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-disposition')).toMatch(/^attachment; filename="contacts-\d{8}\d{6}\.csv"$/);
    const lines = (await csv.text()).replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(lines[0]).toBe('id,name,contact.name,contact.title,contact.phone,contact.email,contact.custom.role,contact.custom.birthday,contact.custom.coach');
    expect(lines.slice(1)).toEqual([
      // A cell starting with + = - @ is escaped against formula injection (the import takes the apostrophe off).
      `${wide.id},Export Wide Ltd,Zhou Min,CFO,'+86 21 5555 0101,zm@wide.example,champion,1980-05-06,`,
      `${wide.id},Export Wide Ltd,'=cmd|calc,,,,blocker,,`,
    ]);
    // The other team's rep: the filter runs in their scope, which holds none of these customers.
    const theirs = (await (await repB.get('/api/customers/contacts-export.csv?tags=contact-export')).text()).replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    expect(theirs).toHaveLength(1);
    expect(theirs[0]).toContain('contact.custom.wechat');
    expect(await errorOf(await rep.get('/api/customers/contacts-export.csv?contact.custom.role=ally'))).toMatchObject({ status: 400, field: 'contact.custom.role' });

    const xlsx = await rep.get('/api/customers/contacts-export.xlsx?tags=contact-export');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await xlsx.arrayBuffer());
    const sheet = workbook.getWorksheet('Contacts')!;
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(sheet.rowCount).toBe(3);
    const cell = (row: number, column: string) => sheet.getRow(row).getCell(header.indexOf(column) + 1).value;
    expect([cell(2, 'contact.name'), cell(3, 'contact.name')].sort()).toEqual(['=cmd|calc', 'Zhou Min']);

    // Edited in a spreadsheet and imported back by name: the new contact is added, the existing ones are not doubled.
    const edited = [lines[0], lines[1], `${wide.id},Export Wide Ltd,Qian Li,Buyer,,ql@wide.example,blocker,,`].join('\n');
    const upload = await t.app.request('/api/customers/import?matchBy=name', {
      method: 'POST',
      headers: { cookie: repCookie, origin: ORIGIN, 'content-type': 'text/csv' },
      body: edited,
    });
    expect((await json<{ import: ImportDto }>(upload, 201)).import).toMatchObject({ updated: 2, refused: 0 });
    expect((await contactsOf(rep, wide.id)).map((c) => [c.name, c.custom.role ?? null]).sort()).toEqual([
      ['=cmd|calc', 'blocker'],
      ['Qian Li', 'blocker'],
      ['Zhou Min', 'champion'],
    ]);
  });
});
