/**
 * Notifications as listeners of the events document projections emit
 * (customer.projection.ts, board.doc-kind.ts): the listener stores them in
 * the projection's transaction and delivers them once it has committed, so a
 * projection that rolls back leaves no row and sends nothing. Registered with
 * the document kinds at bootstrap (server/live-docs.ts).
 */
import type { DocEventListener } from '../realtime/doc-kind.ts';
import { type AssignmentInput, notifyAssignment } from './assignment.ts';
import { type MentionInput, notifyMentions } from './mention.service.ts';
import type { Notifier, PendingDelivery, Trx } from './notifier.ts';
import type { DealWonEvent } from '../contracts/won-customer.ts';
import type { RecordChangedEvent } from './record-events.ts';

/**
 * A customer or opportunity was given to someone; teammates were @-mentioned in a customer's notes or follow-ups;
 * a record was written (`changed`: no notification, the live lists hear of it through record-events.ts);
 * a deal was won (`won`: no notification, server/contracts/won-customer.ts sets the customer's category).
 */
export type NotificationEvent =
  | ({ type: 'assignment' } & AssignmentInput)
  | ({ type: 'mention' } & MentionInput)
  | RecordChangedEvent
  | DealWonEvent;

export function notificationListener(notifier: Notifier): DocEventListener<NotificationEvent> {
  return async (event, uow) => {
    const pendings = await store(notifier, uow.trx, event);
    if (pendings.length > 0) uow.afterCommit(() => notifier.deliver(pendings));
  };
}

async function store(notifier: Notifier, trx: Trx, event: NotificationEvent): Promise<PendingDelivery[]> {
  switch (event.type) {
    case 'assignment': {
      if (notifier.isAssignmentMuted(event.entity.type, event.entity.id, event.recipientId)) return [];
      const pending = await notifyAssignment({ notifier }, trx, event);
      return pending ? [pending] : [];
    }
    case 'mention':
      return notifyMentions({ notifier }, trx, event);
    case 'changed':
    case 'won':
      return [];
    default: {
      const never: never = event;
      throw new Error(`unknown notification event ${JSON.stringify(never)}`);
    }
  }
}
