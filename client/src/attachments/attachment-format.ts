/** Sizes and dates of attachments, in the reader's language. */
import { currentLocale as getLocale } from '../app/localization.ts';

const KB = 1024;
const MB = 1024 * 1024;

export function formatSize(bytes: number): string {
  const locale = getLocale();
  if (bytes < KB) return new Intl.NumberFormat(locale, { style: 'unit', unit: 'byte', unitDisplay: 'narrow' }).format(bytes);
  const [value, unit] = bytes < MB ? [bytes / KB, 'kilobyte'] : [bytes / MB, 'megabyte'];
  return new Intl.NumberFormat(locale, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: value < 10 ? 1 : 0 }).format(value);
}

export function formatDate(iso: string): string {
  return new Intl.DateTimeFormat(getLocale(), { dateStyle: 'medium' }).format(new Date(iso));
}
