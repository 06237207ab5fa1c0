/**
 * The one write path for a customer's co-edited content (fields and tags): an edit of the
 * `customer:<id>` document through the hub, which checks permissions and shape, stores the
 * update, projects the row in the same transaction and broadcasts to open tabs.
 */
import { customerDocName } from '../../schema/wire/docs.ts';
import type { AppContext } from '../context.ts';
import type { User } from '../users/user.ts';
import type { CustomerChange } from './customer.ts';
import { writeChangeInDocument } from './customer-initial-doc.ts';

export const REST_ORIGIN = 'rest';

export async function writeCustomerChange(ctx: AppContext, user: User, id: string, change: CustomerChange, origin = REST_ORIGIN): Promise<void> {
  if (Object.keys(change.fields).length === 0 && change.tags === undefined && change.custom === undefined) return;
  await ctx.hub.edit(customerDocName(id), user, (doc) => writeChangeInDocument(doc, change), { origin });
}
