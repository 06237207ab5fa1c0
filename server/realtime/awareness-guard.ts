/**
 * Binds awareness to the connection that sends it. Awareness is the
 * y-protocols channel for who is here and where their cursor is; the
 * protocol lets any client set, replace or remove any client id's entry.
 * The hub keeps only what a connection may say about itself:
 *
 * - A connection sets or removes only the client ids it holds. It comes to
 *   hold an id the first time it announces one that nobody holds: no other
 *   local connection, no other node (entries from the bus), not the hub's
 *   own. At most `MAX_AWARENESS_IDS_PER_CONNECTION` ids (a stock provider
 *   uses one).
 * - Entries about ids held by others are dropped silently: the stock
 *   y-websocket provider echoes every entry it receives, so they are normal
 *   traffic, not an attack to close on.
 * - The `user` field of every state is the session's user ({id, name,
 *   color, role}), whatever the client wrote. A state that names nobody
 *   (no `user`, or one with an empty name, as the reports page's board
 *   watcher sends) stays anonymous: the field is removed.
 * - A state must be a JSON object of at most `maxStateBytes` (UTF-8 JSON,
 *   after the rewrite); a larger one refuses the whole message.
 *
 * Pure: the caller says who holds which id; the kept entries are re-encoded
 * by the caller, so nothing the client wrote is relayed as is.
 */
import type { Awareness } from 'y-protocols/awareness';
import type { AwarenessUser } from '../../schema/wire/presence.ts';
import type { AwarenessEntry } from './protocol.ts';

/** Client ids one connection may hold at once (tabs share nothing; a provider uses one). */
export const MAX_AWARENESS_IDS_PER_CONNECTION = 4;

/** Who holds a client id, seen from the sending connection. */
export type AwarenessHolder = 'self' | 'other' | 'nobody';

export interface AwarenessSender {
  /** Written into every state it sets. */
  user: AwarenessUser;
  /** How many ids it holds now. */
  held: number;
  holderOf(clientId: number): AwarenessHolder;
}

export type AwarenessVerdict =
  /** The entries to apply (possibly none), their states rewritten. */
  | { ok: true; entries: AwarenessEntry[] }
  | { ok: false; reason: string };

const encoder = new TextEncoder();

export function guardAwareness(
  entries: readonly AwarenessEntry[],
  sender: AwarenessSender,
  maxStateBytes: number,
  maxIds = MAX_AWARENESS_IDS_PER_CONNECTION,
): AwarenessVerdict {
  const kept: AwarenessEntry[] = [];
  const claimed: number[] = [];
  for (const entry of entries) {
    const holder = claimed.includes(entry.clientId) ? 'self' : sender.holderOf(entry.clientId);
    switch (holder) {
      case 'other':
        continue;
      case 'nobody':
        // Removing an entry nobody holds changes nothing; announcing one claims it, within the cap.
        if (entry.state === null || sender.held + claimed.length >= maxIds) continue;
        break;
      case 'self':
        break;
      default: {
        const never: never = holder;
        throw new Error(`unknown holder ${String(never)}`);
      }
    }
    if (entry.state === null) {
      kept.push(entry);
      continue;
    }
    if (!isPlainObject(entry.state)) continue;
    const state = withUser(entry.state, sender.user);
    if (encoder.encode(JSON.stringify(state)).length > maxStateBytes) {
      return { ok: false, reason: 'Awareness state too large' };
    }
    if (holder === 'nobody') claimed.push(entry.clientId);
    kept.push({ clientId: entry.clientId, clock: entry.clock, state });
  }
  return { ok: true, entries: kept };
}

/** The state with its `user` replaced by the session's, or removed when the state names nobody. */
function withUser(state: Record<string, unknown>, user: AwarenessUser): Record<string, unknown> {
  const { user: claimed, ...rest } = state;
  const named = isPlainObject(claimed) && typeof claimed.name === 'string' && claimed.name.length > 0;
  return named ? { ...rest, user } : rest;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Who holds `clientId` in a document, seen from `self`: the ids in a
 * connection's `awarenessIds` are its own; any other present entry (another
 * node's client), or the hub's own id, is someone else's.
 */
export function awarenessHolder(
  awareness: Awareness,
  peers: Iterable<{ readonly awarenessIds: ReadonlySet<number> }>,
  self: { readonly awarenessIds: ReadonlySet<number> },
  clientId: number,
): AwarenessHolder {
  if (self.awarenessIds.has(clientId)) return 'self';
  if (clientId === awareness.clientID || awareness.getStates().has(clientId)) return 'other';
  for (const peer of peers) if (peer.awarenessIds.has(clientId)) return 'other';
  return 'nobody';
}
