/**
 * Import jobs on one node: claims (a run holds its job; a stopped run lets it go; a live
 * upload is never dropped), Idempotency-Key on the streamed upload, and undo taking out the
 * follow-ups an import added to existing customers — seen by an open y-websocket client.
 * The same file runs on PGlite and, with TEST_DATABASE_URL, on PostgreSQL; two nodes on one
 * PostgreSQL are in customers-import-nodes.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportDto } from '../../schema/wire/customer-import.ts';
import { CUSTOMER_ROOTS, customerDocName } from '../../schema/wire/docs.ts';
import { IDEMPOTENT_REPLAYED_HEADER } from '../../schema/wire/idempotency.ts';
import { addImportProgress, ImportClaimLost, insertImport, readyImport } from '../../server/customers/customer-import.repository.ts';
import { followupIdOf } from '../../server/customers/customer-import-writer.ts';
import { newImportClaim } from '../../server/customers/import-claim.ts';
import { resumeImports, runImportJob } from '../../server/customers/import-job.ts';
import { storeImportFile } from '../../server/customers/import-source.ts';
import type { User } from '../../server/users/user.ts';
import { login, ORIGIN, seedTeam, seedUser } from '../helpers/context.ts';
import { api, errorOf, json } from '../helpers/customers.ts';
import { connect, followupIds, type HubServer, newFollowup, startHubServer, storedDoc, until } from '../realtime/realtime-helpers.ts';

/** Setup signs users in (argon2id), slow on a busy machine. */
const SETUP_TIMEOUT_MS = 180_000;

let s: HubServer;
let teamA: string;
let managerUser: User;
let managerCookie: string;
let manager: ReturnType<typeof api>;
let otherCookie: string;

beforeAll(async () => {
  s = await startHubServer();
  teamA = (await seedTeam(s.ctx, 'Alpha')).id;
  managerUser = await seedUser(s.ctx, { role: 'manager', teamId: teamA });
  managerCookie = await login(s.t.app, managerUser.email);
  manager = api(s.t, managerCookie);
  otherCookie = await login(s.t.app, (await seedUser(s.ctx, { role: 'manager', teamId: teamA })).email);
}, SETUP_TIMEOUT_MS);
afterAll(() => s.close());

function upload(body: BodyInit, opts: { query?: string; key?: string; type?: string; cookie?: string } = {}) {
  const headers: Record<string, string> = { cookie: opts.cookie ?? managerCookie, origin: ORIGIN, 'content-type': opts.type ?? 'text/csv' };
  if (opts.key !== undefined) headers['idempotency-key'] = opts.key;
  return s.t.app.request(`/api/customers/import${opts.query ?? ''}`, { method: 'POST', headers, body });
}

const jobsNamed = async (fileName: string) =>
  (await s.ctx.db.selectFrom('customer_imports').select(['id', 'status']).where('file_name', '=', fileName).execute()).length;
const customersNamed = async (prefix: string) =>
  Number(
    (
      await s.ctx.db
        .selectFrom('customers')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('team_id', '=', teamA)
        .where('name', 'like', `${prefix}%`)
        .executeTakeFirstOrThrow()
    ).n,
  );

/** A ready job of `rows` customers, as startImport leaves it (without running it). */
async function readyJob(prefix: string, rows: number, claim?: ReturnType<typeof newImportClaim>) {
  const lines = ['name,phone'];
  for (let i = 0; i < rows; i++) lines.push(`${prefix} ${i},1390000${String(i).padStart(4, '0')}`);
  const job = await insertImport(s.ctx.db, {
    teamId: teamA,
    createdBy: managerUser.id,
    fileName: `${prefix}.csv`,
    target: 'customers',
    options: { target: 'customers', encoding: 'utf-8', confirm: true },
    ...(claim ? { claim } : {}),
  });
  await storeImportFile(s.ctx.db, job.id, [new TextEncoder().encode(lines.join('\n'))]);
  await readyImport(s.ctx.db, job.id, { fileKind: 'csv', total: rows });
  return job.id;
}

/** A ready job of `lines` (after a `name,industry` header), matching existing customers by name. */
async function readyUpdateJob(fileName: string, lines: string[]) {
  const job = await insertImport(s.ctx.db, {
    teamId: teamA,
    createdBy: managerUser.id,
    fileName,
    target: 'customers',
    options: { target: 'customers', encoding: 'utf-8', confirm: true, matchBy: 'name' },
  });
  await storeImportFile(s.ctx.db, job.id, [new TextEncoder().encode(['name,industry', ...lines].join('\n'))]);
  await readyImport(s.ctx.db, job.id, { fileKind: 'csv', total: lines.length });
  return job.id;
}

const jobRow = (id: string) => s.ctx.db.selectFrom('customer_imports').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

describe('claims on one node', () => {
  it('a finished import lets its claim go; a run stopped between batches lets it go at once, and resuming continues it', async () => {
    const { import: imp } = await json<{ import: ImportDto }>(await upload('name\nClaim One\nClaim Two\n', { query: '?fileName=claims-small.csv' }), 201);
    expect(await jobRow(imp.id!)).toMatchObject({ status: 'done', claimed_by: null, claimed_until: null });

    const id = await readyJob('Stopped run', 1500);
    expect(await runImportJob(s.ctx, id, { maxBatches: 1 })).toBe('stopped');
    expect(await jobRow(id)).toMatchObject({ status: 'running', processed: 1000, last_line: 1001, claimed_by: null });
    await resumeImports(s.ctx);
    expect(await jobRow(id)).toMatchObject({ status: 'done', processed: 1500, imported: 1500, claimed_by: null });
    expect(await customersNamed('Stopped run ')).toBe(1500);
  });

  it('a progress poll (?report=none) answers the counts without the report; the job itself answers both; another value is a 400', async () => {
    const id = await readyJob('Polled job', 1500);
    expect(await runImportJob(s.ctx, id, { maxBatches: 1 })).toBe('stopped');
    const counts = await json<{ import: ImportDto }>(await manager.get(`/api/imports/${id}?report=none`));
    expect(counts.import).toMatchObject({ status: 'running', processed: 1000, imported: 1000, report: [], reportTruncated: true });
    const whole = await json<{ import: ImportDto }>(await manager.get(`/api/imports/${id}`));
    expect(whole.import.report).toHaveLength(1000);
    expect(whole.import).toMatchObject({ processed: 1000, reportTruncated: false });
    expect(await errorOf(await manager.get(`/api/imports/${id}?report=all`))).toMatchObject({ status: 400, field: 'report' });
    await resumeImports(s.ctx);
    expect((await json<{ import: ImportDto }>(await manager.get(`/api/imports/${id}?report=none`))).import).toMatchObject({ status: 'done', processed: 1500 });
  });

  it('a dozen jobs updating and creating at once all end: batches holding a connection while their updates need others are few', async () => {
    const jobs = 12;
    const seed = await readyJob('Crowd', jobs * 150);
    expect(await runImportJob(s.ctx, seed)).toBe('done');
    const ids = [];
    for (let j = 0; j < jobs; j++) {
      const lines = [];
      // Each job: 150 of the seeded customers (updated through their documents) and 150 new ones, over two batches.
      for (let i = 0; i < 150; i++) lines.push(`Crowd ${j * 150 + i},Industry ${j}`);
      for (let i = 0; i < 150; i++) lines.push(`Crowd new ${j}-${i},Industry ${j}`);
      for (let i = 0; i < 400; i++) lines.push(`Crowd new ${j}-b${i},Industry ${j}`);
      ids.push(await readyUpdateJob(`crowd-${j}.csv`, lines));
    }
    expect(await Promise.all(ids.map((id) => runImportJob(s.ctx, id)))).toEqual(ids.map(() => 'done'));
    for (const id of ids) expect(await jobRow(id)).toMatchObject({ status: 'done', updated: 150, imported: 550, refused: 0 });
    const changed = await s.ctx.db.selectFrom('customers').select(['industry']).where('team_id', '=', teamA).where('name', '=', 'Crowd 1799').executeTakeFirstOrThrow();
    expect(changed.industry).toBe('Industry 11');
  }, 180_000);

  it('a job another live run holds is left alone until its lease runs out, then continued after its last committed line', async () => {
    const id = await readyJob('Held job', 1200);
    // A run "dies" after one batch, keeping its claim as a killed process would.
    expect(await runImportJob(s.ctx, id, { maxBatches: 1, keepClaim: true, leaseMs: 4000 })).toBe('stopped');
    const held = await jobRow(id);
    expect(held.claimed_by).not.toBeNull();
    expect(await runImportJob(s.ctx, id)).toBe('skipped');
    await resumeImports(s.ctx);
    expect(await jobRow(id)).toMatchObject({ status: 'running', processed: 1000, claimed_by: held.claimed_by });

    await until(async () => (await jobRow(id)).claimed_until!.getTime() < Date.now() - 200, 'the lease runs out', 50, 10_000);
    await resumeImports(s.ctx);
    expect(await jobRow(id)).toMatchObject({ status: 'done', processed: 1200, imported: 1200 });
    expect(await customersNamed('Held job ')).toBe(1200);
  });

  it("a batch of a run that lost its job is refused at its commit and writes no progress", async () => {
    const claim = newImportClaim();
    const id = await readyJob('Fenced', 3, claim);
    const stranger = newImportClaim();
    await expect(
      s.ctx.db.transaction().execute((trx) => addImportProgress(trx, id, stranger, { processed: 3, imported: 3, updated: 0, skipped: 0, refused: 0, lastLine: 4, report: [] })),
    ).rejects.toBeInstanceOf(ImportClaimLost);
    expect(await jobRow(id)).toMatchObject({ processed: 0, last_line: 0, claimed_by: claim.token });
    // The run holding it finishes it.
    expect(await runImportJob(s.ctx, id, { claim })).toBe('done');
    expect(await jobRow(id)).toMatchObject({ status: 'done', imported: 3 });
  });

  it('an upload still arriving (claimed) is not dropped by a start-up sweep; one whose request died (claim run out) is', async () => {
    const live = await insertImport(s.ctx.db, { teamId: teamA, createdBy: managerUser.id, fileName: 'live.csv', target: 'customers', options: {}, claim: newImportClaim() });
    const dead = await insertImport(s.ctx.db, { teamId: teamA, createdBy: managerUser.id, fileName: 'dead.csv', target: 'customers', options: {}, claim: newImportClaim(1) });
    await new Promise((r) => setTimeout(r, 50));
    await resumeImports(s.ctx);
    expect(await s.ctx.db.selectFrom('customer_imports').select('id').where('id', 'in', [live.id, dead.id]).execute()).toEqual([{ id: live.id }]);
  });
});

describe('Idempotency-Key on the streamed upload', () => {
  it('a repeat with the same key and file answers the first answer and starts nothing; another file with that key is a 409', async () => {
    const csv = 'name,phone\nIdem Alpha,021-5555 0001\nIdem Beta,021-5555 0002\n';
    const first = await upload(csv, { key: 'import-1', query: '?fileName=idem.csv' });
    expect(first.status).toBe(201);
    const firstBody = await first.text();
    const firstImport = (JSON.parse(firstBody) as { import: ImportDto }).import;
    expect(firstImport).toMatchObject({ status: 'done', imported: 2 });

    const again = await upload(csv, { key: 'import-1', query: '?fileName=idem.csv' });
    expect(again.status).toBe(201);
    expect(again.headers.get(IDEMPOTENT_REPLAYED_HEADER)).toBe('true');
    expect(again.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await again.text()).toBe(firstBody);
    expect(await jobsNamed('idem.csv')).toBe(1);
    expect(await customersNamed('Idem ')).toBe(2);

    const other = await upload('name\nIdem Gamma\n', { key: 'import-1', query: '?fileName=idem.csv' });
    expect(await errorOf(other)).toMatchObject({ status: 409, code: 'idempotency_conflict', field: 'Idempotency-Key' });
    // Other options with the same file are another request too.
    expect((await errorOf(await upload(csv, { key: 'import-1', query: '?fileName=idem.csv&confirm=1' }))).status).toBe(409);
    expect(await jobsNamed('idem.csv')).toBe(1);
    expect(await customersNamed('Idem ')).toBe(2);
    // Keys are per user: another user's same key is a request of its own.
    const theirs = await json<{ import: ImportDto }>(await upload('name\nIdem Delta\n', { key: 'import-1', query: '?fileName=idem.csv', cookie: otherCookie }), 201);
    expect(theirs.import.id).not.toBe(firstImport.id);
  });

  it('two identical uploads sent at once make one job and get the same answer', async () => {
    const csv = 'name\nTwin upload A\nTwin upload B\nTwin upload C\n';
    const [a, b] = await Promise.all([upload(csv, { key: 'together', query: '?fileName=together.csv' }), upload(csv, { key: 'together', query: '?fileName=together.csv' })]);
    expect([a.status, b.status]).toEqual([201, 201]);
    const [ta, tb] = [await a.text(), await b.text()];
    expect(ta).toBe(tb);
    expect([a.headers.get(IDEMPOTENT_REPLAYED_HEADER), b.headers.get(IDEMPOTENT_REPLAYED_HEADER)].sort()).toEqual([null, 'true']);
    expect(await jobsNamed('together.csv')).toBe(1);
    expect(await customersNamed('Twin upload ')).toBe(3);
  });

  it('a multipart form sent twice (new boundary each time) is one import; a refused upload releases its key; a bad key is a 400', async () => {
    const send = () => {
      const form = new FormData();
      form.set('file', new File(['name\nForm Twice Co\n'], 'form-twice.csv', { type: 'text/csv' }));
      return s.t.app.request('/api/customers/import', { method: 'POST', headers: { cookie: managerCookie, origin: ORIGIN, 'idempotency-key': 'form-1' }, body: form });
    };
    const one = await json<{ import: ImportDto }>(await send(), 201);
    const two = await send();
    expect(two.headers.get(IDEMPOTENT_REPLAYED_HEADER)).toBe('true');
    expect((await json<{ import: ImportDto }>(two, 201)).import.id).toBe(one.import.id);
    expect(await jobsNamed('form-twice.csv')).toBe(1);

    expect(await errorOf(await upload('phone\n123\n', { key: 'refused-1', query: '?fileName=refused.csv' }))).toMatchObject({ status: 400, field: 'mapping' });
    const later = await json<{ import: ImportDto }>(await upload('name\nAfter Refusal Co\n', { key: 'refused-1', query: '?fileName=refused.csv' }), 201);
    expect(later.import).toMatchObject({ status: 'done', imported: 1 });

    expect(await errorOf(await upload('name\nX\n', { key: 'é' }))).toMatchObject({ status: 400, field: 'Idempotency-Key' });
    expect(await errorOf(await upload('name\nX\n', { key: '' }))).toMatchObject({ status: 400, field: 'Idempotency-Key' });
  });
});

describe('undo and follow-ups', () => {
  it('removes exactly the follow-ups the import added to existing customers, through the live document', async () => {
    const acme = await manager.create({ name: 'Followup Acme' });
    const beta = await manager.create({ name: 'Followup Beta' });
    const docName = customerDocName(acme.id);
    // A follow-up someone wrote before the import.
    const before = newFollowup(managerUser.id, 'Called before the import');
    await s.ctx.hub.edit(docName, managerUser, (doc) => doc.getArray(CUSTOMER_ROOTS.followups).push([before]));
    // An earlier import gave Beta the follow-up that the next file repeats.
    const visit = { type: 'visit' as const, text: 'Visited the plant', at: '2026-03-02T00:00:00.000Z' };
    const csv = (rows: string[]) => `客户名称,跟进方式,跟进内容,跟进时间\n${rows.join('\n')}\n`;
    const earlier = await json<{ import: ImportDto }>(
      await upload(csv([`Followup Beta,拜访,${visit.text},2026-03-02`]), { query: '?matchBy=name&fileName=followups-1.csv' }),
      201,
    );
    expect(earlier.import).toMatchObject({ updated: 1 });

    const client = connect(s.wsBase, docName, managerCookie);
    try {
      await client.synced();
      const { import: imp } = await json<{ import: ImportDto }>(
        await upload(csv([`Followup Acme,电话,Price list sent,2026-03-05`, `Followup Beta,拜访,${visit.text},2026-03-02`]), {
          query: '?matchBy=name&fileName=followups-2.csv',
        }),
        201,
      );
      expect(imp).toMatchObject({ updated: 2 });
      const imported = followupIdOf({ type: 'call', text: 'Price list sent', at: '2026-03-05T00:00:00.000Z' });
      await until(() => followupIds(client.doc).includes(imported), 'the imported follow-up reaches the open page');
      // Someone adds a follow-up after the import, from the open page.
      const since = newFollowup(managerUser.id, 'Called after the import');
      client.doc.getArray(CUSTOMER_ROOTS.followups).push([since]);
      await until(async () => followupIds(await storedDoc(s.ctx, docName)).includes(since.get('id') as string), 'the new follow-up is stored');

      const undone = await json<{ archived: number; restored: number; followupsRemoved: number }>(await manager.post(`/api/imports/${imp.id}/undo`));
      expect(undone).toMatchObject({ archived: 0, followupsRemoved: 1 });
      const left = [before.get('id') as string, since.get('id') as string].sort();
      await until(() => !followupIds(client.doc).includes(imported), 'the open page loses the imported follow-up');
      expect(followupIds(client.doc)).toEqual(left);
      expect(followupIds(await storedDoc(s.ctx, docName))).toEqual(left);
      // Beta's follow-up came from the earlier import, not this one: it stays.
      expect(followupIds(await storedDoc(s.ctx, customerDocName(beta.id)))).toEqual([followupIdOf(visit)]);
      expect(client.refusals).toEqual([]);
    } finally {
      client.destroy();
    }
    // Undoing the earlier import removes Beta's follow-up.
    const undoneEarlier = await json<{ followupsRemoved: number }>(await manager.post(`/api/imports/${earlier.import.id}/undo`));
    expect(undoneEarlier.followupsRemoved).toBe(1);
    expect(followupIds(await storedDoc(s.ctx, customerDocName(beta.id)))).toEqual([]);
  });
});

describe('a batch planned while the one before is stored', () => {
  it('plans after that batch when their rows meet: a later row updates a customer an earlier batch created, and duplicates of earlier rows are caught', async () => {
    const lines = ['name,email,phone,industry'];
    // Batch 1: 1,000 new customers.
    for (let i = 0; i < 1000; i++) lines.push(`Pipe A ${i},a${i}@pipe.example,1380000${String(i).padStart(4, '0')},Retail`);
    // Batch 2: the e-mail of a batch-1 row (matched: an update), the phone of another (a duplicate), and new rows.
    lines.push('Pipe renamed,a5@pipe.example,,Energy');
    lines.push('Pipe phone twin,twin@pipe.example,138-0000-0007,Retail');
    for (let i = 0; i < 998; i++) lines.push(`Pipe B ${i},b${i}@pipe.example,1370000${String(i).padStart(4, '0')},Retail`);
    // Batch 3: a batch-2 name with a company suffix (the same name key: a duplicate), and new rows with keys of their own.
    lines.push('Pipe B 3 Ltd,other3@pipe.example,,Retail');
    for (let i = 0; i < 10; i++) lines.push(`Pipe C ${i},c${i}@pipe.example,1360000${String(i).padStart(4, '0')},Retail`);
    const job = await insertImport(s.ctx.db, {
      teamId: teamA,
      createdBy: managerUser.id,
      fileName: 'pipelined.csv',
      target: 'customers',
      options: { target: 'customers', encoding: 'utf-8', matchBy: 'email' },
    });
    await storeImportFile(s.ctx.db, job.id, [new TextEncoder().encode(lines.join('\n'))]);
    await readyImport(s.ctx.db, job.id, { fileKind: 'csv', total: lines.length - 1 });
    expect(await runImportJob(s.ctx, job.id)).toBe('done');

    const row = await jobRow(job.id);
    expect(row).toMatchObject({ status: 'done', processed: 2011, imported: 1000 + 998 + 10, updated: 1, skipped: 2, refused: 0 });
    const a5 = await s.ctx.db.selectFrom('customers').select(['name', 'industry']).where('team_id', '=', teamA).where('email_norm', '=', 'a5@pipe.example').execute();
    // A matched customer keeps its name; its other fields take the row's.
    expect(a5).toEqual([{ name: 'Pipe A 5', industry: 'Energy' }]);
    expect(await customersNamed('Pipe phone twin')).toBe(0);
    expect(await customersNamed('Pipe B 3 Ltd')).toBe(0);
    expect(await customersNamed('Pipe renamed')).toBe(0);
    expect(await customersNamed('Pipe ')).toBe(1000 + 998 + 10);
    const report = row.report as { line: number; status: string; reason?: string }[];
    expect(report.find((r) => r.line === 1003)).toMatchObject({ status: 'duplicate' });
    expect(report.find((r) => r.line === 2002)).toMatchObject({ status: 'duplicate' });
  }, 60_000);
});
