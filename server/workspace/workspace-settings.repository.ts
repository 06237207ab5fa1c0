import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../schema/types.ts';
import { ROLES, type Role } from '../../schema/wire/user.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** The workspace's security settings (one row, migration 0060). */
export interface WorkspaceSecurity {
  totpRequiredRoles: Role[];
  maxPasswordAgeDays: number | null;
}

export async function getWorkspaceSecurity(db: Q): Promise<WorkspaceSecurity> {
  const row = await db.selectFrom('workspace_settings').selectAll().where('id', '=', 1).executeTakeFirst();
  if (!row) return { totpRequiredRoles: [], maxPasswordAgeDays: null };
  const raw = typeof row.totp_required_roles === 'string' ? JSON.parse(row.totp_required_roles) : row.totp_required_roles;
  const roles = Array.isArray(raw) ? raw.filter((r): r is Role => (ROLES as readonly string[]).includes(r)) : [];
  return { totpRequiredRoles: roles, maxPasswordAgeDays: row.max_password_age_days };
}

export async function updateWorkspaceSecurity(db: Q, patch: Partial<WorkspaceSecurity>, now: Date): Promise<void> {
  await db
    .updateTable('workspace_settings')
    .set({
      ...(patch.totpRequiredRoles ? { totp_required_roles: JSON.stringify(patch.totpRequiredRoles) } : {}),
      ...(patch.maxPasswordAgeDays !== undefined ? { max_password_age_days: patch.maxPasswordAgeDays } : {}),
      updated_at: now,
    })
    .where('id', '=', 1)
    .execute();
}

/** Whether winning a deal sets its customer's category to the won-customer one (default on; migration 0080). */
export async function getWonSetsCustomerCategory(db: Q): Promise<boolean> {
  const row = await db.selectFrom('workspace_settings').select('won_sets_customer_category').where('id', '=', 1).executeTakeFirst();
  return row?.won_sets_customer_category ?? true;
}

export async function setWonSetsCustomerCategory(db: Q, on: boolean, now: Date): Promise<void> {
  await db.updateTable('workspace_settings').set({ won_sets_customer_category: on, updated_at: now }).where('id', '=', 1).execute();
}
