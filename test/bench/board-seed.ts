/**
 * The board the board benchmarks measure: the team's pipeline with `cards`
 * opportunities over its open stages, on `customers` customers, owned in turn
 * by `owners`, written through the hub (as a board would receive them) in
 * batches of `batch` cards.
 */
import { randomUUID } from 'node:crypto';
import * as Y from 'yjs';
import { boardDocName } from '../../schema/wire/docs.ts';
import type { AppContext } from '../../server/context.ts';
import { rankAtEnd } from '../../server/opportunities/rank.ts';
import type { Pipeline } from '../../server/pipelines/pipeline.ts';
import { listPipelines } from '../../server/pipelines/pipeline.repository.ts';
import { ensureTeamPipeline } from '../../server/pipelines/pipeline.service.ts';
import type { User } from '../../server/users/user.ts';

export async function seedBenchBoard(
  ctx: AppContext,
  teamId: string,
  manager: User,
  owners: string[],
  size: { cards: number; customers: number; batch: number },
): Promise<Pipeline> {
  await ensureTeamPipeline(ctx, teamId, manager);
  const pipeline = (await listPipelines(ctx.db, { teamId }))[0]!;
  const customers: string[] = [];
  for (let i = 0; i < size.customers; i++) {
    const row = await ctx.db.insertInto('customers').values({ team_id: teamId, name: `客户 ${i} Customer` }).returning('id').executeTakeFirstOrThrow();
    customers.push(row.id);
  }
  const open = pipeline.stages.filter((s) => s.kind === 'open');
  const ranks = new Map<string, string[]>();
  for (let start = 0; start < size.cards; start += size.batch) {
    await ctx.hub.edit(boardDocName(pipeline.id), manager, (doc) => {
      const cards = doc.getMap<Y.Map<unknown>>('cards');
      for (let i = start; i < Math.min(size.cards, start + size.batch); i++) {
        const stageId = open[i % open.length]!.id;
        const list = ranks.get(stageId) ?? [];
        const rank = rankAtEnd(list);
        list.push(rank);
        ranks.set(stageId, list);
        const card = new Y.Map<unknown>();
        card.set('name', `Deal ${i} 项目`);
        card.set('amount', 10_000 + ((i * 7919) % 990_000));
        card.set('customerId', customers[i % customers.length]!);
        card.set('ownerId', owners[i % owners.length]!);
        card.set('stageId', stageId);
        card.set('rank', rank);
        card.set('expectedCloseDate', `2026-${String((i % 12) + 1).padStart(2, '0')}-15`);
        cards.set(randomUUID(), card);
      }
    });
  }
  return pipeline;
}
