/**
 * What Tandem keeps in this browser for working offline, and when it is wiped
 * (docs/offline.md). One scope at a time: the signed-in user whose live
 * documents are kept in IndexedDB, one database per document, named
 * `tandem:<userId>:<docName>` (`localDocName`), plus the last known user in
 * localStorage so that a reload without a network can open the app.
 *
 * Nothing is kept when the user ticked "shared computer" at sign-in (a choice
 * held in sessionStorage: it ends with the tab, never persisted). Everything
 * is deleted on sign-out, when another user signs in on this browser, and when
 * the session turns out to be over (401).
 */
import type { UserDto } from '../../../schema/wire/user.ts';

/** Every database and storage key of Tandem's local data starts with this. */
export const LOCAL_DB_PREFIX = 'tandem:';
const USER_KEY = 'tandem.offline.user';
/** The database names created, for browsers without `indexedDB.databases()`. */
const DB_INDEX_KEY = 'tandem.offline.dbs';
const SHARED_DEVICE_KEY = 'tandem.sharedDevice';

let scope: string | null = null;

/** The IndexedDB name of one live document of one user. */
export const localDocName = (userId: string, docName: string) => `${LOCAL_DB_PREFIX}${userId}:${docName}`;

const storageAvailable = () => typeof indexedDB !== 'undefined' && typeof localStorage !== 'undefined';

/** The user whose documents are kept locally now, or null (nobody signed in, shared computer, or no IndexedDB). */
export function localScope(): string | null {
  return scope;
}

/** "Shared computer" for this tab: keep nothing locally until the tab is closed. */
export function setSharedDevice(shared: boolean): void {
  if (typeof sessionStorage === 'undefined') return;
  if (shared) sessionStorage.setItem(SHARED_DEVICE_KEY, '1');
  else sessionStorage.removeItem(SHARED_DEVICE_KEY);
}

export function isSharedDevice(): boolean {
  return typeof sessionStorage !== 'undefined' && sessionStorage.getItem(SHARED_DEVICE_KEY) === '1';
}

/**
 * A user is signed in (or came back offline): keep their documents from now
 * on. Another user's local data is wiped first; on a shared computer nothing is
 * kept (and anything left from before is wiped).
 */
export async function enterLocalScope(user: UserDto): Promise<void> {
  if (!storageAvailable()) return;
  const previous = lastLocalUser();
  if (isSharedDevice() || (previous && previous.id !== user.id)) await wipeLocalData();
  if (isSharedDevice()) return;
  localStorage.setItem(USER_KEY, JSON.stringify(user));
  scope = user.id;
}

/** The user last signed in with local data on this browser (to open the app offline), or null. */
export function lastLocalUser(): UserDto | null {
  if (!storageAvailable() || isSharedDevice()) return null;
  try {
    const user = JSON.parse(localStorage.getItem(USER_KEY) ?? 'null') as UserDto | null;
    return user && typeof user.id === 'string' ? user : null;
  } catch {
    return null;
  }
}

/** Notes a database created for the current scope (see DB_INDEX_KEY). */
export function rememberLocalDb(name: string): void {
  const names = indexedNames();
  if (names.includes(name)) return;
  localStorage.setItem(DB_INDEX_KEY, JSON.stringify([...names, name]));
}

/**
 * The live documents this browser keeps for the current user (those opened
 * here), by document name: the ones that open offline. Empty without a scope.
 */
export function keptDocNames(): ReadonlySet<string> {
  if (scope === null) return new Set();
  const prefix = localDocName(scope, '');
  return new Set(indexedNames().filter((n) => n.startsWith(prefix)).map((n) => n.slice(prefix.length)));
}

function indexedNames(): string[] {
  try {
    const names = JSON.parse(localStorage.getItem(DB_INDEX_KEY) ?? '[]') as unknown;
    return Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : [];
  } catch {
    return [];
  }
}

/** Subscribers closing their open databases before a wipe (a deletion waits for open connections). */
const wipeListeners = new Set<() => void>();
export function onLocalWipe(listener: () => void): () => void {
  wipeListeners.add(listener);
  return () => wipeListeners.delete(listener);
}

/** Deletes every Tandem database and the remembered user; stops keeping anything until the next `enterLocalScope`. */
export async function wipeLocalData(): Promise<void> {
  scope = null;
  if (!storageAvailable()) return;
  for (const listener of [...wipeListeners]) listener();
  const names = new Set(indexedNames());
  if (typeof indexedDB.databases === 'function') {
    for (const db of await indexedDB.databases().catch(() => [])) if (db.name?.startsWith(LOCAL_DB_PREFIX)) names.add(db.name);
  }
  await Promise.all([...names].map(deleteDatabase));
  localStorage.removeItem(USER_KEY);
  localStorage.removeItem(DB_INDEX_KEY);
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = req.onerror = () => resolve();
    // Another tab still holds it open: it is deleted once that tab lets go.
    req.onblocked = () => resolve();
  });
}
