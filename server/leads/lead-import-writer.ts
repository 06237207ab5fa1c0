/**
 * The leads writer of an import: the pipeline (customers/import-job.ts) is the customers'
 * one; only the mapping and this writer differ. Each batch's valid rows become leads in one
 * multi-row insert, in the transaction that stores the job's progress.
 */
import type { NewLeadRow } from '../../schema/tables/lead.table.ts';
import type { ImportColumnTarget, ImportRowResult } from '../../schema/wire/customer-import.ts';
import { mayAssignOwner } from '../../schema/policy/access.ts';
import type { AppContext } from '../context.ts';
import { rowToLead } from '../customers/customer-import.ts';
import type { ImportBatchContext, ImportWriter, SourceBatch } from '../customers/import-writer.ts';
import type { User } from '../users/user.ts';

export async function leadImportWriter(
  ctx: AppContext,
  user: User,
  s: { teamId: string; mapping: Map<ImportColumnTarget, number>; headerCount: number },
): Promise<ImportWriter> {
  const members = await ctx.db.selectFrom('users').select(['id', 'email']).where('team_id', '=', s.teamId).where('active', '=', true).execute();
  const byLogin = new Map(members.map((m) => [m.email.toLowerCase(), m.id]));
  const defaultOwner = user.teamId === s.teamId ? user.id : null;
  return {
    async batch(batch: SourceBatch, bc: ImportBatchContext): Promise<ImportRowResult[]> {
      const now = ctx.now();
      const results: ImportRowResult[] = [];
      const rows: NewLeadRow[] = [];
      const resultOf = new Map<number, ImportRowResult>();
      for (const { line, cells } of batch.records) {
        const outcome = rowToLead(cells, s.headerCount, s.mapping);
        const name = outcome.ok ? outcome.body.name : (cells[s.mapping.get('name') ?? -1] ?? '').trim();
        const refuse = (field: string, reason: string) => results.push({ line, status: 'refused', name, field, reason });
        if (!outcome.ok) {
          refuse(outcome.field, outcome.reason);
          continue;
        }
        let ownerId = defaultOwner;
        if (outcome.ownerLogin) {
          const found = byLogin.get(outcome.ownerLogin);
          if (!found) {
            refuse('owner', `No active user ${outcome.ownerLogin} in this team`);
            continue;
          }
          if (!mayAssignOwner(user, { isNew: true, from: null, to: found })) {
            refuse('owner', 'Only managers and admins assign other owners');
            continue;
          }
          ownerId = found;
        }
        const b = outcome.body;
        const result: ImportRowResult = { line, status: 'imported', name };
        results.push(result);
        resultOf.set(rows.length, result);
        rows.push({
          team_id: s.teamId,
          name: b.name,
          company: b.company ?? '',
          phone: b.phone ?? '',
          email: b.email ?? '',
          source: b.source ?? '',
          note: b.note ?? '',
          owner_id: ownerId,
          created_by: user.id,
          import_id: bc.dryRun ? null : bc.importId,
          created_at: now,
          updated_at: now,
        });
      }
      if (bc.dryRun) return results;
      await ctx.db.transaction().execute(async (trx) => {
        if (rows.length > 0) {
          const ids = await trx.insertInto('leads').values(rows).returning('id').execute();
          ids.forEach((r, i) => {
            const result = resultOf.get(i);
            if (result) result.leadId = r.id;
          });
        }
        await bc.commit(trx, results);
      });
      return results;
    },
  };
}
