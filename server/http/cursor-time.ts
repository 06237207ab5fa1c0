/**
 * The time inside a keyset cursor. Cursors come back from clients, so a forged one must be a
 * 400, not a failed timestamp cast: only `YYYY-MM-DDTHH:MM:SS[.f…]Z` naming a real instant
 * between the years 1 and 9999 (what PostgreSQL and JavaScript both hold) passes. Pure.
 */
const CURSOR_TIME = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:\.\d{1,6})?Z$/;

export function isCursorTime(s: string): boolean {
  const m = CURSOR_TIME.exec(s);
  if (!m) return false;
  const [y, mo, d, h, mi, sec] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (y < 1) return false;
  // setUTCFullYear, not Date.UTC: the latter reads years 0–99 as 1900–1999.
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d);
  t.setUTCHours(h, mi, sec, 0);
  return (
    t.getUTCFullYear() === y &&
    t.getUTCMonth() === mo - 1 &&
    t.getUTCDate() === d &&
    t.getUTCHours() === h &&
    t.getUTCMinutes() === mi &&
    t.getUTCSeconds() === sec
  );
}
