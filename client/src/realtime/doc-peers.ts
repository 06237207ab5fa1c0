/**
 * The other people on a live document, read from its awareness states. The
 * server writes each state's `user` from the sender's session
 * (schema/wire/presence.ts), but states are still read defensively: an older
 * or a foreign server relays whatever clients wrote. Pure.
 */
import { type AwarenessUser, peerColor } from '../../../schema/wire/presence.ts';
import type { Role } from '../../../schema/wire/user.ts';

export interface DocPeer {
  /** The awareness client id: one per open tab. */
  clientId: number;
  user: AwarenessUser;
  /** The whole state, for the page's own fields (focus, meeting mode, cursor). */
  state: Readonly<Record<string, unknown>>;
}

const NAME_MAX = 120;
const ID_MAX = 64;
const COLOR = /^#[0-9a-f]{6}$/i;
const ROLES: readonly Role[] = ['admin', 'manager', 'rep'];

/** The `user` of a state, or null when it names nobody (a watcher, a stranger's junk). */
export function readAwarenessUser(state: unknown): AwarenessUser | null {
  if (typeof state !== 'object' || state === null) return null;
  const u = (state as Record<string, unknown>).user as Record<string, unknown> | undefined;
  if (typeof u !== 'object' || u === null) return null;
  if (typeof u.id !== 'string' || !u.id || u.id.length > ID_MAX) return null;
  if (typeof u.name !== 'string' || !u.name.trim()) return null;
  return {
    id: u.id,
    name: u.name.slice(0, NAME_MAX),
    // Only a plain colour goes into a style attribute.
    color: typeof u.color === 'string' && COLOR.test(u.color) ? u.color : peerColor(u.id),
    role: ROLES.includes(u.role as Role) ? (u.role as Role) : 'rep',
  };
}

/** Everyone but ourselves (`selfClientId`), in client-id order. */
export function readPeers(states: ReadonlyMap<number, unknown>, selfClientId: number): DocPeer[] {
  const peers: DocPeer[] = [];
  for (const [clientId, state] of states) {
    if (clientId === selfClientId) continue;
    const user = readAwarenessUser(state);
    if (user) peers.push({ clientId, user, state: state as Record<string, unknown> });
  }
  return peers.sort((a, b) => a.clientId - b.clientId);
}
