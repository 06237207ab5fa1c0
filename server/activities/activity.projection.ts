/**
 * The activities rows of one customer, as a projection of the follow-ups in
 * its document. Runs inside the transaction that stores the document's
 * updates; writes only the rows whose follow-up changed, so typing in one
 * follow-up rewrites one row.
 */
import type { Transaction } from 'kysely';
import type { Database } from '../../schema/types.ts';
import type { FollowupProjection } from '../customers/customer-doc.ts';

type Row = {
  source_id: string;
  type: string;
  author_id: string | null;
  at: Date;
  next_at: Date | null;
  outcome: string;
  excerpt: string;
};

const sameTime = (a: Date | null, b: Date | null) => (a === null || b === null ? a === b : a.getTime() === b.getTime());

export function followupChanged(row: Row, f: FollowupProjection): boolean {
  return (
    row.type !== f.type ||
    row.author_id !== f.authorId ||
    !sameTime(row.at, f.at) ||
    !sameTime(row.next_at, f.nextAt) ||
    row.outcome !== f.outcome ||
    row.excerpt !== f.excerpt
  );
}

export async function projectActivities(
  trx: Transaction<Database>,
  customer: { id: string; teamId: string },
  followups: readonly FollowupProjection[],
  now: Date,
): Promise<void> {
  const existing = await trx
    .selectFrom('activities')
    .select(['source_id', 'type', 'author_id', 'at', 'next_at', 'outcome', 'excerpt'])
    .where('customer_id', '=', customer.id)
    .execute();
  const byId = new Map(existing.map((r) => [r.source_id, r]));
  const changed = followups.filter((f) => {
    const row = byId.get(f.id);
    return !row || followupChanged(row, f);
  });
  if (changed.length > 0) {
    await trx
      .insertInto('activities')
      .values(
        changed.map((f) => ({
          team_id: customer.teamId,
          customer_id: customer.id,
          source_id: f.id,
          author_id: f.authorId,
          type: f.type,
          at: f.at,
          next_at: f.nextAt,
          outcome: f.outcome,
          excerpt: f.excerpt,
          updated_at: now,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['customer_id', 'source_id']).doUpdateSet((eb) => ({
          author_id: eb.ref('excluded.author_id'),
          type: eb.ref('excluded.type'),
          at: eb.ref('excluded.at'),
          next_at: eb.ref('excluded.next_at'),
          outcome: eb.ref('excluded.outcome'),
          excerpt: eb.ref('excluded.excerpt'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
  const present = new Set(followups.map((f) => f.id));
  const gone = existing.filter((r) => !present.has(r.source_id)).map((r) => r.source_id);
  if (gone.length > 0) {
    await trx.deleteFrom('activities').where('customer_id', '=', customer.id).where('source_id', 'in', gone).execute();
  }
}
