/** Numbers, money, percentages and dates of reports, in the interface language (Intl). */
import type { Locale } from '../../../schema/wire/user.ts';

const cache = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string, key: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const k = `${locale}|${key}`;
  let f = cache.get(k);
  if (!f) {
    try {
      f = new Intl.NumberFormat(locale, options);
    } catch {
      f = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
    }
    cache.set(k, f);
  }
  return f;
}

export function formatCount(n: number, locale: Locale): string {
  return numberFormat(locale, 'count', { maximumFractionDigits: 0 }).format(n);
}

export function formatDecimal(n: number, locale: Locale): string {
  return numberFormat(locale, 'decimal', { maximumFractionDigits: 1 }).format(n);
}

/** An amount in its currency, whole units (report figures are summaries). */
export function formatAmount(n: number, currency: string, locale: Locale): string {
  return numberFormat(locale, `money|${currency}`, { style: 'currency', currency, maximumFractionDigits: 0 }).format(n);
}

/** A short amount for chart axes (¥1.2M / ¥120万). */
export function formatCompactAmount(n: number, currency: string, locale: Locale): string {
  return numberFormat(locale, `compact|${currency}`, { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 }).format(n);
}

/** A ratio 0..1 as a percentage. */
export function formatPercent(ratio: number, locale: Locale): string {
  return numberFormat(locale, 'percent', { style: 'percent', maximumFractionDigits: 1 }).format(ratio);
}

const dateCache = new Map<string, Intl.DateTimeFormat>();

function dateFormat(locale: string, key: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const k = `${locale}|${key}`;
  let f = dateCache.get(k);
  if (!f) {
    f = new Intl.DateTimeFormat(locale, { ...options, timeZone: 'UTC' });
    dateCache.set(k, f);
  }
  return f;
}

/** A YYYY-MM-DD day (no time zone). */
export function formatDay(day: string, locale: Locale): string {
  const d = new Date(`${day.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? day : dateFormat(locale, 'day', { year: 'numeric', month: 'short', day: 'numeric' }).format(d);
}

/** A YYYY-MM month. */
export function formatMonthLabel(month: string, locale: Locale): string {
  const d = new Date(`${month.slice(0, 7)}-01T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? month : dateFormat(locale, 'month', { year: 'numeric', month: 'short' }).format(d);
}

/** An instant, in the browser's time zone. */
export function formatInstant(at: string, locale: Locale): string {
  const d = new Date(at);
  if (Number.isNaN(d.getTime())) return at;
  return new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' }).format(d);
}

/** Today as YYYY-MM-DD in the browser's time zone. */
export function localToday(now = new Date()): string {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}
