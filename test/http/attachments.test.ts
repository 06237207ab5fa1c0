/** Attachments over HTTP: round trips, size and type refusals, access by team and role, archive. */
import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ATTACHMENT_MAX_BYTES, type AttachmentDto, type AttachmentListDto } from '../../schema/wire/attachments.ts';
import type { User } from '../../server/users/user.ts';
import {
  CSV_BYTES,
  DOCM_BYTES,
  DOCX_BYTES,
  DOCX_TYPE,
  EXE_BYTES,
  HTML_BYTES,
  PDF_BYTES,
  PNG_BYTES,
  upload,
  XLSX_TYPE,
} from '../helpers/attachments.ts';
import { createTestContext, login, ORIGIN, seedTeam, seedUser, type TestContext } from '../helpers/context.ts';
import { caller, createOpportunity, errorOf, json } from '../helpers/opportunities.ts';

let t: TestContext;
let teamA: string;
let teamB: string;
let manager: User;
let rep: User;
let rep2: User;
let cookies: { manager: string; rep: string; rep2: string; outsider: string; outsiderManager: string };
let customerA: string;
let customerB: string;
let archivedA: string;
let opportunityA: string;
let serviceRecordA: string;

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const countRows = async () => {
  const a = await t.ctx.db.selectFrom('attachments').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow();
  const b = await t.ctx.db.selectFrom('attachment_contents').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow();
  return { rows: Number(a.n), contents: Number(b.n) };
};

async function seedCustomer(teamId: string, name: string, archived = false): Promise<string> {
  const row = await t.ctx.db
    .insertInto('customers')
    .values({ team_id: teamId, name, archived_at: archived ? new Date() : null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

async function uploaded(cookie: string, parentType: string, parentId: string, file: { bytes: Uint8Array; name: string; type: string }): Promise<AttachmentDto> {
  return (await json<{ attachment: AttachmentDto }>(await upload(t.app, cookie, { parentType, parentId, file }), 201)).attachment;
}

const get = (cookie: string, path: string) => t.app.request(path, { headers: { cookie, origin: ORIGIN } });
const post = (cookie: string, path: string) => t.app.request(path, { method: 'POST', headers: { cookie, origin: ORIGIN } });
const list = async (cookie: string, path: string) => (await json<AttachmentListDto>(await get(cookie, path))).items;

beforeAll(async () => {
  t = await createTestContext();
  teamA = (await seedTeam(t.ctx)).id;
  teamB = (await seedTeam(t.ctx)).id;
  manager = await seedUser(t.ctx, { role: 'manager', teamId: teamA, name: 'Mary Manager' });
  rep = await seedUser(t.ctx, { role: 'rep', teamId: teamA, name: '王芳' });
  rep2 = await seedUser(t.ctx, { role: 'rep', teamId: teamA, name: 'Ray Rep' });
  const outsider = await seedUser(t.ctx, { role: 'rep', teamId: teamB });
  const outsiderManager = await seedUser(t.ctx, { role: 'manager', teamId: teamB });
  const [m, r, r2, o, om] = await Promise.all([manager, rep, rep2, outsider, outsiderManager].map((u) => login(t.app, u.email)));
  cookies = { manager: m as string, rep: r as string, rep2: r2 as string, outsider: o as string, outsiderManager: om as string };
  customerA = await seedCustomer(teamA, 'Acme 华为');
  customerB = await seedCustomer(teamB, 'Other Co');
  archivedA = await seedCustomer(teamA, 'Old Archived', true);
  opportunityA = (await createOpportunity(caller(t.app, cookies.rep), { customerId: customerA, name: 'Big deal', amount: 1000 })).id;
  const sr = await t.app.request('/api/service-records', {
    method: 'POST',
    headers: { cookie: cookies.rep, origin: ORIGIN, 'content-type': 'application/json' },
    body: JSON.stringify({ customerId: customerA, type: 'complaint', title: 'Printer jams' }),
  });
  serviceRecordA = (await json<{ serviceRecord: { id: string } }>(sr, 201)).serviceRecord.id;
});
afterAll(() => t.close());

describe('upload, list and download', () => {
  it('round-trips a PDF with a Chinese name on a customer: same bytes, headers, audit', async () => {
    const name = '报价单 2026（终版）.pdf';
    const a = await uploaded(cookies.rep, 'customer', customerA, { bytes: PDF_BYTES, name, type: 'application/pdf' });
    expect(a).toMatchObject({
      parentType: 'customer',
      parentId: customerA,
      fileName: name,
      contentType: 'application/pdf',
      size: PDF_BYTES.length,
      sha256: sha256(PDF_BYTES),
      uploadedBy: rep.id,
      uploaderName: '王芳',
    });
    const items = await list(cookies.rep2, `/api/customers/${customerA}/attachments`);
    expect(items.map((i) => i.id)).toContain(a.id);
    expect(items.find((i) => i.id === a.id)).toEqual(a);

    const res = await get(cookies.manager, `/api/attachments/${a.id}/download`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const disposition = res.headers.get('content-disposition') ?? '';
    expect(disposition.startsWith('attachment;')).toBe(true);
    const star = disposition.match(/filename\*=UTF-8''([^;]+)/)?.[1];
    expect(star && decodeURIComponent(star)).toBe(name);
    expect(star).not.toMatch(/[()'* ]/);
    expect(disposition).toMatch(/filename="[\x20-\x7e]+"/);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PDF_BYTES);

    const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('entity_type', '=', 'attachment').where('entity_id', '=', a.id).execute();
    expect(audit.map((r) => r.action)).toEqual(['attachment.create']);
    expect(audit[0]?.actor_id).toBe(rep.id);
  });

  it('takes an Excel file (exceljs) on an opportunity, declared vaguely, and stores its real type', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('报价').addRow(['产品', 100]);
    const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
    const a = await uploaded(cookies.rep, 'opportunity', opportunityA, { bytes, name: 'quote.xlsx', type: 'application/octet-stream' });
    expect(a.contentType).toBe(XLSX_TYPE);
    const items = await list(cookies.manager, `/api/opportunities/${opportunityA}/attachments`);
    expect(items.map((i) => i.id)).toEqual([a.id]);
    const res = await get(cookies.rep2, `/api/attachments/${a.id}/download`);
    expect(res.headers.get('content-type')).toBe(XLSX_TYPE);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(bytes);
  });

  it('takes a CSV and a docx on a service record; text is served as UTF-8', async () => {
    const csv = await uploaded(cookies.rep2, 'service_record', serviceRecordA, { bytes: CSV_BYTES, name: '明细.csv', type: 'text/csv' });
    const docx = await uploaded(cookies.rep2, 'service_record', serviceRecordA, { bytes: DOCX_BYTES, name: 'report.docx', type: DOCX_TYPE });
    expect(docx.contentType).toBe(DOCX_TYPE);
    const items = await list(cookies.rep, `/api/service-records/${serviceRecordA}/attachments`);
    expect(items.map((i) => i.id).sort()).toEqual([csv.id, docx.id].sort());
    const res = await get(cookies.rep, `/api/attachments/${csv.id}/download`);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(await res.text()).toBe(new TextDecoder().decode(CSV_BYTES));
  });

  it('accepts files above the API’s general body cap (here 3 MB of text), up to its own', async () => {
    const bytes = new Uint8Array(3 * 1024 * 1024).fill(0x61);
    expect(bytes.length).toBeGreaterThan(t.ctx.config.maxBodyBytes);
    const a = await uploaded(cookies.rep, 'customer', customerA, { bytes, name: 'big-notes.txt', type: 'text/plain' });
    expect(a.size).toBe(bytes.length);
    const res = await get(cookies.rep, `/api/attachments/${a.id}/download`);
    expect(res.headers.get('content-length')).toBe(String(bytes.length));
    expect(sha256(new Uint8Array(await res.arrayBuffer()))).toBe(sha256(bytes));
  });

  it('stores a sanitised name: no path, control characters, NUL or bidi overrides', async () => {
    const a = await uploaded(cookies.rep, 'customer', customerA, { bytes: PNG_BYTES, name: '..\\..\\etc/\u0000x\u202Egnp.\u0007photo.png', type: 'image/png' });
    expect(a.fileName).toBe('xgnp.photo.png');
    const long = await uploaded(cookies.rep, 'customer', customerA, { bytes: PNG_BYTES, name: `${'长'.repeat(300)}.png`, type: 'image/png' });
    expect(Array.from(long.fileName)).toHaveLength(200);
    expect(long.fileName.endsWith('.png')).toBe(true);
  });
});

describe('refusals store nothing', () => {
  it('answers 413 over the cap, before storing anything', async () => {
    const before = await countRows();
    const big = new Uint8Array(ATTACHMENT_MAX_BYTES + 1).fill(0x61);
    const res = await upload(t.app, cookies.rep, { parentType: 'customer', parentId: customerA, file: { bytes: big, name: 'big.txt', type: 'text/plain' } });
    expect(res.status).toBe(413);
    expect(await errorOf(res)).toMatchObject({ code: 'payload_too_large', field: 'file' });
    expect(await countRows()).toEqual(before);
  });

  it('refuses a declared Content-Length over the cap without reading the body', async () => {
    const res = await t.app.request('/api/attachments', {
      method: 'POST',
      headers: { cookie: cookies.rep, origin: ORIGIN, 'content-type': 'multipart/form-data; boundary=x', 'content-length': String(ATTACHMENT_MAX_BYTES * 2) },
      body: '--x--',
    });
    expect(res.status).toBe(413);
    expect((await errorOf(res)).code).toBe('payload_too_large');
  });

  it.each([
    ['an executable declared as a PDF', EXE_BYTES, 'invoice.pdf', 'application/pdf'],
    ['an executable declared as nothing', EXE_BYTES, 'setup.exe', 'application/octet-stream'],
    ['an executable declared as its own type', EXE_BYTES, 'setup.exe', 'application/x-msdownload'],
    ['HTML declared as a PDF', HTML_BYTES, 'invoice.pdf', 'application/pdf'],
    ['HTML declared as HTML', HTML_BYTES, 'page.html', 'text/html'],
    ['SVG declared as SVG', new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'a.svg', 'image/svg+xml'],
    ['a PNG declared as a JPEG', PNG_BYTES, 'photo.jpg', 'image/jpeg'],
    ['a macro-enabled Word file declared as docx', DOCM_BYTES, 'evil.docx', DOCX_TYPE],
    ['a PDF declared as plain text', PDF_BYTES, 'notes.txt', 'text/plain'],
  ])('answers 415 on file for %s', async (_label, bytes, name, type) => {
    const before = await countRows();
    const res = await upload(t.app, cookies.rep, { parentType: 'customer', parentId: customerA, file: { bytes, name, type } });
    expect(res.status).toBe(415);
    expect((await errorOf(res)).field).toBe('file');
    expect(await countRows()).toEqual(before);
  });

  it('answers 400 naming the field for a bad parent type or id, a missing or empty file, and 415 for JSON', async () => {
    const file = { bytes: PDF_BYTES, name: 'a.pdf', type: 'application/pdf' };
    const cases: Array<[Promise<Response>, string]> = [
      [upload(t.app, cookies.rep, { parentType: 'invoice', parentId: customerA, file }), 'parentType'],
      [upload(t.app, cookies.rep, { parentType: 'customer', parentId: 'not-an-id\u0000', file }), 'parentId'],
      [upload(t.app, cookies.rep, { parentType: 'customer', parentId: customerA }), 'file'],
      [upload(t.app, cookies.rep, { parentType: 'customer', parentId: customerA, file: { ...file, bytes: new Uint8Array(0) } }), 'file'],
    ];
    for (const [pending, field] of cases) {
      const res = await pending;
      expect(res.status).toBe(400);
      expect((await errorOf(res)).field).toBe(field);
    }
    const asJson = await t.app.request('/api/attachments', {
      method: 'POST',
      headers: { cookie: cookies.rep, origin: ORIGIN, 'content-type': 'application/json' },
      body: JSON.stringify({ parentType: 'customer', parentId: customerA }),
    });
    expect(asJson.status).toBe(415);
  });

  it('needs a session and a same-origin request', async () => {
    const form = new FormData();
    form.set('parentType', 'customer');
    form.set('parentId', customerA);
    form.set('file', new File([PDF_BYTES], 'a.pdf', { type: 'application/pdf' }));
    expect((await t.app.request('/api/attachments', { method: 'POST', headers: { origin: ORIGIN }, body: form })).status).toBe(401);
    expect((await t.app.request(`/api/customers/${customerA}/attachments`)).status).toBe(401);
    const crossSite = await t.app.request('/api/attachments', { method: 'POST', headers: { cookie: cookies.rep, origin: 'https://evil.example' }, body: form });
    expect(crossSite.status).toBe(403);
  });
});

describe('access follows the parent', () => {
  it('hides another team’s attachments and records (404) for list, download, upload and archive', async () => {
    const a = await uploaded(cookies.rep, 'customer', customerA, { bytes: PDF_BYTES, name: 'secret.pdf', type: 'application/pdf' });
    const before = await countRows();
    for (const cookie of [cookies.outsider, cookies.outsiderManager]) {
      expect((await get(cookie, `/api/customers/${customerA}/attachments`)).status).toBe(404);
      expect((await get(cookie, `/api/opportunities/${opportunityA}/attachments`)).status).toBe(404);
      expect((await get(cookie, `/api/service-records/${serviceRecordA}/attachments`)).status).toBe(404);
      const download = await get(cookie, `/api/attachments/${a.id}/download`);
      expect(download.status).toBe(404);
      expect((await errorOf(download)).code).toBe('not_found');
      const up = await upload(t.app, cookie, { parentType: 'customer', parentId: customerA, file: { bytes: PDF_BYTES, name: 'x.pdf', type: 'application/pdf' } });
      expect(up.status).toBe(404);
      expect((await post(cookie, `/api/attachments/${a.id}/archive`)).status).toBe(404);
    }
    expect(await countRows()).toEqual(before);
    expect((await list(cookies.rep, `/api/customers/${customerA}/attachments`)).map((i) => i.id)).toContain(a.id);
    // And the other way round: team A cannot reach team B's customer.
    expect((await get(cookies.manager, `/api/customers/${customerB}/attachments`)).status).toBe(404);
    // An unknown id is the same 404.
    expect((await get(cookies.rep, '/api/attachments/00000000-0000-4000-8000-000000000000/download')).status).toBe(404);
    expect((await get(cookies.rep, '/api/attachments/not-an-id/download')).status).toBe(400);
  });

  it('lets a rep read but not add to an archived customer (403); a manager may', async () => {
    const res = await upload(t.app, cookies.rep, { parentType: 'customer', parentId: archivedA, file: { bytes: PDF_BYTES, name: 'a.pdf', type: 'application/pdf' } });
    expect(res.status).toBe(403);
    expect((await list(cookies.rep, `/api/customers/${archivedA}/attachments`))).toEqual([]);
    await uploaded(cookies.manager, 'customer', archivedA, { bytes: PDF_BYTES, name: 'a.pdf', type: 'application/pdf' });
    expect(await list(cookies.rep, `/api/customers/${archivedA}/attachments`)).toHaveLength(1);
  });
});

describe('archive', () => {
  it('lets the uploader and a manager archive; a rep archiving someone else’s file gets 403', async () => {
    const mine = await uploaded(cookies.rep, 'opportunity', opportunityA, { bytes: PNG_BYTES, name: 'mine.png', type: 'image/png' });
    const theirs = await uploaded(cookies.rep2, 'opportunity', opportunityA, { bytes: PNG_BYTES, name: 'theirs.png', type: 'image/png' });

    const refused = await post(cookies.rep, `/api/attachments/${theirs.id}/archive`);
    expect(refused.status).toBe(403);
    expect((await errorOf(refused)).code).toBe('forbidden');
    expect((await list(cookies.rep, `/api/opportunities/${opportunityA}/attachments`)).map((i) => i.id)).toContain(theirs.id);

    expect((await post(cookies.rep, `/api/attachments/${mine.id}/archive`)).status).toBe(204);
    expect((await post(cookies.manager, `/api/attachments/${theirs.id}/archive`)).status).toBe(204);

    const ids = (await list(cookies.rep, `/api/opportunities/${opportunityA}/attachments`)).map((i) => i.id);
    expect(ids).not.toContain(mine.id);
    expect(ids).not.toContain(theirs.id);
    expect((await get(cookies.manager, `/api/attachments/${mine.id}/download`)).status).toBe(404);
    expect((await post(cookies.manager, `/api/attachments/${mine.id}/archive`)).status).toBe(404);

    const audit = await t.ctx.db
      .selectFrom('audit_log')
      .select(['actor_id', 'entity_id'])
      .where('action', '=', 'attachment.archive')
      .where('entity_id', 'in', [mine.id, theirs.id])
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      { actor_id: rep.id, entity_id: mine.id },
      { actor_id: manager.id, entity_id: theirs.id },
    ]);
    // The bytes stay (nothing is deleted), the row is only marked.
    const kept = await t.ctx.db.selectFrom('attachments').select('archived_at').where('id', '=', mine.id).executeTakeFirstOrThrow();
    expect(kept.archived_at).toBeInstanceOf(Date);
  });
});
