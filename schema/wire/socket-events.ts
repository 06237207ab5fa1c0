/**
 * Socket.IO event maps shared by server, client and tests
 * (`Server<ClientToServerEvents, ServerToClientEvents>` and
 * `Socket<ServerToClientEvents, ClientToServerEvents>`).
 */
import { z } from 'zod';
import type { DealChangedDto } from './contracts.ts';
import type { CustomFieldsChangedDto } from './custom-fields.ts';
import type { ErrorCode } from './error.ts';
import type { NotificationEventDto, NotificationsReadEventDto } from './notifications.ts';
import { isUuid } from './ids.ts';
import type { ServiceRecordChangedDto } from './service-records.ts';

export const SOCKET_IO_PATH = '/socket.io';

/** Longest resource string accepted by presence events. */
export const PRESENCE_RESOURCE_MAX = 64;

/**
 * What a user can be present on: one customer's page, one pipeline board, or
 * the customer list of the user's team.
 */
export type PresenceResource = `customer:${string}` | `board:${string}` | 'customers';


export type ParsedPresenceResource =
  | { kind: 'customer'; id: string }
  | { kind: 'board'; id: string }
  | { kind: 'customers' };

/** The grammar of presence resources; anything else is null. Ids are lower-cased. */
export function parsePresenceResource(resource: string): ParsedPresenceResource | null {
  if (resource === 'customers') return { kind: 'customers' };
  const colon = resource.indexOf(':');
  if (colon < 0) return null;
  const prefix = resource.slice(0, colon);
  const id = resource.slice(colon + 1);
  if (!isUuid(id)) return null;
  if (prefix === 'customer') return { kind: 'customer', id: id.toLowerCase() };
  if (prefix === 'board') return { kind: 'board', id: id.toLowerCase() };
  return null;
}

export function presenceResourceName(r: ParsedPresenceResource): PresenceResource {
  switch (r.kind) {
    case 'customer':
      return `customer:${r.id}`;
    case 'board':
      return `board:${r.id}`;
    case 'customers':
      return 'customers';
    default: {
      const never: never = r;
      return never;
    }
  }
}

export const presencePayload = z
  .object({ resource: z.string().min(1).max(PRESENCE_RESOURCE_MAX) })
  .strict();
export type PresencePayload = z.infer<typeof presencePayload>;

export interface PresenceUser {
  id: string;
  name: string;
}

/** The `presence` event: everyone currently on a resource (each user once, however many tabs). */
export interface PresenceEventDto {
  resource: PresenceResource;
  users: PresenceUser[];
}

export interface SocketErrorDto {
  code: ErrorCode;
  message: string;
  /** The client event that caused it, when there was one. */
  event?: string;
}

/** Acknowledgement of a client event: ok with a result, or an error. */
export type SocketAck<T> = { ok: true; data: T } | { ok: false; error: SocketErrorDto };

/** Why the server is about to disconnect a socket (sent just before). */
export type SessionEndedReason = 'session_ended' | 'account_changed' | 'rate_limited';

/** Events sent to every socket of a team, telling open lists and pages to refetch. */
export interface TeamEvents {
  /** A service record was created or changed (its customer's page and the queue refetch). */
  'serviceRecord:changed': (e: ServiceRecordChangedDto) => void;
  /** Custom field definitions changed (open pages refetch them; docs/custom-fields.md). */
  'customFields:changed': (e: CustomFieldsChangedDto) => void;
  /** An order or contract was created or changed (the customer's deals section refetches; docs/contracts.md). */
  'deal:changed': (e: DealChangedDto) => void;
  /** A contact or an attachment of a customer changed (that section of its open 360° page refetches). */
  'customer:related': (e: CustomerRelatedChangedDto) => void;
}

/** The parts of a customer's 360° page that `customer:related` names. */
export type CustomerRelatedPart = 'contacts' | 'attachments';

export interface CustomerRelatedChangedDto {
  customerId: string;
  part: CustomerRelatedPart;
}

/**
 * A customer, opportunity or task was created, edited, reassigned or archived
 * (docs/notifications.md, *Live lists*). Minimal on purpose: open lists refetch
 * the record or the page; at most one per record per projection run or request.
 */
export interface RecordChangedDto {
  id: string;
  /** The owner (a task's assignee) now; null when nobody. */
  ownerId: string | null;
  /** The owner before, when this change reassigned the record. */
  previousOwnerId?: string | null;
  /** The record's customer, for opportunities and tasks (a customer page refetches its related lists). */
  customerId?: string | null;
  /** Archived (customers), done (tasks); absent when unchanged or not applicable. */
  archived?: boolean;
}

/** Sent to the record's team and to admins (the readers the access policy allows), after the write committed. */
export interface RecordEvents {
  'customer:changed': (e: RecordChangedDto) => void;
  'opportunity:changed': (e: RecordChangedDto) => void;
  'task:changed': (e: RecordChangedDto) => void;
}

export type RecordEventName = keyof RecordEvents;

export interface ServerToClientEvents extends TeamEvents, RecordEvents {
  notification: (n: NotificationEventDto) => void;
  'notifications:read': (e: NotificationsReadEventDto) => void;
  presence: (p: PresenceEventDto) => void;
  /** A client event was refused (bad payload, rate limit, no access) and had no ack callback. */
  'app:error': (e: SocketErrorDto) => void;
  /** The socket is being disconnected by the server; the client should not reconnect without signing in again if reason is session_ended. */
  'session:ended': (e: { reason: SessionEndedReason }) => void;
}

export interface ClientToServerEvents {
  'presence:join': (p: PresencePayload, ack?: (r: SocketAck<PresenceEventDto>) => void) => void;
  'presence:leave': (p: PresencePayload, ack?: (r: SocketAck<{ resource: PresenceResource }>) => void) => void;
}

/** Error codes in `connect_error` (err.message) when the handshake is refused. */
export const SOCKET_CONNECT_ERRORS = ['unauthenticated', 'password_change_required', 'bad_origin'] as const;
