/**
 * The one write path for a customer's co-edited content (fields and tags).
 */
import type { CustomerField } from '../../schema/wire/customer.ts';
import type { AppContext } from '../context.ts';
import type { User } from '../users/user.ts';
import type { CustomerChange } from './customer.ts';
import { emailNorm, phoneDigits } from './customer-duplicates.ts';

const COLUMN: Record<CustomerField, string> = {
  name: 'name',
  kind: 'kind',
  industry: 'industry',
  size: 'size',
  phone: 'phone',
  email: 'email',
  address: 'address',
  website: 'website',
  source: 'source',
  decisionMakers: 'decision_makers',
  needs: 'needs',
  category: 'category',
  ownerId: 'owner_id',
};

export async function writeCustomerChange(ctx: AppContext, _user: User, id: string, change: CustomerChange): Promise<void> {
  const set: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(change.fields)) set[COLUMN[field as CustomerField]] = value;
  if (change.fields.phone !== undefined) set.phone_digits = phoneDigits(change.fields.phone ?? '');
  if (change.fields.email !== undefined) set.email_norm = emailNorm(change.fields.email ?? '');
  if (change.tags) set.tags = change.tags;
  if (Object.keys(set).length === 0) return;
  await ctx.db.updateTable('customers').set({ ...set, updated_at: ctx.now() }).where('id', '=', id).execute();
}
