import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Y from 'yjs';
import type { PipelineChangesDto, PipelineDto } from '../../schema/wire/pipeline.ts';
import type { User } from '../../server/users/user.ts';
import { type TestContext, createTestContext, login, seedTeam, seedUser } from '../helpers/context.ts';
import {
  type Caller,
  caller,
  createOpportunity,
  errorOf,
  expectProjectionMatches,
  insertCustomer,
  json,
  storedBoard,
  teamPipeline,
} from '../helpers/opportunities.ts';

let t: TestContext;
let teamA: string;
let teamB: string;
let admin: Caller;
let repA: Caller;
let managerA: Caller;
let repB: Caller;
let repAUser: User;

beforeAll(async () => {
  t = await createTestContext();
  teamA = (await seedTeam(t.ctx, 'Team A')).id;
  teamB = (await seedTeam(t.ctx, 'Team B')).id;
  const adminUser = await seedUser(t.ctx, { role: 'admin' });
  repAUser = await seedUser(t.ctx, { role: 'rep', teamId: teamA });
  const managerAUser = await seedUser(t.ctx, { role: 'manager', teamId: teamA });
  const repBUser = await seedUser(t.ctx, { role: 'rep', teamId: teamB });
  admin = caller(t.app, await login(t.app, adminUser.email));
  repA = caller(t.app, await login(t.app, repAUser.email));
  managerA = caller(t.app, await login(t.app, managerAUser.email));
  repB = caller(t.app, await login(t.app, repBUser.email));
});
afterAll(async () => {
  await t.close();
});

describe('the default pipeline', () => {
  it('is created on a team’s first use with the seven stages in both languages', async () => {
    const p = await teamPipeline(repA);
    expect(p.isDefault).toBe(true);
    expect(p.teamIds).toEqual([teamA]);
    expect(p.stages.map((s) => [s.name, s.nameZh, s.probability, s.kind, s.position])).toEqual([
      ['Initial contact', '初步接触', 10, 'open', 0],
      ['Needs confirmed', '需求确认', 25, 'open', 1],
      ['Proposal', '方案制定', 50, 'open', 2],
      ['Negotiation', '商务谈判', 75, 'open', 3],
      ['Contract signed', '合同签订', 90, 'open', 4],
      ['Won', '赢单', 100, 'won', 5],
      ['Lost', '输单', 0, 'lost', 6],
    ]);
  });

  it('is created once, even when a team asks twice at the same time', async () => {
    const [a, b] = await Promise.all([teamPipeline(repB), teamPipeline(repB)]);
    expect(a.id).toBe(b.id);
    const { items } = await json<{ items: PipelineDto[] }>(await repB.get('/api/pipelines'));
    expect(items).toHaveLength(1);
  });

  it('is mirrored into the board document’s stages map', async () => {
    const p = await teamPipeline(repA);
    const doc = await storedBoard(t.ctx, p.id);
    const stages = doc.getMap<Y.Map<unknown>>('stages');
    expect(stages.size).toBe(7);
    for (const s of p.stages) {
      expect(stages.get(s.id)?.toJSON()).toEqual({ name: s.name, nameZh: s.nameZh, probability: s.probability, kind: s.kind, position: s.position });
    }
  });
});

describe('who sees which pipeline', () => {
  it('teams see only their pipelines; admins see all', async () => {
    const a = await teamPipeline(repA);
    const b = await teamPipeline(repB);
    const { items } = await json<{ items: PipelineDto[] }>(await admin.get('/api/pipelines'));
    expect(items.map((p) => p.id)).toEqual(expect.arrayContaining([a.id, b.id]));
    expect((await repB.get(`/api/pipelines/${a.id}`)).status).toBe(404);
    expect((await repB.get(`/api/pipelines/${a.id}/changes?since=2020-01-01T00:00:00Z`)).status).toBe(404);
    expect((await repA.get(`/api/pipelines/${a.id}`)).status).toBe(200);
    expect((await repA.get('/api/pipelines/not-a-uuid')).status).toBe(400);
  });

  it('only admins configure pipelines', async () => {
    const a = await teamPipeline(repA);
    expect((await managerA.post('/api/pipelines', { name: 'Mine' })).status).toBe(403);
    expect((await repA.patch(`/api/pipelines/${a.id}`, { name: 'Renamed' })).status).toBe(403);
    expect((await managerA.post(`/api/pipelines/${a.id}/stages`, { name: 'Extra', probability: 5 })).status).toBe(403);
    expect((await repA.patch(`/api/pipelines/${a.id}/stages/${a.stages[0]!.id}`, { name: 'X' })).status).toBe(403);
    expect((await repA.del(`/api/pipelines/${a.id}/stages/${a.stages[0]!.id}`)).status).toBe(403);
    expect((await repA.get(`/api/pipelines/${a.id}`)).status).toBe(200);
    expect((await teamPipeline(repA)).name).toBe(a.name);
  });
});

describe('pipeline administration', () => {
  it('creates a pipeline with its stages and teams', async () => {
    const res = await admin.post('/api/pipelines', {
      name: 'Renewals',
      nameZh: '续约',
      teamIds: [teamA],
      stages: [
        { name: 'Due', probability: 40 },
        { name: 'Renewed', kind: 'won' },
        { name: 'Churned', kind: 'lost' },
      ],
    });
    const { pipeline } = await json<{ pipeline: PipelineDto }>(res, 201);
    expect(pipeline.stages.map((s) => [s.name, s.probability, s.kind, s.position])).toEqual([
      ['Due', 40, 'open', 0],
      ['Renewed', 100, 'won', 1],
      ['Churned', 0, 'lost', 2],
    ]);
    const { items } = await json<{ items: PipelineDto[] }>(await repA.get('/api/pipelines'));
    expect(items.map((p) => p.name)).toContain('Renewals');
    const { items: bItems } = await json<{ items: PipelineDto[] }>(await repB.get('/api/pipelines'));
    expect(bItems.map((p) => p.name)).not.toContain('Renewals');
  });

  it('refuses bad input with the field named, changing nothing', async () => {
    const before = (await json<{ items: PipelineDto[] }>(await admin.get('/api/pipelines'))).items.length;
    const cases: Array<[unknown, string]> = [
      [{ name: '' }, 'name'],
      [{ name: 'P', stages: [{ name: 'S', probability: 101 }] }, 'stages.0.probability'],
      [{ name: 'P', stages: [{ name: 'S', probability: -1 }] }, 'stages.0.probability'],
      [{ name: 'P', stages: [{ name: 'S', probability: 10, kind: 'maybe' }] }, 'stages.0.kind'],
      [{ name: 'P', stages: [{ name: 'W', kind: 'won' }] }, 'stages'],
      [{ name: 'P', teamIds: ['00000000-0000-4000-8000-000000000000'] }, 'teamIds'],
      [{ name: 'P', extra: 1 }, ''],
    ];
    for (const [body, field] of cases) {
      const err = await errorOf(await admin.post('/api/pipelines', body));
      expect(err.status).toBe(400);
      if (field) expect(err.field).toBe(field);
    }
    expect((await json<{ items: PipelineDto[] }>(await admin.get('/api/pipelines'))).items.length).toBe(before);
  });

  it('renames, adds, reorders stages and mirrors each change into the board document', async () => {
    const { pipeline: p } = await json<{ pipeline: PipelineDto }>(
      await admin.post('/api/pipelines', { name: 'Board mirror', teamIds: [teamA] }),
      201,
    );
    const first = p.stages[0]!;
    let r = await json<{ pipeline: PipelineDto }>(await admin.patch(`/api/pipelines/${p.id}/stages/${first.id}`, { name: 'First touch', probability: 15 }));
    expect(r.pipeline.stages[0]).toMatchObject({ id: first.id, name: 'First touch', probability: 15 });

    r = await json<{ pipeline: PipelineDto }>(await admin.post(`/api/pipelines/${p.id}/stages`, { name: 'Qualified', nameZh: '已筛选', probability: 20, position: 1 }), 201);
    expect(r.pipeline.stages.map((s) => s.name).slice(0, 3)).toEqual(['First touch', 'Qualified', 'Needs confirmed']);

    const reversed = [...r.pipeline.stages].reverse().map((s) => s.id);
    r = await json<{ pipeline: PipelineDto }>(await admin.post(`/api/pipelines/${p.id}/stages/reorder`, { stageIds: reversed }));
    expect(r.pipeline.stages.map((s) => s.id)).toEqual(reversed);

    const doc = await storedBoard(t.ctx, p.id);
    const stages = doc.getMap<Y.Map<unknown>>('stages');
    expect(stages.size).toBe(8);
    for (const s of r.pipeline.stages) expect(stages.get(s.id)?.toJSON()).toMatchObject({ name: s.name, position: s.position, probability: s.probability });
  });

  it('refuses a reorder that does not list every stage once', async () => {
    const p = await teamPipeline(repA);
    const ids = p.stages.map((s) => s.id);
    for (const stageIds of [ids.slice(1), [...ids, ids[0]], [...ids.slice(1), '00000000-0000-4000-8000-000000000000']]) {
      const err = await errorOf(await admin.post(`/api/pipelines/${p.id}/stages/reorder`, { stageIds }));
      expect(err).toMatchObject({ status: 400, field: 'stageIds' });
    }
    expect((await teamPipeline(repA)).stages.map((s) => s.id)).toEqual(ids);
  });

  it('deletes a stage: refused while it holds opportunities, unless they are moved', async () => {
    const { pipeline: p } = await json<{ pipeline: PipelineDto }>(await admin.post('/api/pipelines', { name: 'Deletions', teamIds: [teamA] }), 201);
    const customerId = await insertCustomer(t.ctx, teamA);
    const [s0, s1] = p.stages;
    const o = await createOpportunity(repA, { customerId, name: 'Server racks', amount: 1200, stageId: s0!.id });

    const refused = await errorOf(await admin.del(`/api/pipelines/${p.id}/stages/${s0!.id}`));
    expect(refused).toMatchObject({ status: 409, field: 'moveTo' });
    expect((await json<{ pipeline: PipelineDto }>(await admin.get(`/api/pipelines/${p.id}`))).pipeline.stages[0]!.id).toBe(s0!.id);

    const badMove = await errorOf(await admin.del(`/api/pipelines/${p.id}/stages/${s0!.id}?moveTo=${s0!.id}`));
    expect(badMove).toMatchObject({ status: 400, field: 'moveTo' });

    const { pipeline } = await json<{ pipeline: PipelineDto }>(await admin.del(`/api/pipelines/${p.id}/stages/${s0!.id}?moveTo=${s1!.id}`));
    expect(pipeline.stages.map((s) => s.id)).not.toContain(s0!.id);
    expect(pipeline.stages[0]).toMatchObject({ id: s1!.id, position: 0 });
    const moved = await json<{ opportunity: { stageId: string }; stageHistory: Array<{ fromStageId: string | null; toStageId: string }> }>(
      await repA.get(`/api/opportunities/${o.id}`),
    );
    expect(moved.opportunity.stageId).toBe(s1!.id);
    expect(moved.stageHistory.map((h) => [h.fromStageId, h.toStageId])).toEqual([
      [null, s0!.id],
      [s0!.id, s1!.id],
    ]);
    const doc = await storedBoard(t.ctx, p.id);
    expect(doc.getMap('stages').has(s0!.id)).toBe(false);
    await expectProjectionMatches(t.ctx, p.id);

    // A deleted stage is refused cleanly afterwards.
    const err = await errorOf(await repA.patch(`/api/opportunities/${o.id}`, { stageId: s0!.id }));
    expect(err).toMatchObject({ status: 400, field: 'stageId' });
  });

  it('refuses to delete the last open stage', async () => {
    const { pipeline: p } = await json<{ pipeline: PipelineDto }>(
      await admin.post('/api/pipelines', { name: 'Tiny', stages: [{ name: 'Only', probability: 50 }, { name: 'Won', kind: 'won' }] }),
      201,
    );
    const err = await errorOf(await admin.del(`/api/pipelines/${p.id}/stages/${p.stages[0]!.id}`));
    expect(err).toMatchObject({ status: 400, field: 'stages' });
  });
});

describe('changed since the last meeting', () => {
  it('lists new deals, moves and amount changes after a moment, for the team only', async () => {
    const p = await teamPipeline(repA);
    const customerId = await insertCustomer(t.ctx, teamA);
    const o = await createOpportunity(repA, { customerId, name: 'Old deal', amount: 100 });
    await new Promise((r) => setTimeout(r, 5));
    const since = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 5));
    const fresh = await createOpportunity(repA, { customerId, name: 'New deal', amount: 500 });
    await json(await repA.patch(`/api/opportunities/${o.id}`, { stageId: p.stages[2]!.id }));
    await json(await repA.patch(`/api/opportunities/${o.id}`, { amount: 150 }));

    const changes = await json<PipelineChangesDto>(await managerA.get(`/api/pipelines/${p.id}/changes?since=${encodeURIComponent(since)}`));
    const summary = changes.items.map((i) => [i.type, i.opportunityId]);
    expect(summary).toEqual(
      expect.arrayContaining([
        ['created', fresh.id],
        ['moved', o.id],
        ['amount', o.id],
      ]),
    );
    expect(summary.some(([type, id]) => type === 'created' && id === o.id)).toBe(false);
    const amount = changes.items.find((i) => i.type === 'amount');
    expect(amount).toMatchObject({ oldAmount: 100, newAmount: 150 });
    expect(changes.opportunityIds.sort()).toEqual([o.id, fresh.id].sort());

    expect((await errorOf(await managerA.get(`/api/pipelines/${p.id}/changes?since=yesterday`))).field).toBe('since');
    expect(repAUser.teamId).toBe(teamA);
  });
});

describe('pipeline meetings', () => {
  it('managers record a meeting start and get the previous one; reps may not; other teams see nothing', async () => {
    const p = await teamPipeline(repA);
    expect((await repA.post(`/api/pipelines/${p.id}/meetings`)).status).toBe(403);
    expect((await repB.post(`/api/pipelines/${p.id}/meetings`)).status).toBe(404);
    const first = await json<{ meeting: { id: string; startedAt: string; pipelineId: string }; previous: unknown }>(await managerA.post(`/api/pipelines/${p.id}/meetings`), 201);
    expect(first.meeting.pipelineId).toBe(p.id);
    expect(first.previous).toBeNull();
    const second = await json<{ meeting: { id: string }; previous: { id: string; startedAt: string } }>(await managerA.post(`/api/pipelines/${p.id}/meetings`), 201);
    expect(second.previous).toMatchObject({ id: first.meeting.id, startedAt: first.meeting.startedAt });
    const { items } = await json<{ items: Array<{ id: string }> }>(await repA.get(`/api/pipelines/${p.id}/meetings`));
    expect(items.map((m) => m.id)).toEqual([second.meeting.id, first.meeting.id]);
    expect((await repB.get(`/api/pipelines/${p.id}/meetings`)).status).toBe(404);
    const changes = await json<{ since: string }>(await managerA.get(`/api/pipelines/${p.id}/changes?since=${encodeURIComponent(second.previous.startedAt)}`));
    expect(changes.since).toBe(second.previous.startedAt);
  });
});
