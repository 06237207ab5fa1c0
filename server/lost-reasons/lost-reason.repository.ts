import type { Kysely, Transaction } from 'kysely';
import type { LostReasonRow } from '../../schema/tables/lost-reason.table.ts';
import type { Database } from '../../schema/types.ts';
import type { LostReasonDto } from '../../schema/wire/admin-lists.ts';

type Q = Kysely<Database> | Transaction<Database>;

export const toLostReasonDto = (r: LostReasonRow): LostReasonDto => ({
  id: r.id,
  labelEn: r.label_en,
  labelZh: r.label_zh,
  position: r.position,
  archived: r.archived_at !== null,
});

export function listLostReasons(db: Q, opts: { archived: boolean }): Promise<LostReasonRow[]> {
  let q = db.selectFrom('lost_reasons').selectAll().orderBy('position').orderBy('created_at').orderBy('id');
  if (!opts.archived) q = q.where('archived_at', 'is', null);
  return q.execute();
}

export function findLostReason(db: Q, id: string): Promise<LostReasonRow | undefined> {
  return db.selectFrom('lost_reasons').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function countLostReasons(db: Q): Promise<number> {
  const r = await db.selectFrom('lost_reasons').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(r.n);
}

export function insertLostReason(db: Q, row: { label_en: string; label_zh: string; position: number; created_by: string }): Promise<LostReasonRow> {
  return db.insertInto('lost_reasons').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateLostReasonRow(
  db: Q,
  id: string,
  patch: { label_en?: string; label_zh?: string; position?: number; archived_at?: Date | null; updated_at: Date },
): Promise<LostReasonRow | undefined> {
  return db.updateTable('lost_reasons').set(patch).where('id', '=', id).returningAll().executeTakeFirst();
}

export async function getLostReasonFreeText(db: Q): Promise<boolean> {
  const row = await db.selectFrom('workspace_settings').select('lost_reason_free_text').where('id', '=', 1).executeTakeFirst();
  return row?.lost_reason_free_text ?? true;
}

export async function setLostReasonFreeText(db: Q, freeText: boolean, now: Date): Promise<void> {
  await db.updateTable('workspace_settings').set({ lost_reason_free_text: freeText, updated_at: now }).where('id', '=', 1).execute();
}
