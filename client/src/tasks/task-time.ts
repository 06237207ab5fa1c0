/** Due times on the tasks screens: `<input type="datetime-local">` values and display text (pure). */
import type { Locale } from '../../../schema/wire/user.ts';

const pad = (n: number) => String(n).padStart(2, '0');

/** An ISO instant as a datetime-local value in the browser's zone ('' for none). */
export function toLocalInput(iso: string | null): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** A datetime-local value (browser's zone) as an ISO instant; null for empty, undefined when unreadable. */
export function fromLocalInput(value: string): string | null | undefined {
  if (!value) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

const formats = new Map<string, Intl.DateTimeFormat>();

function format(locale: Locale, opts: Intl.DateTimeFormatOptions, key: string): Intl.DateTimeFormat {
  const k = `${locale}|${key}`;
  let f = formats.get(k);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, opts);
    formats.set(k, f);
  }
  return f;
}

/** "14:30" for a time within [dayStart, dayEnd), else the date and time. */
export function dueText(iso: string, locale: Locale, dayStart: string, dayEnd: string): string {
  const at = Date.parse(iso);
  if (at >= Date.parse(dayStart) && at < Date.parse(dayEnd)) return format(locale, { timeStyle: 'short' }, 'time').format(at);
  return format(locale, { dateStyle: 'medium', timeStyle: 'short' }, 'datetime').format(at);
}
