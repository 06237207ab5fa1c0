/**
 * Socket.IO event maps shared by server, client and tests
 * (`Server<ClientToServerEvents, ServerToClientEvents>` and
 * `Socket<ServerToClientEvents, ClientToServerEvents>`).
 */
import { z } from 'zod';
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
}

export interface ServerToClientEvents extends TeamEvents {
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
