/**
 * The per-opportunity summary of the stage history that the conversion report
 * reads (`stages_entered`, `done_stay_*`, migration 0023): kept by triggers
 * whichever way history rows are written, backfilled by the migration, and
 * giving exactly the figures the stage history gives.
 */
import { randomUUID } from 'node:crypto';
import { type Kysely, Migrator, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PipelineDto } from '../../schema/wire/pipeline.ts';
import type { ReportFilters } from '../../schema/wire/reports.ts';
import type { Database } from '../../schema/types.ts';
import { migrations } from '../../schema/migrations/index.ts';
import { openDatabase } from '../../server/db/database.ts';
import { periodBounds } from '../../server/reports/report.ts';
import { averageDaysInStage, maxReachedByPosition } from '../../server/reports/report.repository.ts';
import { type TestContext, createTestContext, createTestDatabase, login, seedTeam, seedUser } from '../helpers/context.ts';
import { type Caller, caller, createOpportunity, insertCustomer, json, teamPipeline } from '../helpers/opportunities.ts';

type DB = Kysely<Database>;

interface Summary {
  entered: string[];
  doneStages: string[];
  doneMicros: number[];
  doneCounts: number[];
}

async function summaryOf(db: DB, id: string): Promise<Summary> {
  const { rows } = await sql<{ entered: string[]; done_stages: string[]; done_micros: number[]; done_counts: number[] }>`
    select to_json(stages_entered) as entered, to_json(done_stay_stages) as done_stages,
           to_json(done_stay_micros) as done_micros, to_json(done_stay_counts) as done_counts
    from opportunities where id = ${id}`.execute(db);
  const r = rows[0]!;
  return { entered: r.entered, doneStages: r.done_stages, doneMicros: r.done_micros, doneCounts: r.done_counts };
}

/** The summary as the stage history gives it, computed in JavaScript. */
async function summaryFromHistory(db: DB, id: string): Promise<Summary> {
  const rows = await db.selectFrom('opportunity_stage_history').selectAll().where('opportunity_id', '=', id).execute();
  const entered = [...new Set(rows.map((r) => r.to_stage_id))].sort();
  const done = new Map<string, { micros: number; n: number }>();
  for (const r of rows) {
    if (!r.left_at) continue;
    const d = done.get(r.to_stage_id) ?? { micros: 0, n: 0 };
    d.micros += (r.left_at.getTime() - r.entered_at.getTime()) * 1000;
    d.n++;
    done.set(r.to_stage_id, d);
  }
  const doneStages = [...done.keys()].sort();
  return { entered, doneStages, doneMicros: doneStages.map((s) => done.get(s)!.micros), doneCounts: doneStages.map((s) => done.get(s)!.n) };
}

/** The conversion figures as the report computed them before the summary: straight from the stage history. */
async function figuresFromHistory(db: DB, f: ReportFilters, pipelineId: string) {
  const { start, end } = periodBounds(f);
  const reached = await sql<{ maxpos: number; n: string }>`
    select t.maxpos, count(*) as n from (
      select o.id, max(s.position) as maxpos
      from opportunities o
      join opportunity_stage_history h on h.opportunity_id = o.id
      join pipeline_stages s on s.id = h.to_stage_id
      where o.pipeline_id = ${pipelineId} and s.kind <> 'lost' and o.created_at >= ${start} and o.created_at < ${end}
        and o.currency = ${f.currency} and (${f.teamId}::uuid is null or o.team_id = ${f.teamId})
      group by o.id) t
    group by t.maxpos`.execute(db);
  const days = await sql<{ to_stage_id: string; days: string }>`
    select h.to_stage_id, avg(extract(epoch from (h.left_at - h.entered_at))) / 86400 as days
    from opportunities o
    join opportunity_stage_history h on h.opportunity_id = o.id
    where o.pipeline_id = ${pipelineId} and h.left_at is not null and o.created_at >= ${start} and o.created_at < ${end}
      and o.currency = ${f.currency} and (${f.teamId}::uuid is null or o.team_id = ${f.teamId})
    group by h.to_stage_id`.execute(db);
  return {
    reached: new Map(reached.rows.map((r) => [Number(r.maxpos), Number(r.n)])),
    days: new Map(days.rows.map((r) => [r.to_stage_id, Number(r.days)])),
  };
}

describe('the stage history summary kept on opportunities', () => {
  let t: TestContext;
  let db: DB;
  let teamId: string;
  let asRep: Caller;
  let asAdmin: Caller;
  let pipeline: PipelineDto;
  let customerId: string;
  const stage = (name: string) => pipeline.stages.find((s) => s.name === name)!;
  const filters = (): ReportFilters => {
    const day = t.ctx.now().toISOString().slice(0, 10);
    return { from: day, to: day, teamId, ownerId: null, pipelineId: pipeline.id, currency: 'CNY' };
  };
  const move = async (id: string, stageName: string, extra: Record<string, unknown> = {}) =>
    json(await asRep.patch(`/api/opportunities/${id}`, { stageId: stage(stageName).id, ...extra }));
  const expectSummaryMatchesHistory = async (id: string) => {
    const s = await summaryOf(db, id);
    expect(s).toEqual(await summaryFromHistory(db, id));
    return s;
  };
  const expectFiguresMatchHistory = async () => {
    const f = filters();
    const expected = await figuresFromHistory(db, f, pipeline.id);
    expect(await maxReachedByPosition(db, f, pipeline.id)).toEqual(expected.reached);
    expect(await averageDaysInStage(db, f, pipeline.id)).toEqual(expected.days);
    return expected;
  };

  beforeAll(async () => {
    t = await createTestContext();
    db = t.ctx.db;
    teamId = (await seedTeam(t.ctx)).id;
    const rep = await seedUser(t.ctx, { role: 'rep', teamId });
    const admin = await seedUser(t.ctx, { role: 'admin' });
    asRep = caller(t.app, await login(t.app, rep.email));
    asAdmin = caller(t.app, await login(t.app, admin.email));
    pipeline = await teamPipeline(asRep);
    customerId = await insertCustomer(t.ctx, teamId);
  });
  afterAll(async () => {
    await t.close();
  });

  it('holds the first stage of a new opportunity, with no completed stay', async () => {
    const o = await createOpportunity(asRep, { customerId, name: 'New', amount: 1 });
    expect(await expectSummaryMatchesHistory(o.id)).toEqual({ entered: [stage('Initial contact').id], doneStages: [], doneMicros: [], doneCounts: [] });
  });

  it('adds each stage moved forward to, and completes the stay left', async () => {
    const o = await createOpportunity(asRep, { customerId, name: 'Forward', amount: 1 });
    await move(o.id, 'Needs confirmed');
    await move(o.id, 'Proposal');
    const s = await expectSummaryMatchesHistory(o.id);
    expect(s.entered).toEqual([stage('Initial contact').id, stage('Needs confirmed').id, stage('Proposal').id].sort());
    expect(s.doneStages).toEqual([stage('Initial contact').id, stage('Needs confirmed').id].sort());
    expect(s.doneCounts).toEqual([1, 1]);
    await expectFiguresMatchHistory();
  });

  it('keeps the furthest stage after a move back, and counts a second stay in a stage', async () => {
    const o = await createOpportunity(asRep, { customerId, name: 'Back', amount: 1 });
    await move(o.id, 'Negotiation');
    await move(o.id, 'Needs confirmed');
    await move(o.id, 'Negotiation');
    await move(o.id, 'Needs confirmed');
    const s = await expectSummaryMatchesHistory(o.id);
    expect(s.entered).toEqual([stage('Initial contact').id, stage('Needs confirmed').id, stage('Negotiation').id].sort());
    const counts = new Map(s.doneStages.map((id, i) => [id, s.doneCounts[i]]));
    expect(counts.get(stage('Negotiation').id)).toBe(2);
    expect(counts.get(stage('Needs confirmed').id)).toBe(1);
    await expectFiguresMatchHistory();
  });

  it('skipped stages are not entered, and the report still counts them as passed', async () => {
    const o = await createOpportunity(asRep, { customerId, name: 'Skip', amount: 1 });
    await move(o.id, 'Contract signed');
    const s = await expectSummaryMatchesHistory(o.id);
    expect(s.entered).toEqual([stage('Initial contact').id, stage('Contract signed').id].sort());
    const { reached } = await expectFiguresMatchHistory();
    expect(reached.get(stage('Contract signed').position)).toBeGreaterThanOrEqual(1);
  });

  it('a reopened deal keeps its won stage and counts once, at the furthest stage', async () => {
    const o = await createOpportunity(asRep, { customerId, name: 'Reopened', amount: 1 });
    const before = await maxReachedByPosition(db, filters(), pipeline.id);
    await move(o.id, 'Won');
    await move(o.id, 'Proposal');
    const s = await expectSummaryMatchesHistory(o.id);
    expect(s.entered).toEqual([stage('Initial contact').id, stage('Won').id, stage('Proposal').id].sort());
    const after = await maxReachedByPosition(db, filters(), pipeline.id);
    const won = stage('Won').position;
    expect(after.get(won) ?? 0).toBe((before.get(won) ?? 0) + 1);
    expect(after.get(0)).toBe(before.get(0)! - 1);
    expect([...after.values()].reduce((a, b) => a + b, 0)).toBe([...before.values()].reduce((a, b) => a + b, 0));
    await expectFiguresMatchHistory();
  });

  it('a deal that only entered lost stages after the first is counted at the first', async () => {
    const o = await createOpportunity(asRep, { customerId, name: 'Lost', amount: 1 });
    await move(o.id, 'Lost', { lostReason: 'price' });
    const s = await expectSummaryMatchesHistory(o.id);
    expect(s.entered).toEqual([stage('Initial contact').id, stage('Lost').id].sort());
    await expectFiguresMatchHistory();
  });

  it('reordering stages rewrites nothing, and the report follows the new positions as the history would', async () => {
    const o = await createOpportunity(asRep, { customerId, name: 'Reorder', amount: 1 });
    await move(o.id, 'Negotiation');
    const summary = await summaryOf(db, o.id);
    const before = await expectFiguresMatchHistory();
    const ids = pipeline.stages.map((s) => s.id);
    const reordered = [ids[0]!, ids[3]!, ids[2]!, ids[1]!, ...ids.slice(4)];
    pipeline = (await json<{ pipeline: PipelineDto }>(await asAdmin.post(`/api/pipelines/${pipeline.id}/stages/reorder`, { stageIds: reordered }))).pipeline;
    expect(pipeline.stages.map((s) => s.id)).toEqual(reordered);
    expect(await summaryOf(db, o.id)).toEqual(summary);
    const after = await expectFiguresMatchHistory();
    expect(after.reached).not.toEqual(before.reached);
  });

  it('follows history rows written directly: inserted with times, changed, and deleted', async () => {
    const o = await createOpportunity(asRep, { customerId, name: 'Direct', amount: 1 });
    await db.deleteFrom('opportunity_stage_history').where('opportunity_id', '=', o.id).execute();
    expect(await expectSummaryMatchesHistory(o.id)).toEqual({ entered: [], doneStages: [], doneMicros: [], doneCounts: [] });
    const d = (s: string) => new Date(`${s}Z`);
    const s0 = stage('Initial contact').id;
    const s1 = stage('Needs confirmed').id;
    await db
      .insertInto('opportunity_stage_history')
      .values([
        { opportunity_id: o.id, pipeline_id: pipeline.id, from_stage_id: null, to_stage_id: s0, entered_at: d('2026-03-01T00:00:00'), left_at: d('2026-03-03T12:00:00.000'), moved_by: null },
        { opportunity_id: o.id, pipeline_id: pipeline.id, from_stage_id: s0, to_stage_id: s1, entered_at: d('2026-03-03T12:00:00'), left_at: d('2026-03-04T00:00:00.250'), moved_by: null },
        { opportunity_id: o.id, pipeline_id: pipeline.id, from_stage_id: s1, to_stage_id: s0, entered_at: d('2026-03-04T00:00:00.250'), left_at: d('2026-03-05T00:00:00'), moved_by: null },
      ])
      .execute();
    let s = await expectSummaryMatchesHistory(o.id);
    const micros = new Map(s.doneStages.map((id, i) => [id, [s.doneMicros[i], s.doneCounts[i]]]));
    expect(micros.get(s0)).toEqual([(2.5 * 86400 + 86400 - 0.25) * 1e6, 2]);
    expect(micros.get(s1)).toEqual([(0.5 * 86400 + 0.25) * 1e6, 1]);
    // As demo seeding does: the first stay rewritten to another stage.
    await db.updateTable('opportunity_stage_history').set({ to_stage_id: stage('Proposal').id }).where('opportunity_id', '=', o.id).where('from_stage_id', 'is', null).execute();
    s = await expectSummaryMatchesHistory(o.id);
    expect(s.entered).toEqual([s0, s1, stage('Proposal').id].sort());
    await db.deleteFrom('opportunity_stage_history').where('opportunity_id', '=', o.id).where('to_stage_id', '=', s1).execute();
    s = await expectSummaryMatchesHistory(o.id);
    expect(s.entered).toEqual([s0, stage('Proposal').id].sort());
    await expectFiguresMatchHistory();
  });
});

describe('migration 0023', () => {
  it('backfills the summary from the stage history already stored', async () => {
    const database = await createTestDatabase();
    const handle = await openDatabase(database.url, '');
    try {
      const migrator = (names: string[]) =>
        new Migrator({
          db: handle.db,
          provider: { getMigrations: async () => Object.fromEntries(names.map((n) => [n, migrations[n]!])) },
          allowUnorderedMigrations: true,
        });
      const names = Object.keys(migrations);
      const before = names.slice(0, names.indexOf('0023_opportunity_stages_entered'));
      const first = await migrator(before).migrateToLatest();
      expect(first.error).toBeUndefined();
      const db = handle.db;
      const team = await db.insertInto('teams').values({ name: 'Backfill' }).returning('id').executeTakeFirstOrThrow();
      const customer = await db.insertInto('customers').values({ team_id: team.id, name: 'Backfill customer' }).returning('id').executeTakeFirstOrThrow();
      const p = await db.insertInto('pipelines').values({ name: 'Backfill' }).returning('id').executeTakeFirstOrThrow();
      const stages = await db
        .insertInto('pipeline_stages')
        .values([0, 1, 2].map((position) => ({ pipeline_id: p.id, name: `S${position}`, probability: 10, position })))
        .returning(['id', 'position'])
        .execute();
      const [s0, , s2] = stages.sort((a, b) => a.position - b.position).map((s) => s.id) as [string, string, string];
      const opportunity = (id: string) => ({ id, team_id: team.id, pipeline_id: p.id, customer_id: customer.id, name: id, amount: 1, stage_id: s0, owner_id: null, rank: 'a0', expected_close_date: null, lost_reason: null, closed_at: null, created_by: null });
      const withHistory = randomUUID();
      const without = randomUUID();
      await db.insertInto('opportunities').values([opportunity(withHistory), opportunity(without)]).execute();
      await db
        .insertInto('opportunity_stage_history')
        .values([
          { opportunity_id: withHistory, pipeline_id: p.id, from_stage_id: null, to_stage_id: s2, entered_at: new Date('2026-01-01T00:00:00Z'), left_at: new Date('2026-01-02T00:00:00Z'), moved_by: null },
          { opportunity_id: withHistory, pipeline_id: p.id, from_stage_id: s2, to_stage_id: s0, entered_at: new Date('2026-01-02T00:00:00Z'), left_at: new Date('2026-01-05T00:00:00Z'), moved_by: null },
          { opportunity_id: withHistory, pipeline_id: p.id, from_stage_id: s0, to_stage_id: s2, entered_at: new Date('2026-01-05T00:00:00Z'), left_at: null, moved_by: null },
        ])
        .execute();

      const second = await migrator(names).migrateToLatest();
      expect(second.error).toBeUndefined();
      expect(second.results?.map((r) => [r.migrationName, r.status])).toContainEqual(['0023_opportunity_stages_entered', 'Success']);
      const s = await summaryOf(db, withHistory);
      expect(s).toEqual(await summaryFromHistory(db, withHistory));
      expect(s.entered).toEqual([s0, s2].sort());
      const done = new Map(s.doneStages.map((id, i) => [id, [s.doneMicros[i], s.doneCounts[i]]]));
      expect(done).toEqual(new Map([[s2, [86400e6, 1]], [s0, [3 * 86400e6, 1]]]));
      expect(await summaryOf(db, without)).toEqual({ entered: [], doneStages: [], doneMicros: [], doneCounts: [] });
    } finally {
      await handle.close();
      await database.drop();
    }
  });
});
