/**
 * The customers row as a projection of its `customer:<id>` document, written
 * in the transaction that stores the document's updates (so a query after an
 * edit sees it). Columns added by later migrations that derive from the
 * document belong here too.
 */
import type { Transaction } from 'kysely';
import type { CustomerUpdate } from '../../schema/tables/customer.table.ts';
import type { Database } from '../../schema/types.ts';
import { projectActivities } from '../activities/activity.projection.ts';
import { DEFAULT_CUSTOMER_CATEGORY } from '../../schema/wire/docs.ts';
import { type CustomerProjection, normaliseEmail, phoneDigits } from './customer-doc.ts';

export async function projectCustomer(
  trx: Transaction<Database>,
  id: string,
  p: CustomerProjection,
  now: Date,
): Promise<void> {
  const f = p.fields;
  const row: CustomerUpdate = {
    kind: f.kind === 'person' ? 'person' : 'company',
    industry: f.industry ?? '',
    size: f.size ?? '',
    phone: f.phone ?? '',
    email: f.email ?? '',
    address: f.address ?? '',
    website: f.website ?? '',
    source: f.source ?? '',
    decision_makers: f.decisionMakers ?? '',
    needs: f.needs ?? '',
    category: f.category || DEFAULT_CUSTOMER_CATEGORY,
    owner_id: p.ownerId,
    tags: p.tags,
    phone_digits: phoneDigits(f.phone ?? ''),
    email_norm: normaliseEmail(f.email ?? ''),
    next_followup_at: p.nextFollowupAt,
    updated_at: now,
  };
  // The name is required in the document; a document that never had one keeps the row's.
  if (f.name) row.name = f.name.trim();
  const updated = await trx.updateTable('customers').set(row).where('id', '=', id).returning('team_id').executeTakeFirst();
  if (updated) await projectActivities(trx, { id, teamId: updated.team_id }, p.followups, now);
}
