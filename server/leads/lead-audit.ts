/** A lead's history: audit_log entries with entity_type 'lead' (kept after conversion). */
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schema/types.ts';
import type { HistoryEntryDto } from '../../schema/wire/customer.ts';
import { recordAudit } from '../audit/audit.repository.ts';

type Q = Kysely<Database> | Transaction<Database>;

export const LEAD_ENTITY = 'lead';
export const LEAD_HISTORY_MAX = 200;

export type LeadAction = 'create' | 'update' | 'convert';

export function recordLeadAudit(
  db: Q,
  e: { actorId: string; teamId: string; leadId: string; action: LeadAction; changes: Record<string, unknown>; at: Date },
): Promise<void> {
  return recordAudit(db, {
    actor_id: e.actorId,
    team_id: e.teamId,
    action: e.action,
    entity_type: LEAD_ENTITY,
    entity_id: e.leadId,
    changes: e.changes,
    at: e.at,
  });
}

/** Newest first. */
export async function listLeadHistory(db: Q, leadId: string, limit = LEAD_HISTORY_MAX): Promise<HistoryEntryDto[]> {
  const rows = await db
    .selectFrom('audit_log as a')
    .leftJoin('users as u', 'u.id', 'a.actor_id')
    .select(['a.id', 'a.at', 'a.actor_id', 'u.name as actor_name', 'a.action', 'a.changes'])
    .where('a.entity_type', '=', LEAD_ENTITY)
    .where('a.entity_id', '=', leadId)
    .orderBy('a.id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    at: r.at.toISOString(),
    actorId: r.actor_id,
    actorName: r.actor_name,
    action: r.action,
    changes: (typeof r.changes === 'string' ? JSON.parse(r.changes) : r.changes) as Record<string, unknown>,
  }));
}
