import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, PresenceUser, ServerToClientEvents } from '../../schema/wire/socket-events.ts';
import type { Role } from '../../schema/wire/user.ts';
import type { TokenBucket } from './socket-rate-limit.ts';

/** What the handshake establishes about a socket. */
export interface SocketData {
  userId: string;
  name: string;
  role: Role;
  teamId: string | null;
  sessionId: string;
  /** The session token, kept to re-check the session periodically. */
  token: string;
  /** Presence room key → public resource name, for the rooms this socket joined. */
  presence: Map<string, string>;
  bucket: TokenBucket;
  /** Events refused by the rate limit so far. */
  refusals: number;
}

/** Between nodes, through the Redis adapter (never from clients). */
export interface InterServerEvents {
  /** Each other node answers with the users of its own sockets in a presence room. */
  'presence:users': (room: string, ack: (users: PresenceUser[]) => void) => void;
}

export type AppServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type AppSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

export const userRoom = (userId: string) => `user:${userId}`;
export const teamRoom = (teamId: string) => `team:${teamId}`;
/** Every admin's sockets: admins read every team's records. */
export const ADMINS_ROOM = 'admins';
