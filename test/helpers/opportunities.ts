/** Helpers for the pipeline, opportunity and board tests. */
import type * as Y from 'yjs';
import { boardDocName } from '../../schema/wire/docs.ts';
import type { OpportunityDto } from '../../schema/wire/opportunity.ts';
import type { PipelineDto } from '../../schema/wire/pipeline.ts';
import type { AppContext } from '../../server/context.ts';
import { ORIGIN, jsonRequest } from './context.ts';
import { storedDoc } from '../realtime/realtime-helpers.ts';

type Fetchable = { request: (path: string, init?: RequestInit) => Response | Promise<Response> };

export interface Caller {
  get(path: string): Promise<Response>;
  post(path: string, body?: unknown): Promise<Response>;
  patch(path: string, body: unknown): Promise<Response>;
  del(path: string): Promise<Response>;
}

export function caller(app: Fetchable, cookie: string): Caller {
  return {
    get: async (path) => app.request(path, { headers: { cookie, origin: ORIGIN } }),
    post: async (path, body) => app.request(path, jsonRequest('POST', body ?? {}, cookie)),
    patch: async (path, body) => app.request(path, jsonRequest('PATCH', body, cookie)),
    del: async (path) => app.request(path, { method: 'DELETE', headers: { cookie, origin: ORIGIN } }),
  };
}

export async function json<T>(res: Response, status = 200): Promise<T> {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

export async function errorOf(res: Response): Promise<{ status: number; code: string; field?: string; message: string }> {
  const body = (await res.json()) as { error: { code: string; message: string; field?: string } };
  return { status: res.status, ...body.error };
}

/** A customers row of a team (customers REST belongs elsewhere; tests insert rows). */
export async function insertCustomer(ctx: AppContext, teamId: string, name = 'Acme 华为'): Promise<string> {
  const row = await ctx.db.insertInto('customers').values({ team_id: teamId, name }).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

/** The team's (default) pipeline, created on first use. */
export async function teamPipeline(c: Caller): Promise<PipelineDto> {
  const { items } = await json<{ items: PipelineDto[] }>(await c.get('/api/pipelines'));
  if (!items[0]) throw new Error('no pipeline');
  return items[0];
}

export async function createOpportunity(c: Caller, body: Record<string, unknown>): Promise<OpportunityDto> {
  return (await json<{ opportunity: OpportunityDto }>(await c.post('/api/opportunities', body), 201)).opportunity;
}

/** A board document as stored (snapshot + log), rebuilt from the database. */
export function storedBoard(ctx: AppContext, pipelineId: string): Promise<Y.Doc> {
  return storedDoc(ctx, boardDocName(pipelineId));
}

export interface CardValues {
  name: string;
  amount: number;
  customerId: string;
  ownerId: string | null;
  stageId: string;
  rank: string;
}

/** The cards of a board document, as plain values by id. */
export function cardsOf(doc: Y.Doc): Map<string, CardValues & Record<string, unknown>> {
  const out = new Map<string, CardValues & Record<string, unknown>>();
  for (const [id, m] of doc.getMap<Y.Map<unknown>>('cards')) out.set(id, m.toJSON() as CardValues & Record<string, unknown>);
  return out;
}

/** Asserts (by throwing) that the opportunities rows of a pipeline equal the board's cards. */
export async function expectProjectionMatches(ctx: AppContext, pipelineId: string): Promise<number> {
  const doc = await storedBoard(ctx, pipelineId);
  const cards = cardsOf(doc);
  const rows = await ctx.db.selectFrom('opportunities').selectAll().where('pipeline_id', '=', pipelineId).execute();
  if (rows.length !== cards.size) throw new Error(`rows ${rows.length} != cards ${cards.size}`);
  for (const r of rows) {
    const c = cards.get(r.id);
    if (!c) throw new Error(`row ${r.id} has no card`);
    const same =
      c.name === r.name &&
      Math.round(c.amount * 100) === Math.round(Number(r.amount) * 100) &&
      c.customerId === r.customer_id &&
      (c.ownerId ?? null) === r.owner_id &&
      c.stageId === r.stage_id &&
      c.rank === r.rank &&
      ((c.lostReason as string | undefined) ?? null) === r.lost_reason;
    if (!same) throw new Error(`row ${r.id} differs from its card: ${JSON.stringify({ card: c, row: r })}`);
  }
  doc.destroy();
  return rows.length;
}
