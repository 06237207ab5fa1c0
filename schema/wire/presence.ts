/**
 * Who an awareness state of a live document belongs to. The server writes
 * the `user` field of every state a connection sets from that connection's
 * session (server/realtime/awareness-guard.ts), so peers can trust it; the
 * client computes the same colour for its own view.
 */
import type { Role } from './user.ts';

/** The `user` field of an awareness state, as the server sets it. */
export interface AwarenessUser {
  id: string;
  name: string;
  color: string;
  /** The board's meeting mode lets managers and admins present. */
  role: Role;
}

const PEER_COLORS = ['#e8590c', '#2b8a3e', '#1971c2', '#ae3ec9', '#c2255c', '#0c8599', '#f08c00', '#5f3dc4'];

/** A stable colour per user. */
export function peerColor(userId: string): string {
  let h = 0;
  for (let i = 0; i < userId.length; i++) h = (h * 31 + userId.charCodeAt(i)) >>> 0;
  return PEER_COLORS[h % PEER_COLORS.length]!;
}

export function awarenessUserOf(user: { id: string; name: string; role: Role }): AwarenessUser {
  return { id: user.id, name: user.name, color: peerColor(user.id), role: user.role };
}
