/**
 * The activity report's weeks (binned from a Monday, 00:00 UTC) are the UTC
 * ISO weeks `date_trunc('week', at at time zone 'UTC')` gives, at the edges of
 * weeks and years, before the binning origin and under another session time
 * zone.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportFilters } from '../../schema/wire/reports.ts';
import { activityByWeek } from '../../server/reports/report.repository.ts';
import { type TestContext, createTestContext, seedTeam, seedUser } from '../helpers/context.ts';
import { insertCustomer } from '../helpers/opportunities.ts';

const INSTANTS = [
  '1999-12-31T23:59:59.999999Z',
  '2000-01-03T00:00:00Z',
  '2000-12-31T23:00:00Z',
  '2026-03-08T23:59:59.999999Z',
  '2026-03-09T00:00:00Z',
  '2026-03-09T00:00:00.000001Z',
  '2026-12-31T12:00:00Z',
  '2027-01-03T23:59:59Z',
  '2027-01-04T00:00:00Z',
];

describe('activity weeks', () => {
  let t: TestContext;
  let teamId: string;
  let authorId: string;

  beforeAll(async () => {
    t = await createTestContext();
    teamId = (await seedTeam(t.ctx)).id;
    authorId = (await seedUser(t.ctx, { role: 'rep', teamId, name: 'Week rep' })).id;
    const customerId = await insertCustomer(t.ctx, teamId);
    // Times with microseconds, written as text so that no JavaScript Date rounds them.
    for (const at of INSTANTS) {
      await sql`insert into activities (team_id, customer_id, source_id, author_id, type, at)
                values (${teamId}, ${customerId}, ${randomUUID()}, ${authorId}, 'call', ${at}::timestamptz)`.execute(t.ctx.db);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  const expected = async () => {
    const { rows } = await sql<{ week: string; n: string }>`
      select to_char(date_trunc('week', at at time zone 'UTC'), 'YYYY-MM-DD') as week, count(*) as n
      from activities where team_id = ${teamId} group by 1 order by 1`.execute(t.ctx.db);
    return rows.map((r) => ({ week: r.week, count: Number(r.n) }));
  };
  const f: ReportFilters = { from: '1999-01-01', to: '2027-12-31', teamId: '', ownerId: null, pipelineId: null, currency: 'CNY' };

  it('match the UTC ISO week of each instant', async () => {
    const cells = await activityByWeek(t.ctx.db, { ...f, teamId });
    expect(cells.map((c) => ({ week: c.week, count: c.count }))).toEqual(await expected());
    expect(cells.map((c) => c.week)).toEqual(['1999-12-27', '2000-01-03', '2000-12-25', '2026-03-02', '2026-03-09', '2026-12-28', '2027-01-04']);
    expect(cells.map((c) => c.count)).toEqual([1, 1, 1, 1, 2, 2, 1]);
  });

  it('do not depend on the session time zone', async () => {
    await t.ctx.db.transaction().execute(async (trx) => {
      await sql`set local time zone 'Asia/Shanghai'`.execute(trx);
      const cells = await activityByWeek(trx, { ...f, teamId });
      expect(cells.map((c) => c.week)).toEqual(['1999-12-27', '2000-01-03', '2000-12-25', '2026-03-02', '2026-03-09', '2026-12-28', '2027-01-04']);
    });
  });
});
