/**
 * Keeps the `stages` map of a board document equal to the stored stages,
 * and moves the cards of a stage being deleted. Both go through the hub like
 * any edit, so open boards see the change at once and the projection follows.
 */
import * as Y from 'yjs';
import { boardDocName } from '../../schema/wire/docs.ts';
import { BOARD_STAGE_KEYS, type BoardStage } from '../../schema/wire/board.ts';
import type { AppContext } from '../context.ts';
import { rankAtEnd, sortCards } from '../opportunities/rank.ts';
import type { User } from '../users/user.ts';
import { listStages } from './pipeline.repository.ts';

/** Reason given to cards moved into a lost stage when their stage is deleted. */
export const STAGE_DELETED_LOST_REASON = 'Stage removed from the pipeline';

/** Writes the stored live stages into the board's `stages` map (only the entries that differ). */
export async function syncBoardStages(ctx: AppContext, pipelineId: string, actor: User): Promise<void> {
  const stages = (await listStages(ctx.db, pipelineId)).filter((s) => s.deletedAt === null);
  const wanted = new Map<string, BoardStage>(
    stages.map((s) => [s.id, { name: s.name, nameZh: s.nameZh, probability: s.probability, kind: s.kind, position: s.position }]),
  );
  await ctx.hub.edit(boardDocName(pipelineId), actor, (doc) => {
    const map = doc.getMap<Y.Map<unknown>>('stages');
    for (const id of [...map.keys()]) if (!wanted.has(id)) map.delete(id);
    for (const [id, stage] of wanted) {
      const entry = map.get(id);
      if (entry instanceof Y.Map) {
        for (const k of BOARD_STAGE_KEYS) if (entry.get(k) !== stage[k]) entry.set(k, stage[k]);
        for (const k of [...entry.keys()]) if (!(BOARD_STAGE_KEYS as readonly string[]).includes(k)) entry.delete(k);
      } else {
        const fresh = new Y.Map<unknown>();
        for (const k of BOARD_STAGE_KEYS) fresh.set(k, stage[k]);
        map.set(id, fresh);
      }
    }
  });
}

/** Moves every card of `fromStageId` to the end of `toStageId`, in their order. */
export async function moveStageCards(ctx: AppContext, pipelineId: string, fromStageId: string, toStageId: string, actor: User): Promise<void> {
  const target = (await listStages(ctx.db, pipelineId)).find((s) => s.id === toStageId);
  await ctx.hub.edit(boardDocName(pipelineId), actor, (doc) => {
    const cards = doc.getMap<Y.Map<unknown>>('cards');
    const moving: Array<{ id: string; rank: string; card: Y.Map<unknown> }> = [];
    const ranks: string[] = [];
    cards.forEach((card, id) => {
      const stageId = card.get('stageId');
      if (stageId === fromStageId) moving.push({ id, rank: card.get('rank') as string, card });
      else if (stageId === toStageId) ranks.push(card.get('rank') as string);
    });
    for (const m of sortCards(moving)) {
      const rank = rankAtEnd(ranks);
      ranks.push(rank);
      m.card.set('stageId', toStageId);
      m.card.set('rank', rank);
      if (target?.kind === 'lost' && !m.card.get('lostReason')) m.card.set('lostReason', STAGE_DELETED_LOST_REASON);
    }
  });
}
