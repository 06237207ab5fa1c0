/**
 * What each person on a board shares through awareness (never stored):
 * who they are (the `user` field, which the server writes from the session,
 * role included), and in meeting mode whether they present, the card they
 * focus and the filters they apply. Pure: parsing and choosing, no IO.
 */
import type { Role } from '../../../schema/wire/user.ts';
import { isManagerOrAdmin } from '../../../schema/policy/access.ts';
import { type BoardFilters, NO_FILTERS } from './board-model.ts';

export interface PresenceUser {
  id: string;
  name: string;
  role: Role;
}

export interface BoardPresence {
  user: PresenceUser;
  presenting: boolean;
  focusedCardId: string | null;
  filters: BoardFilters;
}

/** A person on the board as others see them (one entry per awareness client). */
export interface Peer extends BoardPresence {
  clientId: number;
}

const NAME_MAX = 120;
const ID_MAX = 64;
const MONTH = /^\d{4}-\d{2}$/;

const shortString = (v: unknown, max: number): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

/** Reads an awareness state defensively: anyone can put anything there. */
export function parsePresence(state: unknown): BoardPresence | null {
  if (typeof state !== 'object' || state === null) return null;
  const s = state as Record<string, unknown>;
  const u = s.user as Record<string, unknown> | undefined;
  if (!u || !shortString(u.id, ID_MAX) || !shortString(u.name, NAME_MAX)) return null;
  const role: Role = u.role === 'admin' || u.role === 'manager' ? u.role : 'rep';
  const f = (s.filters ?? {}) as Record<string, unknown>;
  const filters: BoardFilters = {
    ownerId: shortString(f.ownerId, ID_MAX) ? f.ownerId : null,
    closeMonth: typeof f.closeMonth === 'string' && MONTH.test(f.closeMonth) ? f.closeMonth : null,
  };
  return {
    user: { id: u.id, name: u.name, role },
    // Only those who may present a meeting (the policy's `present`) are followed as presenters.
    presenting: s.presenting === true && isManagerOrAdmin({ role }),
    focusedCardId: shortString(s.focusedCardId, ID_MAX) ? s.focusedCardId : null,
    filters,
  };
}

export function ownPresence(user: PresenceUser): BoardPresence {
  return { user, presenting: false, focusedCardId: null, filters: NO_FILTERS };
}

/** One avatar per person (several tabs of one person show once), the presenter first, then by name. */
export function distinctPeople(peers: readonly Peer[]): Peer[] {
  const byUser = new Map<string, Peer>();
  for (const p of peers) {
    const seen = byUser.get(p.user.id);
    if (!seen || (p.presenting && !seen.presenting)) byUser.set(p.user.id, p);
  }
  return [...byUser.values()].sort(
    (a, b) => Number(b.presenting) - Number(a.presenting) || a.user.name.localeCompare(b.user.name),
  );
}

/** The presenter others would follow: the first presenting peer by client id (stable on every board). */
export function findPresenter(peers: readonly Peer[], selfUserId: string): Peer | null {
  const presenting = peers.filter((p) => p.presenting && p.user.id !== selfUserId).sort((a, b) => a.clientId - b.clientId);
  return presenting[0] ?? null;
}

/** Initials for an avatar: the first letters of the first two words, or the first character of CJK names. */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return '?';
  if (/[\u3400-\u9fff]/.test(words[0]![0]!)) return [...words.join('')].slice(-2).join('');
  return words
    .slice(0, 2)
    .map((w) => [...w][0]!.toUpperCase())
    .join('');
}
