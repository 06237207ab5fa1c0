/**
 * Lookups by key, coalesced: one query at a time, the keys asked for while it runs (and in the
 * same turn of the event loop) going together into the next, at most `max` per query. A burst
 * of lookups (clients reconnecting, an import editing many customers) costs a few statements
 * instead of one each; a lone lookup waits one turn. `fetch` answers a value for every key given.
 */
export function coalesced<K, V>(fetch: (keys: K[]) => Promise<Map<K, V>>, max: number): (key: K) => Promise<V> {
  type Waiter = { resolve: (v: V) => void; reject: (e: unknown) => void };
  const waiting = new Map<K, Waiter[]>();
  let running = false;
  let scheduled = false;
  const run = async () => {
    scheduled = false;
    if (running || waiting.size === 0) return;
    running = true;
    const keys = [...waiting.keys()].slice(0, max);
    const batch = new Map(keys.map((k) => [k, waiting.get(k)!]));
    for (const k of keys) waiting.delete(k);
    try {
      const values = await fetch(keys);
      for (const [k, ws] of batch) for (const w of ws) w.resolve(values.get(k)!);
    } catch (err) {
      for (const ws of batch.values()) for (const w of ws) w.reject(err);
    } finally {
      running = false;
      if (waiting.size > 0) void run();
    }
  };
  return (key) =>
    new Promise<V>((resolve, reject) => {
      const ws = waiting.get(key);
      if (ws) ws.push({ resolve, reject });
      else waiting.set(key, [{ resolve, reject }]);
      if (!running && !scheduled) {
        scheduled = true;
        setImmediate(() => void run());
      }
    });
}
