/**
 * Live lists: `customer:changed`, `opportunity:changed` and `task:changed` go to
 * the sockets that may read the record (its team's and admins', see the access
 * policy) after the write committed. Projections emit a `changed` event per
 * record they wrote; the listener coalesces them to one per record per run and
 * sends them once the run's transaction has committed. Writes outside a
 * projection (creating or archiving a customer, tasks) call `sendRecordChanges`
 * after their own commit.
 */
import type { RecordChangedDto, RecordEventName } from '../../schema/wire/socket-events.ts';
import type { DocEventListener, UnitOfWork } from '../realtime/doc-kind.ts';
import type { Notifier } from './notifier.ts';

export type RecordEntity = 'customer' | 'opportunity' | 'task';

/** One record written: who reads it (its team) and what lists need to know. */
export interface RecordChange extends RecordChangedDto {
  entity: RecordEntity;
  teamId: string;
}

export type RecordChangedEvent = { type: 'changed' } & RecordChange;

const EVENT_OF: Record<RecordEntity, RecordEventName> = {
  customer: 'customer:changed',
  opportunity: 'opportunity:changed',
  task: 'task:changed',
};

/**
 * Merges changes of the same record: the first previous owner and the last
 * state win, so a record reassigned twice in one run tells both the first and
 * the last owner's lists.
 */
export function coalesceRecordChanges(changes: Iterable<RecordChange>): RecordChange[] {
  const byKey = new Map<string, RecordChange>();
  for (const c of changes) {
    const key = `${c.entity}:${c.id}`;
    const seen = byKey.get(key);
    if (!seen) {
      byKey.set(key, { ...c });
      continue;
    }
    const previousOwnerId = seen.previousOwnerId !== undefined ? seen.previousOwnerId : c.previousOwnerId;
    byKey.set(key, { ...seen, ...c, ...(previousOwnerId !== undefined ? { previousOwnerId } : {}) });
  }
  return [...byKey.values()];
}

/** Sends each change to its readers (call after commit). */
export function sendRecordChanges(notifier: Notifier, changes: Iterable<RecordChange>): void {
  for (const { entity, teamId, ...payload } of coalesceRecordChanges(changes)) {
    notifier.recordChanged(teamId, EVENT_OF[entity], payload);
  }
}

/** Collects the `changed` events of a projection run and sends them, coalesced, after it commits. */
export function recordChangeListener<Event extends { type: string }>(notifier: Notifier): DocEventListener<Event> {
  const pending = new WeakMap<UnitOfWork<Event>, RecordChange[]>();
  return async (event, uow) => {
    if (event.type !== 'changed') return;
    const { type: _type, ...change } = event as unknown as RecordChangedEvent;
    let list = pending.get(uow);
    if (!list) {
      const fresh: RecordChange[] = [];
      pending.set(uow, fresh);
      uow.afterCommit(() => sendRecordChanges(notifier, fresh));
      list = fresh;
    }
    list.push(change);
  };
}
