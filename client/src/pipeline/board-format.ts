/** Money and date wording on the board, in the interface language. */
import { DEFAULT_CURRENCY } from '../../../schema/wire/board.ts';

const formatters = new Map<string, Intl.NumberFormat>();

/** An amount with its currency, without decimals when it has none (¥1,200 / CN¥1,200). */
export function formatMoney(amount: number, currency: string | undefined, locale: string): string {
  const cur = currency ?? DEFAULT_CURRENCY;
  const key = `${locale}|${cur}|${Number.isInteger(amount)}`;
  let f = formatters.get(key);
  if (!f) {
    try {
      f = new Intl.NumberFormat(locale, {
        style: 'currency',
        currency: cur,
        maximumFractionDigits: Number.isInteger(amount) ? 0 : 2,
      });
    } catch {
      f = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
    }
    formatters.set(key, f);
  }
  return f.format(amount);
}

/** A compact sum for column headers (¥1.2M / ¥120万). */
export function formatCompactMoney(amount: number, locale: string): string {
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: DEFAULT_CURRENCY,
    notation: 'compact',
    maximumFractionDigits: 1,
  }).format(amount);
}

const dateFormatters = new Map<string, Intl.DateTimeFormat>();

/** A YYYY-MM-DD date as the locale writes it, in UTC (the date has no time zone). */
export function formatDate(iso: string, locale: string): string {
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return iso;
  let f = dateFormatters.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' });
    dateFormatters.set(locale, f);
  }
  return f.format(d);
}

/** A YYYY-MM month as the locale writes it. */
export function formatMonth(month: string, locale: string): string {
  const d = new Date(`${month}-01T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return month;
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(d);
}

/** Today as YYYY-MM-DD in the browser's time zone. */
export function todayIso(now = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}
