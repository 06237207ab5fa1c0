/**
 * Imports that update, from Excel, with contacts, follow-ups and custom fields; undo of an
 * update; resuming an interrupted job; the leads import; refused input. A real server so that
 * a real y-websocket client sees an import's update arrive in an open document.
 */
import ExcelJS from 'exceljs';
import type * as Y from 'yjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContactDto, CustomerDto } from '../../schema/wire/customer.ts';
import type { ImportDto } from '../../schema/wire/customer-import.ts';
import { CUSTOMER_ROOTS, customerDocName } from '../../schema/wire/docs.ts';
import type { LeadDto } from '../../schema/wire/lead.ts';
import { insertImport, readyImport } from '../../server/customers/customer-import.repository.ts';
import { resumeImports, runImportJob } from '../../server/customers/import-job.ts';
import { storeImportFile } from '../../server/customers/import-source.ts';
import type { User } from '../../server/users/user.ts';
import { ORIGIN, login, seedTeam, seedUser } from '../helpers/context.ts';
import { api, errorOf, json } from '../helpers/customers.ts';
import { type HubServer, connect, startHubServer, storedDoc, until } from '../realtime/realtime-helpers.ts';

/** Setup signs several users in (argon2id), slow on a busy machine. */
const SETUP_TIMEOUT_MS = 180_000;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

let s: HubServer;
let teamA: string;
let managerCookie: string;
let repCookie: string;
let manager: ReturnType<typeof api>;
let rep: ReturnType<typeof api>;
let repB: ReturnType<typeof api>;
let managerUser: User;
let owner: User;

beforeAll(async () => {
  s = await startHubServer();
  teamA = (await seedTeam(s.ctx, 'Alpha')).id;
  const teamB = (await seedTeam(s.ctx, 'Beta')).id;
  managerUser = await seedUser(s.ctx, { role: 'manager', teamId: teamA });
  const repUser = await seedUser(s.ctx, { role: 'rep', teamId: teamA });
  owner = await seedUser(s.ctx, { role: 'rep', teamId: teamA, email: 'wang.fang@example.com' });
  const admin = await seedUser(s.ctx, { role: 'admin', teamId: null });
  managerCookie = await login(s.t.app, managerUser.email);
  repCookie = await login(s.t.app, repUser.email);
  manager = api(s.t, managerCookie);
  rep = api(s.t, repCookie);
  repB = api(s.t, await login(s.t.app, (await seedUser(s.ctx, { role: 'rep', teamId: teamB })).email));
  const adminApi = api(s.t, await login(s.t.app, admin.email));
  for (const body of [
    {
      entity: 'customer',
      key: 'region',
      type: 'select',
      label: { en: 'Region', zh: '区域' },
      options: [
        { value: 'north', label: { en: 'North', zh: '华北' } },
        { value: 'south', label: { en: 'South', zh: '华南' } },
      ],
    },
    { entity: 'customer', key: 'erp_id', type: 'text', label: { en: 'ERP id', zh: 'ERP编号' } },
  ]) {
    expect((await adminApi.post('/api/custom-fields', body)).status).toBe(201);
  }
}, SETUP_TIMEOUT_MS);
afterAll(() => s.close());

async function xlsx(sheets: Record<string, (string | number | Date)[][]>): Promise<Uint8Array<ArrayBuffer>> {
  const book = new ExcelJS.Workbook();
  for (const [name, rows] of Object.entries(sheets)) {
    const sheet = book.addWorksheet(name);
    for (const row of rows) sheet.addRow(row);
  }
  return new Uint8Array(await book.xlsx.writeBuffer()) as Uint8Array<ArrayBuffer>;
}

function upload(cookie: string, body: BodyInit, query = '', type = XLSX) {
  return s.t.app.request(`/api/customers/import${query}`, { method: 'POST', headers: { cookie, origin: ORIGIN, 'content-type': type }, body });
}

const q = (o: Record<string, unknown>) => `?${new URLSearchParams(Object.entries(o).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)])).toString()}`;

describe('Excel import with Chinese headers', () => {
  it('lists the sheets, reads the chosen one, maps Chinese headers, adds contacts, follow-ups and custom values, and reports bad rows', async () => {
    const book = await xlsx({
      说明: [['本表为客户导入模板']],
      客户: [
        ['客户名称', '电话', '邮箱', '负责人邮箱', '区域', '联系人', '职位', '跟进方式', '跟进内容', '跟进时间'],
        ['华为技术有限公司', '0755-2878 0808', 'info@huawei.example', 'wang.fang@example.com', '华南', '张伟', '采购经理', '拜访', '介绍了产品A', new Date('2026-03-02T00:00:00Z')],
        ['无名负责人公司', '', '', 'nobody@example.com', '', '', '', '', '', ''],
        ['错误区域公司', '', '', '', 'mars', '', '', '', '', ''],
      ],
    });
    const preview = await json<{ import: ImportDto }>(await upload(managerCookie, book, q({ dryRun: '1' })));
    expect(preview.import.sheets).toEqual(['说明', '客户']);
    expect(preview.import.sheet).toBe('说明');
    expect(preview.import.error).toContain('name');

    const dry = await json<{ import: ImportDto }>(await upload(managerCookie, book, q({ dryRun: '1', sheet: '客户' })));
    expect(dry.import).toMatchObject({ sheet: '客户', total: 3, imported: 1, refused: 2 });
    expect(dry.import.headers).toEqual(['客户名称', '电话', '邮箱', '负责人邮箱', '区域', '联系人', '职位', '跟进方式', '跟进内容', '跟进时间']);
    expect(dry.import.columns).toMatchObject({
      name: '客户名称',
      owner: '负责人邮箱',
      'custom.region': '区域',
      'contact.name': '联系人',
      'contact.title': '职位',
      'followup.type': '跟进方式',
      'followup.text': '跟进内容',
      'followup.at': '跟进时间',
    });

    const { import: imp } = await json<{ import: ImportDto }>(await upload(managerCookie, book, q({ sheet: '客户', fileName: '客户.xlsx' })), 201);
    expect(imp).toMatchObject({ status: 'done', target: 'customers', total: 3, imported: 1, refused: 2 });
    const byLine = Object.fromEntries(imp.report.map((r) => [r.line, r]));
    // An unknown owner is reported on its row, never replaced by the importer.
    expect(byLine[3]).toMatchObject({ status: 'refused', field: 'owner', reason: expect.stringContaining('nobody@example.com') });
    expect(byLine[4]).toMatchObject({ status: 'refused', field: 'custom.region', reason: expect.stringContaining('options') });

    const id = byLine[2]!.customerId!;
    const { customer } = await json<{ customer: CustomerDto }>(await manager.get(`/api/customers/${id}`));
    expect(customer).toMatchObject({ name: '华为技术有限公司', ownerId: owner.id, custom: { region: 'south' } });
    const contacts = await json<{ items: ContactDto[] }>(await manager.get(`/api/customers/${id}/contacts`));
    expect(contacts.items).toMatchObject([{ name: '张伟', title: '采购经理' }]);
    const doc = await storedDoc(s.ctx, customerDocName(id));
    const followups = doc.getArray<Y.Map<unknown>>(CUSTOMER_ROOTS.followups).toArray();
    expect(followups.map((f) => [f.get('type'), String(f.get('text')), f.get('at')])).toEqual([['visit', '介绍了产品A', '2026-03-02T00:00:00.000Z']]);
    const list = await json<{ items: CustomerDto[] }>(await manager.get('/api/customers?custom.region=south'));
    expect(list.items.map((c) => c.id)).toEqual([id]);
  });

  it('refuses a corrupt workbook, a missing sheet and a bad mapping with the field named, leaving nothing behind', async () => {
    const corrupt: Uint8Array<ArrayBuffer> = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6, 7, 8]);
    expect(await errorOf(await upload(repCookie, corrupt))).toMatchObject({ status: 400, field: 'file' });
    const book = await xlsx({ Customers: [['name', 'email'], ['Only Co', 'only@example.com']] });
    expect(await errorOf(await upload(repCookie, book, q({ sheet: 'Nope' })))).toMatchObject({ status: 400, field: 'sheet' });
    expect(await errorOf(await upload(repCookie, book, q({ mapping: { name: 'custom.nope' } })))).toMatchObject({ status: 400, field: 'mapping' });
    expect(await errorOf(await upload(repCookie, book, q({ matchBy: 'phone' })))).toMatchObject({ status: 400, field: 'matchBy' });
    expect(await errorOf(await upload(repCookie, book, q({ matchBy: 'email', modes: { email: 'sometimes' } })))).toMatchObject({ status: 400, field: 'modes' });
    expect(await errorOf(await upload(repCookie, book, q({ target: 'leads', matchBy: 'email' })))).toMatchObject({ status: 400, field: 'matchBy' });
    expect((await errorOf(await upload(repCookie, book, q({ matchBy: 'salary' })))).status).toBe(400);
    expect(await s.ctx.db.selectFrom('customer_imports').select('id').where('file_name', '=', '').where('status', '=', 'running').execute()).toEqual([]);
    expect(await s.ctx.db.selectFrom('customer_import_chunks').select('seq').execute()).toEqual([]);
  });
});

describe('import that updates', () => {
  it('matches by key, applies the per-field modes through the live document, and undo restores the previous values', async () => {
    const first = await rep.create({ name: 'Update Me Ltd', email: 'buyer@update.example', phone: '010-1111 1111', industry: '' });
    await rep.patch(`/api/customers/${first.id}`, { custom: { erp_id: 'E-1' } });
    const second = await rep.create({ name: 'Second Ltd', email: 'second@update.example', industry: 'Retail', tags: ['old'] });

    // A teammate has the first customer open.
    const client = connect(s.wsBase, customerDocName(first.id), managerCookie);
    await client.synced();

    const csv = [
      'name,email,phone,industry,tags,erp_id,contact name',
      'Update Me Ltd,BUYER@update.example,021-2222 2222,Energy,new,,李娜',
      'Second Ltd,second@update.example,,Energy,fresh,E-2,',
      'Brand New Ltd,new@update.example,,,,,',
    ].join('\n');
    const modes = { phone: 'fillEmpty', industry: 'fillEmpty', tags: 'overwrite' };
    const res = await upload(repCookie, csv, q({ matchBy: 'email', modes, mode: 'overwrite', mapping: { name: 'name', email: 'email', phone: 'phone', industry: 'industry', tags: 'tags', erp_id: 'custom.erp_id', 'contact name': 'contact.name' } }), 'text/csv');
    const { import: imp } = await json<{ import: ImportDto }>(res, 201);
    expect(imp).toMatchObject({ status: 'done', updated: 2, imported: 1, refused: 0, skipped: 0 });
    expect(imp.report.map((r) => r.status)).toEqual(['updated', 'updated', 'imported']);

    const a = (await json<{ customer: CustomerDto }>(await rep.get(`/api/customers/${first.id}`))).customer;
    // fillEmpty: phone kept (it had one), industry filled (it had none); overwrite: tags replaced.
    expect(a).toMatchObject({ phone: '010-1111 1111', industry: 'Energy', tags: ['new'], custom: { erp_id: 'E-1' } });
    const b = (await json<{ customer: CustomerDto }>(await rep.get(`/api/customers/${second.id}`))).customer;
    expect(b).toMatchObject({ industry: 'Retail', tags: ['fresh'], custom: { erp_id: 'E-2' } });
    // The open document received the change.
    await until(() => client.doc.getMap(CUSTOMER_ROOTS.fields).get('industry') === 'Energy', 'the open document shows the import');
    client.destroy();
    expect((await json<{ items: ContactDto[] }>(await rep.get(`/api/customers/${first.id}/contacts`))).items.map((c) => c.name)).toEqual(['李娜']);

    // Matching by an external id held in a custom field, again: one record per customer, no new ones.
    const again = await upload(repCookie, 'name,erp_id,needs\nUpdate Me Ltd,E-1,Faster delivery\n', q({ matchBy: 'custom.erp_id', mapping: { name: 'name', erp_id: 'custom.erp_id', needs: 'needs' } }), 'text/csv');
    expect((await json<{ import: ImportDto }>(again, 201)).import).toMatchObject({ updated: 1, imported: 0 });
    expect((await json<{ customer: CustomerDto }>(await rep.get(`/api/customers/${first.id}`))).customer.needs).toBe('Faster delivery');

    // Undo: a rep may not; another team does not see it; the manager restores and archives.
    expect((await errorOf(await rep.post(`/api/imports/${imp.id}/undo`))).status).toBe(403);
    expect((await errorOf(await repB.post(`/api/imports/${imp.id}/undo`))).status).toBe(404);
    expect((await errorOf(await repB.get(`/api/imports/${imp.id}`))).status).toBe(404);
    const undone = await json<{ import: ImportDto; archived: number; restored: number }>(await manager.post(`/api/imports/${imp.id}/undo`));
    expect(undone).toMatchObject({ archived: 1, restored: 2, import: { status: 'undone' } });
    const a2 = (await json<{ customer: CustomerDto }>(await rep.get(`/api/customers/${first.id}`))).customer;
    expect(a2).toMatchObject({ industry: '', tags: [], needs: 'Faster delivery' });
    const b2 = (await json<{ customer: CustomerDto }>(await rep.get(`/api/customers/${second.id}`))).customer;
    expect(b2).toMatchObject({ industry: 'Retail', tags: ['old'], custom: {} });
    expect((await json<{ items: ContactDto[] }>(await rep.get(`/api/customers/${first.id}/contacts`))).items).toEqual([]);
    const created = imp.report[2]!.customerId!;
    expect((await json<{ customer: CustomerDto }>(await rep.get(`/api/customers/${created}`))).customer.archivedAt).not.toBeNull();
  });

  it('imports the same sheet twice: the second time every row is an update that writes nothing to the documents', async () => {
    const csv = 'name,email,industry\nSame Sheet A,a@same.example,Mining\nSame Sheet B,b@same.example,Textiles\n';
    const mapping = { name: 'name', email: 'email', industry: 'industry' };
    const first = (await json<{ import: ImportDto }>(await upload(repCookie, csv, q({ matchBy: 'email', mapping }), 'text/csv'), 201)).import;
    expect(first).toMatchObject({ imported: 2, updated: 0 });
    const ids = first.report.map((r) => r.customerId!);
    const logRows = () => s.ctx.db.selectFrom('doc_updates').select('id').where('doc_name', 'in', ids.map(customerDocName)).execute();
    const before = (await logRows()).length;

    const second = (await json<{ import: ImportDto }>(await upload(repCookie, csv, q({ matchBy: 'email', mapping }), 'text/csv'), 201)).import;
    expect(second).toMatchObject({ imported: 0, updated: 2, refused: 0 });
    expect(second.report.map((r) => r.customerId)).toEqual(ids);
    expect((await logRows()).length).toBe(before);

    // A changed cell is written, and only for its customer.
    const third = (await json<{ import: ImportDto }>(await upload(repCookie, csv.replace('Textiles', 'Apparel'), q({ matchBy: 'email', mapping }), 'text/csv'), 201)).import;
    expect(third).toMatchObject({ imported: 0, updated: 2 });
    expect((await logRows()).length).toBe(before + 1);
    expect((await json<{ customer: CustomerDto }>(await rep.get(`/api/customers/${ids[1]}`))).customer.industry).toBe('Apparel');
  });

  it('refuses a row whose key matches several customers, and a rep changing an owner', async () => {
    await rep.create({ name: 'Twin A', phone: '0571-8888 0001', confirm: true });
    await rep.create({ name: 'Twin B', phone: '0571 8888 0001', confirm: true });
    const { import: imp } = await json<{ import: ImportDto }>(
      await upload(repCookie, `name,phone,owner\nTwin,0571-88880001,\nSecond Ltd,,${owner.email}\n`, q({ matchBy: 'phone' }), 'text/csv'),
      201,
    );
    expect(imp.report[0]).toMatchObject({ status: 'refused', field: 'matchBy' });
    expect(imp.report[1]).toMatchObject({ status: 'refused', field: 'owner' });
  });
});

describe('resuming', () => {
  it('continues an interrupted job after its last committed batch, creating each row once', async () => {
    const lines = ['name,phone'];
    for (let i = 0; i < 2300; i++) lines.push(`Resume customer ${i},1370000${String(i).padStart(4, '0')}`);
    const job = await insertImport(s.ctx.db, {
      teamId: teamA,
      createdBy: managerUser.id,
      fileName: 'resume.csv',
      target: 'customers',
      options: { target: 'customers', encoding: 'utf-8', confirm: false },
    });
    await storeImportFile(s.ctx.db, job.id, [new TextEncoder().encode(lines.join('\n'))]);
    await readyImport(s.ctx.db, job.id, { fileKind: 'csv', total: 2300 });
    // The process "dies" after its first batch committed.
    expect(await runImportJob(s.ctx, job.id, { maxBatches: 1 })).toBe('stopped');
    const mid = (await json<{ import: ImportDto }>(await manager.get(`/api/imports/${job.id}`))).import;
    expect(mid).toMatchObject({ status: 'running', processed: 1000, imported: 1000 });

    await resumeImports(s.ctx);
    const done = (await json<{ import: ImportDto }>(await manager.get(`/api/imports/${job.id}`))).import;
    expect(done).toMatchObject({ status: 'done', processed: 2300, imported: 2300, skipped: 0 });
    const count = await s.ctx.db
      .selectFrom('customers')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('import_id', '=', job.id)
      .executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(2300);
    expect(await s.ctx.db.selectFrom('customer_import_chunks').select('seq').where('import_id', '=', job.id).execute()).toEqual([]);
  });
});

describe('leads import', () => {
  it('imports leads through the same pipeline with owners by e-mail, and reports bad rows', async () => {
    const book = await xlsx({
      线索: [
        ['姓名', '公司', '电话', '邮箱', '来源', '负责人邮箱'],
        ['刘洋', '上海某贸易公司', '138 0000 1111', 'liu@trade.example', '展会', owner.email],
        ['错误邮箱', '', '', 'not-mail', '', ''],
        ['未知负责人', '', '', '', '', 'ghost@example.com'],
      ],
    });
    const { import: imp } = await json<{ import: ImportDto }>(await upload(managerCookie, book, q({ target: 'leads' })), 201);
    expect(imp).toMatchObject({ status: 'done', target: 'leads', imported: 1, refused: 2 });
    expect(imp.report[1]).toMatchObject({ field: 'email' });
    expect(imp.report[2]).toMatchObject({ field: 'owner' });
    const lead = (await json<{ lead: LeadDto }>(await manager.get(`/api/leads/${imp.report[0]!.leadId}`))).lead;
    expect(lead).toMatchObject({ name: '刘洋', company: '上海某贸易公司', source: '展会', ownerId: owner.id, status: 'new' });
    expect((await errorOf(await repB.get(`/api/leads/${lead.id}`))).status).toBe(404);
    const undone = await json<{ archived: number }>(await manager.post(`/api/imports/${imp.id}/undo`));
    expect(undone.archived).toBe(1);
    expect((await json<{ lead: LeadDto }>(await manager.get(`/api/leads/${lead.id}`))).lead).toMatchObject({ status: 'disqualified' });
  });
});
