/**
 * The activities rows of customers, as a projection of the follow-ups in
 * their documents. Runs inside the projection run's transaction; writes only
 * the rows whose follow-up changed, so typing in one follow-up rewrites one
 * row. An archived follow-up has no row (its row goes when it is archived);
 * the archivings this removes are answered, for the customer's history.
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

/** One customer's follow-ups, as its document has them now. */
export interface CustomerFollowups {
  customer: { id: string; teamId: string };
  followups: readonly FollowupProjection[];
}

/** A follow-up archived since the last run (its activity row was removed by it). */
export interface ArchivedFollowup {
  customerId: string;
  followup: FollowupProjection;
}

/** Projects the follow-ups of several customers: one read, at most one upsert and one delete for all of them. */
export async function projectActivities(trx: Transaction<Database>, items: readonly CustomerFollowups[], now: Date): Promise<ArchivedFollowup[]> {
  if (items.length === 0) return [];
  const existing = await trx
    .selectFrom('activities')
    .select(['customer_id', 'source_id', 'type', 'author_id', 'at', 'next_at', 'outcome', 'excerpt'])
    .where(
      'customer_id',
      'in',
      items.map((i) => i.customer.id),
    )
    .execute();
  const rowsOf = new Map<string, Map<string, Row>>();
  for (const r of existing) {
    const rows = rowsOf.get(r.customer_id) ?? new Map<string, Row>();
    rows.set(r.source_id, r);
    rowsOf.set(r.customer_id, rows);
  }
  const upserts = [];
  const gone: Array<{ customerId: string; sourceId: string }> = [];
  const archived: ArchivedFollowup[] = [];
  for (const { customer, followups: all } of items) {
    const rows = rowsOf.get(customer.id) ?? new Map<string, Row>();
    for (const f of all) if (f.archived && rows.has(f.id)) archived.push({ customerId: customer.id, followup: f });
    const followups = all.filter((f) => !f.archived);
    for (const f of followups) {
      const row = rows.get(f.id);
      if (row && !followupChanged(row, f)) continue;
      upserts.push({
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
      });
    }
    const present = new Set(followups.map((f) => f.id));
    for (const sourceId of rows.keys()) if (!present.has(sourceId)) gone.push({ customerId: customer.id, sourceId });
  }
  if (upserts.length > 0) {
    await trx
      .insertInto('activities')
      .values(upserts)
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
  if (gone.length > 0) {
    await trx
      .deleteFrom('activities')
      .where((eb) => eb.or(gone.map((g) => eb.and([eb('customer_id', '=', g.customerId), eb('source_id', '=', g.sourceId)]))))
      .execute();
  }
  return archived;
}
