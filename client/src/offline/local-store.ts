/**
 * One IndexedDB object store of the signed-in user's local data
 * (`tandem:<userId>:<name>`, local-data.ts), for what is kept beside the live
 * documents: the outbox, the lists' last answers. It follows the local scope:
 * nothing is opened without one (nobody signed in, a shared computer), the
 * database is registered for the wipe, and it is closed when the wipe comes so
 * that the deletion is not held up.
 */
import { LOCAL_DB_PREFIX, localScope, onLocalWipe, rememberLocalDb } from './local-data.ts';

export class LocalStore {
  private db: { userId: string; handle: Promise<IDBDatabase> } | null = null;

  constructor(
    /** The database's name after the user id: `tandem:<userId>:<name>`. */
    private readonly name: string,
    private readonly store: string,
    private readonly options: IDBObjectStoreParameters,
  ) {
    onLocalWipe(() => {
      const closing = this.db;
      this.db = null;
      void closing?.handle.then((h) => h.close()).catch(() => undefined);
    });
  }

  dbName(userId: string): string {
    return `${LOCAL_DB_PREFIX}${userId}:${this.name}`;
  }

  /** Whether the current user has this database yet (a read should never create one). */
  async exists(): Promise<boolean> {
    const userId = localScope();
    if (!userId || typeof indexedDB === 'undefined') return false;
    if (this.db?.userId === userId || typeof indexedDB.databases !== 'function') return true;
    const name = this.dbName(userId);
    return (await indexedDB.databases().catch(() => [])).some((d) => d.name === name);
  }

  /** The open database of the current user, opened (and created) on first use; null without a local scope. */
  open(): Promise<IDBDatabase> | null {
    const userId = localScope();
    if (!userId || typeof indexedDB === 'undefined') return null;
    if (this.db?.userId === userId) return this.db.handle;
    const name = this.dbName(userId);
    rememberLocalDb(name);
    const { store, options } = this;
    const handle = new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open(name, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(store, options);
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
    this.db = { userId, handle };
    return handle;
  }

  /** One request in its own transaction, answered once the transaction commits; null without a local scope. */
  run<T>(mode: IDBTransactionMode, fn: (store: IDBObjectStore) => IDBRequest<T>): Promise<T | null> {
    const handle = this.open();
    if (!handle) return Promise.resolve(null);
    return handle.then(
      (h) =>
        new Promise<T>((resolve, reject) => {
          const tx = h.transaction(this.store, mode);
          const req = fn(tx.objectStore(this.store));
          tx.oncomplete = () => resolve(req.result);
          tx.onerror = () => reject(tx.error);
          tx.onabort = () => reject(tx.error);
        }),
    );
  }
}
