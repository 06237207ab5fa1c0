/**
 * New customers written in bulk (imports, demo data): their rows go to the database as one JSON
 * array per INSERT (customer-bulk.repository.ts) and their documents as first snapshots. What is
 * read back must be exactly what was built — awkward text, arrays, custom values, no owner — and
 * the hub must load the document and leave the row as it is on its first projection.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertInitialCustomers } from '../../server/customers/customer-bulk.repository.ts';
import { buildInitialCustomer, type InitialCustomer } from '../../server/customers/customer-initial-doc.ts';
import type { User } from '../../server/users/user.ts';
import { type TestContext, createTestContext, seedTeam, seedUser } from '../helpers/context.ts';

let t: TestContext;
let teamId: string;
let rep: User;

beforeAll(async () => {
  t = await createTestContext();
  teamId = (await seedTeam(t.ctx)).id;
  rep = await seedUser(t.ctx, { teamId, name: 'Ray Rep' });
});
afterAll(() => t.close());

describe('customers inserted in bulk', () => {
  it('read back as built, and are documents the hub loads and projects without a change', async () => {
    const now = new Date('2026-12-08T09:30:00.123Z');
    const customers: InitialCustomer[] = [
      {
        id: randomUUID(),
        teamId,
        createdBy: rep.id,
        importId: null,
        name: '  "Quoted" \\ back\\slash, 北风 {json} ',
        change: {
          fields: { email: 'Buyer@North.example', phone: '+86 (21) 5555-0101', ownerId: rep.id, needs: 'line 1\nline 2\ttab' },
          tags: ['vip', '重点', "it's"],
          custom: { region: 'north', seats: 12, paused: true, labels: ['a"b', 'c\\d'] },
        },
      },
      { id: randomUUID(), teamId, createdBy: rep.id, importId: null, name: 'No owner 无负责人', change: { fields: { ownerId: '' } } },
    ];
    const states = customers.map((c) => buildInitialCustomer(c, now));
    await t.ctx.db.transaction().execute((trx) => insertInitialCustomers(trx, states, now));

    const rows = await t.ctx.db
      .selectFrom('customers')
      .selectAll()
      .where(
        'id',
        'in',
        customers.map((c) => c.id),
      )
      .execute();
    for (const { row } of states) {
      const got = rows.find((r) => r.id === row.id)!;
      expect(got).toMatchObject({
        name: row.name,
        email: row.email,
        email_norm: row.email_norm,
        phone_digits: row.phone_digits,
        needs: row.needs,
        owner_id: row.owner_id,
        tags: row.tags,
        mention_snippets: [],
        next_followup_at: null,
        team_id: teamId,
        created_by: rep.id,
        import_id: null,
        archived_at: null,
      });
      expect(got.custom_fields).toEqual(JSON.parse(row.custom_fields as string));
      expect(got.created_at.getTime()).toBe(now.getTime());
      expect(got.updated_at.getTime()).toBe(now.getTime());
    }
    const first = rows.find((r) => r.id === customers[0]!.id)!;
    expect(first).toMatchObject({ name: '"Quoted" \\ back\\slash, 北风 {json}', owner_id: rep.id, email_norm: 'buyer@north.example', tags: ["it's", 'vip', '重点'] });
    expect(first.custom_fields).toEqual({ region: 'north', seats: 12, paused: true, labels: ['a"b', 'c\\d'] });
    expect(rows.find((r) => r.id === customers[1]!.id)!.owner_id).toBeNull();

    // The hub reads the same customer from the first snapshot; its first projection changes
    // only what the edit changed (the row built with the document agrees with the document).
    const name = `customer:${customers[0]!.id}`;
    await t.ctx.hub.edit(name, rep, (doc) => {
      expect(doc.getMap('fields').get('needs')).toBe('line 1\nline 2\ttab');
      expect(doc.getMap('custom').get('labels')).toEqual(['a"b', 'c\\d']);
      doc.getMap('fields').set('industry', 'Energy');
    });
    const after = await t.ctx.db.selectFrom('customers').selectAll().where('id', '=', customers[0]!.id).executeTakeFirstOrThrow();
    expect(after).toEqual({ ...first, industry: 'Energy' });
  });

  it('writes nothing of a batch whose insert fails', async () => {
    const now = new Date();
    const good = buildInitialCustomer({ id: randomUUID(), teamId, createdBy: rep.id, importId: null, name: 'Kept out', change: { fields: {} } }, now);
    // A customer of a team that does not exist breaks the batch's foreign key.
    const bad = buildInitialCustomer({ id: randomUUID(), teamId: randomUUID(), createdBy: rep.id, importId: null, name: 'Orphan', change: { fields: {} } }, now);
    await expect(t.ctx.db.transaction().execute((trx) => insertInitialCustomers(trx, [good, bad], now))).rejects.toThrow();
    const found = await t.ctx.db
      .selectFrom('customers')
      .select('id')
      .where('id', 'in', [good.row.id, bad.row.id])
      .execute();
    expect(found).toEqual([]);
    const snapshots = await t.ctx.db.selectFrom('doc_snapshots').select('doc_name').where('doc_name', '=', `customer:${good.row.id}`).execute();
    expect(snapshots).toEqual([]);
  });
});
