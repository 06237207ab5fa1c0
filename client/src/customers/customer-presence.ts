/**
 * What each person on a customer page shares through the document's
 * awareness, beside the `user` the server vouches for: which field they are
 * editing, and a counter bumped when they change contacts (which live in REST
 * rows, not the document), so the other pages refetch them. y-prosemirror
 * adds its own `cursor` entry.
 */
import type { DocPeer } from '../realtime/doc-controller.ts';

export interface PresenceUser {
  id: string;
  name: string;
  /** A colour for avatars, field markers and the note cursor. */
  color: string;
}

/** The awareness fields of a customer page (set through DocController.setLocalField). */
export const CUSTOMER_PRESENCE = {
  /** The field being edited (a `fields` key, or `tags` / `notes`), or null. */
  focus: 'focus',
  /** Bumped after each contact change made on this page. */
  contactsRev: 'contactsRev',
} as const;

export interface Peer {
  clientId: number;
  user: PresenceUser;
  focus: string | null;
  contactsRev: number;
}

const FOCUS_MAX = 40;

/** A peer's customer-page fields, checked: other clients may send anything. */
export function customerPeer(peer: DocPeer): Peer {
  const focus = peer.state[CUSTOMER_PRESENCE.focus];
  const rev = peer.state[CUSTOMER_PRESENCE.contactsRev];
  return {
    clientId: peer.clientId,
    user: peer.user,
    focus: typeof focus === 'string' ? focus.slice(0, FOCUS_MAX) : null,
    contactsRev: typeof rev === 'number' && Number.isFinite(rev) ? rev : 0,
  };
}

/** One or two letters for an avatar. */
export function initials(name: string): string {
  const trimmed = name.trim();
  if (!trimmed) return '?';
  const chars = [...trimmed];
  // Chinese names: the given name's last character(s) read better than the family name alone.
  if (/\p{Script=Han}/u.test(trimmed)) return chars.slice(-2).join('');
  const parts = trimmed.split(/\s+/);
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? (parts[parts.length - 1]?.[0] ?? '') : '')).toUpperCase();
}
