/**
 * The writes of a team operation, record by record, each through its one write path:
 * customers as edits of their `customer:<id>` documents, opportunities as edits of their
 * `board:<pipelineId>` documents (so every open page sees the change live, and the projections
 * record the history), tasks and service records — which have no document — as guarded
 * UPDATEs with an audit entry each. Every function reports progress and answers what it did;
 * a record that cannot be written is left as it is and the run goes on.
 */
import * as Y from 'yjs';
import { boardDocName } from '../../schema/wire/docs.ts';
import type { AppContext } from '../context.ts';
import type { User } from '../users/user.ts';
import type { CustomerChange } from '../customers/customer.ts';
import { writeCustomerChange } from '../customers/customer-writer.ts';

/** Customer documents written at once: the projection coalesces them into shared runs. */
export const CUSTOMER_WRITE_CONCURRENCY = 8;
/** Cards changed by one edit of a board document. */
export const BOARD_CARDS_PER_EDIT = 500;
/** Rows changed by one UPDATE of tasks or service records. */
const ROWS_PER_STATEMENT = 1000;
/** Progress is reported after this many records. */
const PROGRESS_EVERY = 50;

export type Progress = (records: number) => Promise<void>;

/** A change of owner (assignee) that is made only where the record still has `from`. */
export interface OwnerMove {
  id: string;
  from: string | null;
  to: string | null;
}

async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** Writes each change into its customer's document; answers the ids written. */
export async function writeCustomers(
  ctx: AppContext,
  actor: User,
  items: ReadonlyArray<{ id: string; change: CustomerChange }>,
  progress: Progress,
): Promise<Set<string>> {
  const written = new Set<string>();
  let pending = 0;
  await eachLimited(items, CUSTOMER_WRITE_CONCURRENCY, async ({ id, change }) => {
    try {
      await writeCustomerChange(ctx, actor, id, change);
      written.add(id);
    } catch (err) {
      ctx.log.warn({ err, customerId: id }, 'team operation: a customer was not written');
    }
    if (++pending >= PROGRESS_EVERY) {
      const n = pending;
      pending = 0;
      await progress(n);
    }
  });
  await progress(pending);
  return written;
}

/** Sets the owners of opportunities in their board documents, card by card where the owner is still `from`. */
export async function moveOpportunities(ctx: AppContext, actor: User, moves: readonly OwnerMove[], progress: Progress): Promise<Set<string>> {
  const moved = new Set<string>();
  if (moves.length === 0) return moved;
  const byPipeline = new Map<string, OwnerMove[]>();
  const byId = new Map(moves.map((m) => [m.id, m]));
  for (let i = 0; i < moves.length; i += ROWS_PER_STATEMENT) {
    const rows = await ctx.db
      .selectFrom('opportunities')
      .select(['id', 'pipeline_id'])
      .where(
        'id',
        'in',
        moves.slice(i, i + ROWS_PER_STATEMENT).map((m) => m.id),
      )
      .execute();
    for (const r of rows) byPipeline.set(r.pipeline_id, [...(byPipeline.get(r.pipeline_id) ?? []), byId.get(r.id)!]);
  }
  for (const [pipelineId, list] of byPipeline) {
    for (let i = 0; i < list.length; i += BOARD_CARDS_PER_EDIT) {
      const chunk = list.slice(i, i + BOARD_CARDS_PER_EDIT);
      const touched: string[] = [];
      try {
        await ctx.hub.edit(boardDocName(pipelineId), actor, (doc) => {
          const cards = doc.getMap<Y.Map<unknown>>('cards');
          for (const m of chunk) {
            const card = cards.get(m.id);
            if (!(card instanceof Y.Map) || (card.get('ownerId') ?? null) !== m.from) continue;
            card.set('ownerId', m.to);
            touched.push(m.id);
          }
        });
        for (const id of touched) moved.add(id);
      } catch (err) {
        ctx.log.warn({ err, pipelineId }, 'team operation: board cards were not written');
      }
      await progress(chunk.length);
    }
  }
  return moved;
}

/** Reassigns tasks or service records where the assignee is still `from`, with an audit entry each. */
export async function moveAssignees(
  ctx: AppContext,
  actor: User,
  table: 'tasks' | 'service_records',
  moves: readonly OwnerMove[],
  progress: Progress,
): Promise<Set<string>> {
  const moved = new Set<string>();
  const entityType = table === 'tasks' ? 'task' : 'service_record';
  const groups = new Map<string, OwnerMove[]>();
  for (const m of moves) {
    const key = `${m.from ?? ''}>${m.to ?? ''}`;
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  for (const group of groups.values()) {
    const { from, to } = group[0]!;
    for (let i = 0; i < group.length; i += ROWS_PER_STATEMENT) {
      const chunk = group.slice(i, i + ROWS_PER_STATEMENT);
      const now = ctx.now();
      await ctx.db.transaction().execute(async (trx) => {
        let q = trx
          .updateTable(table)
          .set({ assignee_id: to as string, updated_at: now })
          .where(
            'id',
            'in',
            chunk.map((m) => m.id),
          );
        q = from === null ? q.where('assignee_id', 'is', null) : q.where('assignee_id', '=', from);
        const rows = await q.returning(['id', 'team_id']).execute();
        if (rows.length === 0) return;
        await trx
          .insertInto('audit_log')
          .values(
            rows.map((r) => ({
              actor_id: actor.id,
              team_id: r.team_id,
              action: `${entityType}.update`,
              entity_type: entityType,
              entity_id: r.id,
              changes: JSON.stringify({ assigneeId: [from, to] }),
            })),
          )
          .execute();
        for (const r of rows) moved.add(r.id);
      });
      await progress(chunk.length);
    }
  }
  return moved;
}
