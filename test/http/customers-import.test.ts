import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerDto, HistoryEntryDto } from '../../schema/wire/customer.ts';
import type { ImportDto } from '../../schema/wire/customer-import.ts';
import type { User } from '../../server/users/user.ts';
import { ORIGIN, type TestContext, createTestContext, login, seedTeam, seedUser } from '../helpers/context.ts';
import { api, errorOf, json } from '../helpers/customers.ts';

/** Setup signs several users in (argon2id), slow on a busy machine. */
const SETUP_TIMEOUT_MS = 180_000;

let t: TestContext;
let teamA: string;
let manager: ReturnType<typeof api>;
let rep: ReturnType<typeof api>;
let repB: ReturnType<typeof api>;
let repCookie: string;
let managerCookie: string;
let repUser: User;
let rep2User: User;

beforeAll(async () => {
  t = await createTestContext();
  teamA = (await seedTeam(t.ctx, 'Alpha')).id;
  const teamB = (await seedTeam(t.ctx, 'Beta')).id;
  const managerUser = await seedUser(t.ctx, { role: 'manager', teamId: teamA });
  repUser = await seedUser(t.ctx, { role: 'rep', teamId: teamA });
  rep2User = await seedUser(t.ctx, { role: 'rep', teamId: teamA, email: 'rita@example.com' });
  managerCookie = await login(t.app, managerUser.email);
  repCookie = await login(t.app, repUser.email);
  manager = api(t, managerCookie);
  rep = api(t, repCookie);
  repB = api(t, await login(t.app, (await seedUser(t.ctx, { role: 'rep', teamId: teamB })).email));
}, SETUP_TIMEOUT_MS);
afterAll(() => t.close());

function upload(cookie: string, body: BodyInit, query = '', type = 'text/csv') {
  return t.app.request(`/api/customers/import${query}`, {
    method: 'POST',
    headers: { cookie, origin: ORIGIN, 'content-type': type },
    body,
  });
}

const BOM = '\uFEFF';

describe('import', () => {
  it('previews a dry run with recognised Chinese headers, a BOM and quoted newlines, writing nothing', async () => {
    const csv = `${BOM}客户名称,电话,邮箱,标签,需求\n腾讯科技（深圳）有限公司,0755-8601 3388,ir@tencent.example,"互联网, 游戏","第一行\n第二行"\n,123456,,,\n`;
    const { import: preview } = await json<{ import: ImportDto }>(await upload(repCookie, csv, '?dryRun=1'));
    expect(preview).toMatchObject({ id: null, status: 'preview', total: 2, imported: 1, refused: 1, skipped: 0 });
    expect(preview.columns).toEqual({ name: '客户名称', phone: '电话', email: '邮箱', tags: '标签', needs: '需求' });
    expect(preview.report[1]).toMatchObject({ status: 'refused', field: 'name' });
    const list = await json<{ items: CustomerDto[] }>(await rep.get(`/api/customers?q=${encodeURIComponent('腾讯')}`));
    expect(list.items).toEqual([]);
  });

  it('imports rows, reports duplicates and refusals per row, and makes real documents', async () => {
    await rep.create({ name: 'Existing Ltd', phone: '+86 10 5555 0000' });
    const csv = [
      'Company,Phone,E-mail,Category,Tags,Owner,Notes',
      '"Acme, Inc.",021-1111 2222,hello@acme.example,intent,"a, b",,ignored',
      'Existing Ltd.,,,,,,',
      'Other name,+86-10-5555-0000,,,,,',
      'Acme Inc,,,,,,',
      'Bad mail Co,,not-mail,,,,',
      'Bad category,,,platinum,,,',
      'Given away,,,,,rita@example.com,',
      'Too few cells',
      '=HYPERLINK("http://evil"),,,,,,',
    ].join('\r\n');
    const mapping = JSON.stringify({ Company: 'name', Phone: 'phone', 'E-mail': 'email', Category: 'category', Tags: 'tags', Owner: 'owner', Notes: 'ignore' });
    const res = await upload(repCookie, csv, `?mapping=${encodeURIComponent(mapping)}&fileName=leads.csv`);
    const { import: imp } = await json<{ import: ImportDto }>(res, 201);
    expect(imp).toMatchObject({ status: 'done', fileName: 'leads.csv', total: 9, processed: 9, imported: 2, skipped: 3, refused: 4 });
    const byName = Object.fromEntries(imp.report.map((r) => [r.name || `line ${r.line}`, r]));
    expect(byName['Acme, Inc.']).toMatchObject({ status: 'imported' });
    expect(byName['Existing Ltd.']).toMatchObject({ status: 'duplicate', candidates: [expect.objectContaining({ reasons: ['name'] })] });
    expect(byName['Other name']).toMatchObject({ status: 'duplicate', candidates: [expect.objectContaining({ reasons: ['phone'] })] });
    expect(byName['Acme Inc']).toMatchObject({ status: 'duplicate', reason: expect.stringContaining('line') });
    expect(byName['Bad mail Co']).toMatchObject({ status: 'refused', field: 'email' });
    expect(byName['Bad category']).toMatchObject({ status: 'refused', field: 'category' });
    expect(byName['Given away']).toMatchObject({ status: 'refused', field: 'owner' });
    expect(imp.report.find((r) => r.field === 'row')).toMatchObject({ status: 'refused', reason: expect.stringContaining('cells') });
    expect(byName['=HYPERLINK("http://evil")']).toMatchObject({ status: 'imported' });

    const acme = await json<{ customer: CustomerDto }>(await rep.get(`/api/customers/${byName['Acme, Inc.']!.customerId}`));
    expect(acme.customer).toMatchObject({ phone: '021-1111 2222', email: 'hello@acme.example', category: 'intent', tags: ['a', 'b'], ownerId: repUser.id, importId: imp.id });
    // The document holds the imported fields: a later edit through it keeps them.
    const patched = await json<{ customer: CustomerDto }>(await rep.patch(`/api/customers/${acme.customer.id}`, { industry: 'Tools' }));
    expect(patched.customer).toMatchObject({ industry: 'Tools', phone: '021-1111 2222', tags: ['a', 'b'], category: 'intent' });
    const history = await json<{ items: HistoryEntryDto[] }>(await rep.get(`/api/customers/${acme.customer.id}/history`));
    expect(history.items.map((h) => h.action)).toEqual(['update', 'import']);
    expect((await errorOf(await repB.get(`/api/imports/${imp.id}`))).status).toBe(404);
    const again = await json<{ import: ImportDto }>(await rep.get(`/api/imports/${imp.id}`));
    expect(again.import.imported).toBe(2);
  });

  it('lets managers assign owners by e-mail and imports duplicates when confirmed', async () => {
    const csv = 'name,owner\nExisting Ltd,rita@example.com\n';
    const { import: imp } = await json<{ import: ImportDto }>(await upload(managerCookie, csv, '?confirm=1'), 201);
    expect(imp.imported).toBe(1);
    const c = await json<{ customer: CustomerDto }>(await manager.get(`/api/customers/${imp.report[0]!.customerId}`));
    expect(c.customer.ownerId).toBe(rep2User.id);
    // The new owner is told, the importing manager is not.
    const notes = await t.ctx.db.selectFrom('notifications').selectAll().where('type', '=', 'assignment').where('entity_id', '=', c.customer.id).execute();
    expect(notes.map((n) => n.recipient_id)).toEqual([rep2User.id]);
  });

  it('refuses files it cannot read, with the reason', async () => {
    expect(await errorOf(await upload(repCookie, 'colour,size\nred,big\n'))).toMatchObject({ status: 400, field: 'mapping' });
    // A preview without a mapping answers the headers instead, for the wizard's mapping step; nothing is kept.
    const unmapped = await json<{ import: ImportDto }>(await upload(repCookie, 'colour,size\nred,big\n', '?dryRun=1'));
    expect(unmapped.import).toMatchObject({ status: 'preview', id: null, headers: ['colour', 'size'], error: expect.stringContaining('name') });
    expect(await errorOf(await upload(repCookie, 'name\nx\n', `?mapping=${encodeURIComponent('{"Name":"name"}')}`))).toMatchObject({
      status: 400,
      field: 'mapping',
    });
    expect(await errorOf(await upload(repCookie, 'name\nx\n', `?mapping=${encodeURIComponent('{"name":"salary"}')}`))).toMatchObject({
      status: 400,
      field: 'mapping',
    });
    expect(await errorOf(await upload(repCookie, 'name\nx\n', '?mapping=notjson'))).toMatchObject({ status: 400, field: 'mapping' });
    expect(await errorOf(await upload(repCookie, ''))).toMatchObject({ status: 400, field: 'file' });
    expect(await errorOf(await upload(repCookie, 'name\n"unterminated\n'))).toMatchObject({ status: 400, field: 'file' });
    expect((await errorOf(await upload(repCookie, 'name\nx\n', '', 'application/json'))).status).toBe(415);
  });

  it('names a bad encoding, and reads GBK when told', async () => {
    // "名称\n你好公司\n" in GBK.
    const gbk = Buffer.concat([Buffer.from([0xc3, 0xfb, 0xb3, 0xc6, 0x0a]), Buffer.from([0xc4, 0xe3, 0xba, 0xc3, 0xb9, 0xab, 0xcb, 0xbe, 0x0a])]);
    const err = await errorOf(await upload(repCookie, gbk));
    expect(err).toMatchObject({ status: 400, field: 'file' });
    expect(err.message).toContain('UTF-8');
    const { import: imp } = await json<{ import: ImportDto }>(await upload(repCookie, gbk, '?encoding=gbk&dryRun=true'));
    expect(imp.report[0]).toMatchObject({ name: '你好公司', status: 'imported' });
  });

  it('answers 413 for a 25 MB form and for a body declared larger than the cap', async () => {
    const form = new FormData();
    form.set('file', new File([new Uint8Array(25 * 1024 * 1024).fill(0x61)], 'big.csv', { type: 'text/csv' }));
    const res = await t.app.request('/api/customers/import', { method: 'POST', headers: { cookie: repCookie, origin: ORIGIN }, body: form });
    expect(res.status).toBe(413);
    expect(await errorOf(res)).toMatchObject({ code: 'payload_too_large', field: 'file' });
    const declared = await t.app.request('/api/customers/import', {
      method: 'POST',
      headers: { cookie: repCookie, origin: ORIGIN, 'content-type': 'text/csv', 'content-length': String(2 * 1024 * 1024 * 1024) },
      body: 'name\nx\n',
    });
    expect(declared.status).toBe(413);
    // Nothing half-written: no job was left behind.
    expect(await t.ctx.db.selectFrom('customer_import_chunks').select('seq').execute()).toEqual([]);
  });

  it('accepts a multipart upload with the options as fields', async () => {
    const form = new FormData();
    form.set('file', new File(['name,phone\nMultipart Co,400-820-8820\n'], 'upload.csv', { type: 'text/csv' }));
    form.set('dryRun', 'false');
    const res = await t.app.request('/api/customers/import', { method: 'POST', headers: { cookie: repCookie, origin: ORIGIN }, body: form });
    const { import: imp } = await json<{ import: ImportDto }>(res, 201);
    expect(imp).toMatchObject({ fileName: 'upload.csv', imported: 1 });
    const form2 = new FormData();
    form2.set('other', 'x');
    expect(
      await errorOf(await t.app.request('/api/customers/import', { method: 'POST', headers: { cookie: repCookie, origin: ORIGIN }, body: form2 })),
    ).toMatchObject({ status: 400, field: 'file' });
  });

  it('runs a large import in the background with progress, and undoes it', async () => {
    const lines = ['name,phone,tags'];
    for (let i = 0; i < 2500; i++) lines.push(`Bulk customer ${i},1390000${String(i).padStart(4, '0')},bulk`);
    const res = await upload(managerCookie, lines.join('\n'));
    const started = await json<{ import: ImportDto }>(res, 202);
    expect(started.import).toMatchObject({ status: 'running', total: 2500 });
    let current = started.import;
    const seen = new Set<number>();
    while (current.status === 'running') {
      await new Promise((r) => setTimeout(r, 50));
      current = (await json<{ import: ImportDto }>(await manager.get(`/api/imports/${started.import.id}`))).import;
      seen.add(current.processed);
    }
    expect(current).toMatchObject({ status: 'done', processed: 2500, imported: 2500 });
    const listed = await json<{ items: CustomerDto[] }>(await rep.get('/api/customers?tags=bulk&limit=1'));
    expect(listed.items).toHaveLength(1);
    const found = await json<{ items: CustomerDto[] }>(await rep.get('/api/customers?q=13900002499'));
    expect(found.items.map((x) => x.name)).toEqual(['Bulk customer 2499']);

    // Export pages through all of them (more than one export page).
    const csv = await (await rep.get('/api/customers/export.csv?tags=bulk&sort=name')).text();
    const rows = parse(csv, { bom: true }) as string[][];
    expect(rows).toHaveLength(2501);

    expect((await errorOf(await rep.post(`/api/imports/${current.id}/undo`))).status).toBe(403);
    // Another team's import looks like a missing one, whatever the role (it used to be 403 for reps, 404 for managers).
    expect((await errorOf(await repB.post(`/api/imports/${current.id}/undo`))).status).toBe(404);
    const undone = await json<{ import: ImportDto; archived: number }>(await manager.post(`/api/imports/${current.id}/undo`));
    expect(undone.archived).toBe(2500);
    expect(undone.import.status).toBe('undone');
    expect((await json<{ items: CustomerDto[] }>(await rep.get('/api/customers?tags=bulk'))).items).toEqual([]);
    expect((await errorOf(await manager.post(`/api/imports/${current.id}/undo`))).status).toBe(409);
    const listedImports = await json<{ items: ImportDto[] }>(await manager.get('/api/imports'));
    expect(listedImports.items[0]).toMatchObject({ id: current.id, status: 'undone' });
  });
});

describe('export', () => {
  it('streams the filtered list as CSV with a BOM and formula cells escaped', async () => {
    await rep.create({ name: '=1+1 Formula Co', phone: '+86 138 0000 0000', email: 'x@formula.example', tags: ['export-me'] });
    await rep.create({ name: '@SUM(A1) Co', needs: '-2+3', tags: ['export-me'] });
    await rep.create({ name: 'Not exported' });
    const res = await rep.get('/api/customers/export.csv?tags=export-me&sort=name');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/csv');
    expect(res.headers.get('content-disposition')).toMatch(/attachment; filename="customers-\d+\.csv"/);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
    expect(text.startsWith(BOM)).toBe(true);
    const rows = parse(text, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.name)).toEqual(["'=1+1 Formula Co", "'@SUM(A1) Co"]);
    expect(rows[0]!.phone).toBe("'+86 138 0000 0000");
    expect(rows[1]!.needs).toBe("'-2+3");
    expect(rows[0]!.owner).toBe(repUser.email);

    // An export imports back: the apostrophes come off again.
    const dry = await json<{ import: ImportDto }>(await upload(repCookie, text, '?dryRun=1&confirm=1'));
    expect(dry.import.report.map((r) => r.name)).toEqual(['=1+1 Formula Co', '@SUM(A1) Co']);
  });

  it('exports Excel with the same rows, and refuses bad filters', async () => {
    const res = await rep.get('/api/customers/export.xlsx?tags=export-me&sort=name');
    expect(res.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await res.arrayBuffer());
    const sheet = workbook.getWorksheet('Customers')!;
    expect(sheet.getRow(1).getCell(2).value).toBe('name');
    expect(sheet.getRow(2).getCell(2).value).toBe('=1+1 Formula Co');
    expect(sheet.rowCount).toBe(3);
    expect((await errorOf(await rep.get('/api/customers/export.csv?sort=colour'))).status).toBe(400);
    expect((await errorOf(await repB.get('/api/customers/export.csv?cursor=x'))).status).toBe(400);
    const other = await (await repB.get('/api/customers/export.csv?tags=export-me')).text();
    expect((parse(other, { bom: true }) as string[][]).length).toBe(1);
  });
});
