/** Team operations and the changes they made (0083): rows in, progress, rows out. */
import type { Kysely, Transaction } from 'kysely';
import type { HandoverChangeRow, HandoverEntity, HandoverField, HandoverKind, HandoverRow } from '../../schema/tables/handover.table.ts';
import type { HandoverDto } from '../../schema/wire/handover.ts';
import type { Database } from '../../schema/types.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** Change rows per INSERT (7 parameters each, far below PostgreSQL's limit). */
const CHANGE_INSERT_ROWS = 1000;

export interface NewChange {
  entity: HandoverEntity;
  id: string;
  field: HandoverField;
  before: unknown;
  after: unknown;
}

export function toHandoverDto(r: HandoverRow): HandoverDto {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    fromUserId: r.from_user_id,
    total: r.total,
    processed: r.processed,
    counts: typeof r.counts === 'string' ? JSON.parse(r.counts) : r.counts,
    error: r.error,
    createdAt: r.created_at.toISOString(),
    finishedAt: r.finished_at?.toISOString() ?? null,
    undoneAt: r.undone_at?.toISOString() ?? null,
  };
}

export async function insertHandover(
  db: Q,
  v: { kind: HandoverKind; teamId: string | null; actorId: string; fromUserId: string | null; total: number; counts: Record<string, number> },
  changes: NewChange[],
): Promise<HandoverRow> {
  const row = await db
    .insertInto('handovers')
    .values({
      kind: v.kind,
      team_id: v.teamId,
      actor_id: v.actorId,
      from_user_id: v.fromUserId,
      total: v.total,
      counts: JSON.stringify(v.counts),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  for (let i = 0; i < changes.length; i += CHANGE_INSERT_ROWS) {
    await db
      .insertInto('handover_changes')
      .values(
        changes.slice(i, i + CHANGE_INSERT_ROWS).map((c) => ({
          handover_id: row.id,
          entity_type: c.entity,
          entity_id: c.id,
          field: c.field,
          before: JSON.stringify(c.before),
          after: JSON.stringify(c.after),
        })),
      )
      .execute();
  }
  return row;
}

export function findHandover(db: Q, id: string): Promise<HandoverRow | undefined> {
  return db.selectFrom('handovers').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function addHandoverProgress(db: Q, id: string, processed: number): Promise<void> {
  if (processed === 0) return;
  await db
    .updateTable('handovers')
    .set((eb) => ({ processed: eb('processed', '+', processed) }))
    .where('id', '=', id)
    .execute();
}

export async function finishHandover(db: Q, id: string, v: { status: 'done' | 'failed' | 'undone'; error?: string | null; now: Date }): Promise<void> {
  await db
    .updateTable('handovers')
    .set(v.status === 'undone' ? { status: 'undone', undone_at: v.now } : { status: v.status, error: v.error ?? null, finished_at: v.now })
    .where('id', '=', id)
    .execute();
}

/** Claims an operation for undo (done or failed → undone); false when it is running or undone already. */
export async function claimUndo(db: Q, id: string, now: Date): Promise<boolean> {
  const r = await db
    .updateTable('handovers')
    .set({ status: 'undone', undone_at: now })
    .where('id', '=', id)
    .where('status', 'in', ['done', 'failed'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export function listHandoverChanges(db: Q, id: string): Promise<HandoverChangeRow[]> {
  // Both drivers answer jsonb parsed (a stored id comes back as a string, not as its JSON text).
  return db.selectFrom('handover_changes').selectAll().where('handover_id', '=', id).orderBy('id').execute();
}
