/**
 * Demo opportunities: deals in every stage of the team's pipeline, with
 * realistic amounts, close dates spread around today, lost reasons, quotes
 * for deals past the proposal stage and contracts for won ones. The cards
 * are written through the board document like any other change; only the
 * creation and stage-entry times are then spread over the past months so
 * that reports and "changed since" have history to show. Deterministic for
 * a given seed; a team that already has opportunities is left alone.
 */
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { boardDocName } from '../../schema/wire/docs.ts';
import type { Locale } from '../../schema/wire/user.ts';
import type { AppContext } from '../context.ts';
import { createContract } from '../contracts/contract.service.ts';
import { prng } from '../demo/prng.ts';
import { listPipelines } from '../pipelines/pipeline.repository.ts';
import { ensureTeamPipeline } from '../pipelines/pipeline.service.ts';
import type { User } from '../users/user.ts';
import { createOrder } from './order.service.ts';
import { createQuote, updateQuote } from './quote.service.ts';
import { rankAtEnd } from './rank.ts';

export const DEMO_OPPORTUNITIES_DEFAULT = 80;
const DAY_MS = 86_400_000;
/** Share of deals per stage position (earlier stages hold more deals); won and lost get the rest. */
const OPEN_STAGE_WEIGHTS = [0.24, 0.18, 0.15, 0.11, 0.07];
const WON_SHARE = 0.15;

const PRODUCTS = [
  'ERP 系统升级',
  'CRM 年度订阅',
  '数据中心扩容',
  '云迁移服务',
  '安全审计',
  'Fleet telematics rollout',
  'Warehouse scanners',
  'Analytics platform licence',
  'Support renewal',
  '智能工厂试点',
  'Office network refresh',
  '培训服务包',
];
const LOST_REASONS = ['价格太高 Price too high', '选择了竞争对手 Chose a competitor', 'Budget frozen', '项目延期 Project postponed', 'No decision maker buy-in'];

/** The words of a workspace in one language (`locale`); the mixed lists above when unset. */
const WORDS: Record<Locale, { products: string[]; lostReasons: string[]; quote: string; services: string }> = {
  'zh-CN': {
    products: ['ERP 系统升级', 'CRM 年度订阅', '数据中心扩容', '云迁移服务', '安全审计', '智能工厂试点', '仓储扫码设备', '培训服务包', '年度维保续约', '办公网络改造'],
    lostReasons: ['价格太高', '选择了竞争对手', '预算冻结', '项目延期', '决策人不认可', '需求变更'],
    quote: '报价',
    services: '实施与培训',
  },
  en: {
    products: ['Fleet telematics rollout', 'Warehouse scanners', 'Analytics platform licence', 'Support renewal', 'Office network refresh', 'Cloud migration', 'Security audit', 'CRM annual subscription'],
    lostReasons: ['Price too high', 'Chose a competitor', 'Budget frozen', 'Project postponed', 'No decision maker buy-in'],
    quote: 'Quote',
    services: 'Implementation and training',
  },
};

export interface DemoOpportunityOptions {
  teamId: string;
  /** The team's users: managers create, reps (or anyone when there are none) own. */
  users: User[];
  /** The team's customer ids. */
  customers: string[];
  count?: number;
  seed?: number;
  /** The workspace's language for deal names, lost reasons and quotes; mixed when unset. */
  locale?: Locale;
}

const isoDay = (d: Date) => d.toISOString().slice(0, 10);

/** Runs `work` again (three times at most) when PostgreSQL chose it as a deadlock's victim (40P01). */
async function retryOnDeadlock<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (e) {
      if ((e as { code?: string }).code !== '40P01' || attempt >= 3) throw e;
    }
  }
}

/** Creates demo opportunities for a team; returns their ids (none when the team already has some). */
export async function seedDemoOpportunities(ctx: AppContext, opts: DemoOpportunityOptions): Promise<string[]> {
  const users = opts.users.filter((u) => u.teamId === opts.teamId && u.active);
  if (users.length === 0 || opts.customers.length === 0) return [];
  const existing = await ctx.db.selectFrom('opportunities').select('id').where('team_id', '=', opts.teamId).limit(1).executeTakeFirst();
  if (existing) return [];
  const actor = users.find((u) => u.role === 'manager') ?? users[0]!;
  const owners = users.filter((u) => u.role === 'rep');
  await ensureTeamPipeline(ctx, opts.teamId, actor);
  const pipeline = (await listPipelines(ctx.db, { teamId: opts.teamId }))[0];
  if (!pipeline) return [];
  const open = pipeline.stages.filter((s) => s.kind === 'open');
  const won = pipeline.stages.find((s) => s.kind === 'won');
  const lost = pipeline.stages.find((s) => s.kind === 'lost');

  const words = opts.locale
    ? WORDS[opts.locale]
    : { products: PRODUCTS, lostReasons: LOST_REASONS, quote: '报价 Quote', services: '实施与培训 Implementation and training' };
  const r = prng(opts.seed ?? 20_261_128);
  const now = ctx.now();
  const count = opts.count ?? DEMO_OPPORTUNITIES_DEFAULT;
  interface Plan {
    id: string;
    stageId: string;
    kind: 'open' | 'won' | 'lost';
    ageDays: number;
    stayDays: number;
    owner: User;
    amount: number;
    name: string;
    customerId: string;
    closeDate: string;
    lostReason: string | null;
  }
  const plans: Plan[] = [];
  for (let i = 0; i < count; i++) {
    // Every stage gets at least one deal; the rest follow the weights.
    let stage = i < pipeline.stages.length ? pipeline.stages[i]! : null;
    if (!stage) {
      const x = r.next();
      let acc = 0;
      for (const [p, s] of open.entries()) {
        acc += OPEN_STAGE_WEIGHTS[Math.min(p, OPEN_STAGE_WEIGHTS.length - 1)]!;
        if (x < acc) {
          stage = s;
          break;
        }
      }
      stage ??= x < acc + WON_SHARE ? (won ?? open[0]!) : (lost ?? open[0]!);
    }
    const ageDays = r.int(3, 150);
    const closed = stage.kind !== 'open';
    const closeOffset = closed ? -r.int(0, Math.min(ageDays, 60)) : r.int(7, 120);
    // Amounts between ¥20,000 and ¥2,000,000, log-uniform, rounded to the hundred.
    const amount = Math.round(Math.exp(Math.log(20_000) + r.next() * Math.log(100)) / 100) * 100;
    plans.push({
      id: randomUUID(),
      stageId: stage.id,
      kind: stage.kind,
      ageDays,
      stayDays: r.int(0, Math.min(ageDays, 30)),
      owner: owners.length > 0 ? r.pick(owners) : actor,
      amount,
      name: r.pick(words.products),
      customerId: r.pick(opts.customers),
      closeDate: isoDay(new Date(now.getTime() + closeOffset * DAY_MS)),
      lostReason: stage.kind === 'lost' ? r.pick(words.lostReasons) : null,
    });
  }

  await ctx.hub.edit(boardDocName(pipeline.id), actor, (doc) => {
    const cards = doc.getMap<Y.Map<unknown>>('cards');
    const ranks = new Map<string, string[]>();
    for (const p of plans) {
      const column = ranks.get(p.stageId) ?? [];
      const rank = rankAtEnd(column);
      column.push(rank);
      ranks.set(p.stageId, column);
      const card = new Y.Map<unknown>();
      card.set('name', p.name);
      card.set('amount', p.amount);
      card.set('customerId', p.customerId);
      card.set('ownerId', p.owner.id);
      card.set('stageId', p.stageId);
      card.set('rank', rank);
      card.set('currency', 'CNY');
      card.set('expectedCloseDate', p.closeDate);
      if (p.lostReason) card.set('lostReason', p.lostReason);
      cards.set(p.id, card);
    }
  });

  // Spread the history over the past months (the board document holds no times), once the
  // board's projection (and the customer changes a win makes) are written; PostgreSQL may still
  // pick this transaction as a deadlock's victim against a late projection run: it is run again.
  await ctx.hub.flush();
  await retryOnDeadlock(() =>
    ctx.db.transaction().execute(async (trx) => {
      for (const p of plans) {
        const created = new Date(now.getTime() - p.ageDays * DAY_MS);
        const entered = new Date(now.getTime() - p.stayDays * DAY_MS);
        const closedAt = p.kind === 'open' ? null : entered;
        await trx.updateTable('opportunities').set({ created_at: created, updated_at: entered, closed_at: closedAt }).where('id', '=', p.id).execute();
        await trx.updateTable('opportunity_stage_history').set({ entered_at: created }).where('opportunity_id', '=', p.id).execute();
        if (p.stageId !== open[0]?.id && open[0]) {
          // Show the deal's path: it started in the first stage and moved to where it is.
          await trx
            .updateTable('opportunity_stage_history')
            .set({ from_stage_id: null, to_stage_id: open[0].id, left_at: entered })
            .where('opportunity_id', '=', p.id)
            .execute();
          await trx
            .insertInto('opportunity_stage_history')
            .values({
              opportunity_id: p.id,
              pipeline_id: pipeline.id,
              from_stage_id: open[0].id,
              to_stage_id: p.stageId,
              entered_at: entered,
              left_at: null,
              moved_by: p.owner.id,
            })
            .execute();
        }
      }
    }),
  );

  // Quotes for deals from the proposal stage on, and a contract for each won deal.
  const proposalPosition = Math.min(2, open.length - 1);
  let contract = 1;
  for (const p of plans) {
    const position = pipeline.stages.find((s) => s.id === p.stageId)?.position ?? 0;
    if (p.kind === 'lost' || (p.kind === 'open' && position < proposalPosition)) continue;
    const quote = await createQuote(ctx, p.owner, p.id, {
      title: `${p.name} — ${words.quote}`,
      currency: 'CNY',
      taxPercent: 13,
      items: [
        { description: p.name, quantity: 1, unitPrice: Math.round(p.amount * 0.8) },
        { description: words.services, quantity: 1, unitPrice: Math.round(p.amount * 0.2 * 0.885) },
      ],
    });
    if (p.kind !== 'won') continue;
    await updateQuote(ctx, p.owner, p.id, quote.id, { status: 'sent' });
    await updateQuote(ctx, p.owner, p.id, quote.id, { status: 'accepted' });
    const number = `HT-${now.getUTCFullYear()}-${String(contract++).padStart(4, '0')}`;
    await createOrder(ctx, p.owner, p.id, { contractNumber: number, signedOn: p.closeDate, quoteId: quote.id });
    // Contract numbers are unique in the workspace: the team's own prefix keeps two teams' apart.
    const ends = new Date(`${p.closeDate}T00:00:00Z`);
    ends.setUTCFullYear(ends.getUTCFullYear() + 1);
    await createContract(ctx, p.owner, {
      opportunityId: p.id,
      number: `${number}-${opts.teamId.slice(0, 4).toUpperCase()}`,
      signedAt: p.closeDate,
      startsAt: p.closeDate,
      endsAt: isoDay(ends),
      value: p.amount,
      renewalRemindAt: new Date(ends.getTime() - 30 * DAY_MS).toISOString(),
    });
  }
  return plans.map((p) => p.id);
}
