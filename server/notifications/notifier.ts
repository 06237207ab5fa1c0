/**
 * The notifier: stores a notification in the caller's transaction and
 * delivers it live only after that transaction commits.
 *
 * Contract: `notify(trx, input)` inserts the row with `trx` and returns a
 * `PendingDelivery`; nothing is sent yet. The caller calls `deliver()` on it
 * (or `notifier.deliver(pendings)`) after its transaction committed. If the
 * transaction rolls back, the row is gone and, because `deliver()` is never
 * reached, nothing was sent. `withNotifications()` wraps that pattern.
 *
 * Live delivery goes through a transport (the Socket.IO server registers
 * itself when it starts). Without one, e.g. in `app.request()` tests, rows
 * are still stored and users find them with `GET /api/notifications`.
 */
import type { Logger } from 'pino';
import type { Transaction } from 'kysely';
import type { NotificationEventDto, NotificationsReadEventDto } from '../../schema/wire/notifications.ts';
import type { Database } from '../../schema/types.ts';
import type { RecordChangedDto, RecordEventName, TeamEvents } from '../../schema/wire/socket-events.ts';
import type { DB } from '../db/database.ts';
import {
  clip,
  NOTIFICATION_BODY_MAX,
  NOTIFICATION_LINK_MAX,
  NOTIFICATION_TITLE_MAX,
  type NotificationInput,
  toNotificationEvent,
} from './notification.ts';
import { insertNotification } from './notification.repository.ts';

export type Trx = Transaction<Database>;

/** Where live events go: every open tab of one user. */
export interface NotificationTransport {
  sendNotification(recipientId: string, n: NotificationEventDto): void;
  sendRead(userId: string, e: NotificationsReadEventDto): void;
  /** A list-refresh event to every open tab of a team (TeamEvents in schema/wire/socket-events.ts). */
  sendTeam?<E extends keyof TeamEvents>(teamId: string, event: E, payload: Parameters<TeamEvents[E]>[0]): void;
  /** A record change to every socket that may read it: its team's and every admin's (RecordEvents in socket-events.ts). */
  sendRecord?(teamId: string, event: RecordEventName, payload: RecordChangedDto): void;
}

export interface PendingDelivery {
  readonly recipientId: string;
  readonly notification: NotificationEventDto;
  /** Sends it to the recipient's open tabs. Call only after the transaction committed; a second call does nothing. */
  deliver(): void;
}

/** Collects pending deliveries during a transaction. */
export class DeliveryQueue {
  private readonly pending: PendingDelivery[] = [];

  add(p: PendingDelivery | null | undefined | Iterable<PendingDelivery>): void {
    if (!p) return;
    if (Symbol.iterator in p) for (const one of p) this.pending.push(one);
    else this.pending.push(p as PendingDelivery);
  }

  get size(): number {
    return this.pending.length;
  }

  /** Delivers everything collected, once. */
  flush(): void {
    for (const p of this.pending.splice(0)) p.deliver();
  }
}

export class Notifier {
  private transport: NotificationTransport | null = null;

  /** Assignments told in one summary instead (a handover, a bulk edit): `type:id:recipient` → how many operations mute it. */
  private readonly mutedAssignments = new Map<string, number>();

  constructor(private readonly log: Logger) {}

  /**
   * Runs `fn` with the assignment notifications of these records to these recipients muted on
   * this node: the caller (a handover, a bulk edit) sends one summary per recipient instead. The
   * writes it makes through the hub are projected on this node before `hub.edit` resolves, so the
   * projection's assignment events arrive while the mute holds.
   */
  async withAssignmentsMuted<T>(keys: ReadonlyArray<{ type: string; id: string; recipientId: string }>, fn: () => Promise<T>): Promise<T> {
    const names = keys.map((k) => `${k.type}:${k.id}:${k.recipientId}`);
    for (const n of names) this.mutedAssignments.set(n, (this.mutedAssignments.get(n) ?? 0) + 1);
    try {
      return await fn();
    } finally {
      for (const n of names) {
        const left = (this.mutedAssignments.get(n) ?? 1) - 1;
        if (left > 0) this.mutedAssignments.set(n, left);
        else this.mutedAssignments.delete(n);
      }
    }
  }

  /** Whether an assignment notification is muted (see `withAssignmentsMuted`). */
  isAssignmentMuted(type: string, id: string, recipientId: string | null): boolean {
    return recipientId !== null && this.mutedAssignments.has(`${type}:${id}:${recipientId}`);
  }

  /** Registers the live transport; returns the function that unregisters it. */
  setTransport(transport: NotificationTransport): () => void {
    this.transport = transport;
    return () => {
      if (this.transport === transport) this.transport = null;
    };
  }

  get hasTransport(): boolean {
    return this.transport !== null;
  }

  /** Wraps the registered transport (instrumentation such as the latency benchmark); false when none is registered. */
  wrapTransport(wrap: (inner: NotificationTransport) => NotificationTransport): boolean {
    if (!this.transport) return false;
    this.transport = wrap(this.transport);
    return true;
  }

  /** Stores a notification with `trx`. Deliver the result after commit. */
  async notify(trx: Trx, input: NotificationInput): Promise<PendingDelivery> {
    const recipient = await trx
      .selectFrom('users')
      .select(['team_id'])
      .where('id', '=', input.recipientId)
      .executeTakeFirst();
    if (!recipient) throw new Error(`notify: no user ${input.recipientId}`);
    const row = await insertNotification(trx, {
      recipient_id: input.recipientId,
      team_id: recipient.team_id,
      type: input.type,
      title: clip(input.title, NOTIFICATION_TITLE_MAX),
      body: clip(input.body ?? '', NOTIFICATION_BODY_MAX),
      link: clip(input.link ?? '', NOTIFICATION_LINK_MAX),
      entity_type: input.entity?.type ?? null,
      entity_id: input.entity?.id ?? null,
      actor_id: input.actorId ?? null,
    });
    const notification = toNotificationEvent(row);
    let delivered = false;
    return {
      recipientId: input.recipientId,
      notification,
      deliver: () => {
        if (delivered) return;
        delivered = true;
        this.send((t) => t.sendNotification(input.recipientId, notification));
      },
    };
  }

  /** Delivers pending notifications (after commit). */
  deliver(pendings: Iterable<PendingDelivery | null | undefined>): void {
    for (const p of pendings) p?.deliver();
  }

  /** Tells the user's other tabs that notifications were read (after commit). */
  readChanged(userId: string, e: NotificationsReadEventDto): void {
    this.send((t) => t.sendRead(userId, e));
  }

  /** Tells every open tab of a team that something it lists changed (after commit); best effort. */
  teamEvent<E extends keyof TeamEvents>(teamId: string, event: E, payload: Parameters<TeamEvents[E]>[0]): void {
    this.send((t) => t.sendTeam?.(teamId, event, payload));
  }

  /** Tells the readers of a customer, opportunity or task that it changed (after commit); best effort. */
  recordChanged(teamId: string, event: RecordEventName, payload: RecordChangedDto): void {
    this.send((t) => t.sendRecord?.(teamId, event, payload));
  }

  private send(fn: (t: NotificationTransport) => void): void {
    const t = this.transport;
    if (!t) return;
    try {
      fn(t);
    } catch (err) {
      // Delivery is best effort: the row is stored and the list shows it.
      this.log.warn({ err }, 'live notification delivery failed');
    }
  }
}

/**
 * Runs `fn` in a transaction and delivers what it queued once the
 * transaction committed; a rollback (a thrown error) delivers nothing.
 */
export async function withNotifications<T>(db: DB, fn: (trx: Trx, queue: DeliveryQueue) => Promise<T>): Promise<T> {
  const queue = new DeliveryQueue();
  const result = await db.transaction().execute((trx) => fn(trx, queue));
  queue.flush();
  return result;
}
