/**
 * The won-customer rule: when an opportunity enters a won stage, its customer's category
 * becomes the won-customer category (`closed-won`, 成交客户) — if the workspace rule is on
 * (default; `/api/workspace/deals`) and the customer's team has that category. The board
 * projection emits a `won` event in its transaction; the listener decides there and, once the
 * run has committed, changes the customer through its live document like any other edit,
 * as the one who won the deal (or the deal's owner when the win came with no user).
 */
import { customerDocName } from '../../schema/wire/docs.ts';
import type { AppServices } from '../context.ts';
import { listCategories } from '../customers/customer-category.repository.ts';
import type { DocEventListener } from '../realtime/doc-kind.ts';
import type { DocHub } from '../realtime/hub.ts';
import { findUserById } from '../users/user.repository.ts';
import { getWonSetsCustomerCategory } from '../workspace/workspace-settings.repository.ts';

/** The category key of won customers (schema/wire/customer.ts, DEFAULT_CATEGORIES). */
export const WON_CUSTOMER_CATEGORY = 'closed-won';

export interface DealWonInput {
  opportunityId: string;
  customerId: string;
  teamId: string;
  actorId: string | null;
  ownerId: string | null;
}
export type DealWonEvent = { type: 'won' } & DealWonInput;

export function wonCustomerListener<Event extends { type: string }>(app: AppServices, hub: () => DocHub): DocEventListener<Event> {
  return async (event, uow) => {
    if (event.type !== 'won') return;
    const won = event as unknown as DealWonEvent;
    const { trx } = uow;
    if (!(await getWonSetsCustomerCategory(trx))) return;
    const customer = await trx.selectFrom('customers').select(['category', 'archived_at', 'team_id']).where('id', '=', won.customerId).executeTakeFirst();
    if (!customer || customer.archived_at || customer.category === WON_CUSTOMER_CATEGORY) return;
    if (!(await listCategories(trx, customer.team_id)).some((c) => c.key === WON_CUSTOMER_CATEGORY)) return;
    uow.afterCommit(() => {
      void setWonCategory(app, hub(), won).catch((err) => app.log.warn({ err, customerId: won.customerId }, 'won customer category not set'));
    });
  };
}

async function setWonCategory(app: AppServices, hub: DocHub, won: DealWonInput): Promise<void> {
  const userId = won.actorId ?? won.ownerId;
  const user = userId ? await findUserById(app.db, userId) : null;
  if (!user) return;
  await hub.edit(customerDocName(won.customerId), user, (doc) => {
    const fields = doc.getMap('fields');
    if (fields.get('category') !== WON_CUSTOMER_CATEGORY) fields.set('category', WON_CUSTOMER_CATEGORY);
  });
}
