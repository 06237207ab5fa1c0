/** How long ago a notification came, in the interface language (pure: `now` is passed in). */
import type { Locale } from '../../../schema/wire/user.ts';

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** Older than this shows the date instead of "n days ago". */
const RELATIVE_DAYS_MAX = 6;

const relative = new Map<Locale, Intl.RelativeTimeFormat>();
const absolute = new Map<Locale, Intl.DateTimeFormat>();

export function notificationTime(iso: string, now: number, locale: Locale): string {
  const at = Date.parse(iso);
  if (!Number.isFinite(at)) return '';
  const ago = Math.max(0, now - at);
  if (ago < MINUTE_MS) return relativeFormat(locale).format(0, 'second');
  if (ago < HOUR_MS) return relativeFormat(locale).format(-Math.floor(ago / MINUTE_MS), 'minute');
  if (ago < DAY_MS) return relativeFormat(locale).format(-Math.floor(ago / HOUR_MS), 'hour');
  if (ago < (RELATIVE_DAYS_MAX + 1) * DAY_MS) return relativeFormat(locale).format(-Math.floor(ago / DAY_MS), 'day');
  let f = absolute.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    absolute.set(locale, f);
  }
  return f.format(at);
}

function relativeFormat(locale: Locale): Intl.RelativeTimeFormat {
  let f = relative.get(locale);
  if (!f) {
    f = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
    relative.set(locale, f);
  }
  return f;
}
