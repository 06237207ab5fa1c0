/**
 * The lists' last answers, kept in the signed-in user's local data
 * (`tandem:<userId>:lists`, docs/offline.md "Lists") so that the customer list
 * and the task list open without a network, marked with the time they were
 * fetched. Bounded: at most `KEPT_LISTS_MAX` answers (the least recently
 * fetched go first), none larger than `KEPT_LIST_MAX_CHARS` once serialised.
 * Nothing is kept without a local scope (shared computer), and the database
 * goes with the rest of the local data on sign-out, another user's sign-in or
 * a revoked session.
 */
import { LocalStore } from './local-store.ts';

/** Answers kept at most, over all lists and filters. */
export const KEPT_LISTS_MAX = 20;
/** An answer larger than this (characters of JSON) is not kept. */
export const KEPT_LIST_MAX_CHARS = 1_000_000;

export interface KeptList<T> {
  /** The list and its query, e.g. `customers?category=vip` or `tasks:mine`. */
  key: string;
  /** When the server gave this answer (ISO). */
  savedAt: string;
  value: T;
}

const store = new LocalStore('lists', 'lists', { keyPath: 'key' });

/** The keys to delete so that at most `max` remain, the least recently saved first (pure). */
export function keptListsOverflow(kept: readonly Pick<KeptList<unknown>, 'key' | 'savedAt'>[], max: number): string[] {
  if (kept.length <= max) return [];
  return [...kept]
    .sort((a, b) => a.savedAt.localeCompare(b.savedAt) || a.key.localeCompare(b.key))
    .slice(0, kept.length - max)
    .map((k) => k.key);
}

/** Keeps the server's latest answer for `key`; quietly nothing without local data, or when too large. */
export async function keepList(key: string, value: unknown, savedAt = new Date().toISOString()): Promise<void> {
  try {
    if (!store.open() || JSON.stringify(value).length > KEPT_LIST_MAX_CHARS) return;
    await store.run('readwrite', (s) => s.put({ key, savedAt, value } satisfies KeptList<unknown>));
    // Reading every answer is needed only when there are too many (a new filter past the bound).
    if (((await store.run('readonly', (s) => s.count())) ?? 0) <= KEPT_LISTS_MAX) return;
    const all = (await store.run('readonly', (s) => s.getAll() as IDBRequest<KeptList<unknown>[]>)) ?? [];
    const drop = keptListsOverflow(all, KEPT_LISTS_MAX);
    for (const old of drop) await store.run('readwrite', (s) => s.delete(old));
  } catch {
    // Keeping is a convenience: a full or blocked store never breaks the list shown.
  }
}

/** The kept answer for `key`, if this device has one for the signed-in user. */
export async function keptList<T>(key: string): Promise<KeptList<T> | undefined> {
  try {
    if (!(await store.exists())) return undefined;
    return (await store.run('readonly', (s) => s.get(key) as IDBRequest<KeptList<T> | undefined>)) ?? undefined;
  } catch {
    return undefined;
  }
}
