/** The `customer:<id>` live document kind: access, shape validation and projection. */
import { CUSTOMER_ROOTS } from '../../schema/wire/docs.ts';
import type { DB } from '../db/database.ts';
import { AppError } from '../http/app-error.ts';
import type { NotificationEvent } from '../notifications/notification-events.ts';
import type { DocKind } from '../realtime/doc-kind.ts';
import { type CustomerProjection, checkCustomerChanges, customerAccess, readCustomerDoc } from './customer-doc.ts';
import { findCustomerAccessRows, isActiveTeamMemberOfCustomer } from './customer-doc.repository.ts';
import { coalesced } from '../db/coalesced.ts';
import { projectCustomers } from './customer.projection.ts';
import { listCustomerFieldRules, toCustomFieldDto } from '../custom-fields/custom-field.repository.ts';

/** Customers whose access rows one coalesced query reads. */
const ACCESS_LOOKUPS_PER_QUERY = 200;

/** Built at bootstrap (server/live-docs.ts) with the database it reads access and owners from. */
export function customerDocKind({ db }: { db: DB }): DocKind<CustomerProjection, NotificationEvent> {
  // Documents opened in a burst (reconnecting clients, an import's edits) share one lookup.
  const accessRow = coalesced((ids: string[]) => findCustomerAccessRows(db, ids), ACCESS_LOOKUPS_PER_QUERY);
  return {
    name: 'customer',
    roots: {
      [CUSTOMER_ROOTS.fields]: 'map',
      [CUSTOMER_ROOTS.tags]: 'map',
      [CUSTOMER_ROOTS.notes]: 'xml',
      [CUSTOMER_ROOTS.followups]: 'array',
      [CUSTOMER_ROOTS.custom]: 'map',
    },

    async access(user, id) {
      return customerAccess(user, await accessRow(id));
    },

    async validate(change) {
      // The definitions are read only for updates that touch custom values (one query).
      const touchesCustom = change.changes.some((ch) => ch.root === CUSTOMER_ROOTS.custom);
      const rules = touchesCustom ? new Map((await listCustomerFieldRules(db, change.id)).map((r) => [r.key, toCustomFieldDto(r)])) : undefined;
      const { problem, newOwnerId, customUsers } = checkCustomerChanges(change.after, change.changes, change.user, rules);
      if (problem) {
        const error =
          problem.status === 403
            ? new AppError('forbidden', 403, problem.message, problem.field)
            : new AppError('validation', 400, problem.message, problem.field);
        return { error, part: problem.part };
      }
      if (newOwnerId && !(await isActiveTeamMemberOfCustomer(db, change.id, newOwnerId))) {
        return {
          error: new AppError('validation', 400, 'The owner must be an active member of the customer’s team', 'ownerId'),
          part: { of: change.after.getMap(CUSTOMER_ROOTS.fields), keys: ['ownerId'] },
        };
      }
      for (const { key, userId } of customUsers) {
        if (!(await isActiveTeamMemberOfCustomer(db, change.id, userId))) {
          return {
            error: new AppError('validation', 400, 'A user field names an active member of the customer’s team', `custom.${key}`),
            part: { of: change.after.getMap(CUSTOMER_ROOTS.custom), keys: [key] },
          };
        }
      }
      // The new owner hears of it from the projection: do not let it wait out the window.
      if (newOwnerId) change.prompt();
      return null;
    },

    extract: (doc, now) => readCustomerDoc(doc, now),

    project: (uow, docs) => projectCustomers(uow, docs),
  };
}
