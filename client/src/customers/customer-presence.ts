/**
 * What each person on a customer page shares through the document's
 * awareness: who they are, which field they are editing, and a counter bumped
 * when they change contacts (which live in REST rows, not the document), so
 * the other pages refetch them. y-prosemirror adds its own `cursor` entry.
 */

export interface PresenceUser {
  id: string;
  name: string;
  /** A colour for avatars, field markers and the note cursor. */
  color: string;
}

export interface CustomerPresence {
  user: PresenceUser;
  /** The field being edited (a `fields` key, or `tags` / `notes`), or null. */
  focus: string | null;
  /** Bumped after each contact change made on this page. */
  contactsRev: number;
}

export interface Peer extends CustomerPresence {
  clientId: number;
}

/** Distinct, readable colours for people. */
const PALETTE = ['#d9480f', '#2b8a3e', '#1971c2', '#ae3ec9', '#e67700', '#0c8599', '#c2255c', '#5f3dc4'];
const NAME_MAX = 120;
const FOCUS_MAX = 40;

export function colorFor(userId: string): string {
  let h = 0;
  for (let i = 0; i < userId.length; i++) h = (h * 31 + userId.charCodeAt(i)) >>> 0;
  return PALETTE[h % PALETTE.length]!;
}

/** A peer's state as received, checked: other clients may send anything. */
export function parsePresence(state: unknown): CustomerPresence | null {
  if (typeof state !== 'object' || state === null) return null;
  const s = state as Record<string, unknown>;
  const user = s.user as Record<string, unknown> | undefined;
  if (!user || typeof user.id !== 'string' || typeof user.name !== 'string') return null;
  const color = typeof user.color === 'string' && /^#[0-9a-f]{6}$/i.test(user.color) ? user.color : colorFor(user.id);
  return {
    user: { id: user.id, name: user.name.slice(0, NAME_MAX), color },
    focus: typeof s.focus === 'string' ? s.focus.slice(0, FOCUS_MAX) : null,
    contactsRev: typeof s.contactsRev === 'number' ? s.contactsRev : 0,
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
