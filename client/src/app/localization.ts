/**
 * Runtime localization with @lit/localize. Source strings are English and
 * carry explicit ids (`msg('Customers', { id: 'nav.customers' })`); each other
 * locale is a hand-written module under `locales/` exporting `templates`.
 */
import { configureLocalization } from '@lit/localize';
import type { Locale } from '../../../schema/wire/user.ts';

export const SOURCE_LOCALE: Locale = 'en';
export const SUPPORTED_LOCALES: readonly Locale[] = ['en', 'zh-CN'];
/** Where the language chosen on the sign-in page is remembered until someone signs in. */
const STORED_LOCALE_KEY = 'tandem.locale';

const { getLocale, setLocale } = configureLocalization({
  sourceLocale: SOURCE_LOCALE,
  targetLocales: ['zh-CN'],
  loadLocale: (locale) => {
    switch (locale) {
      case 'zh-CN':
        return import('../locales/zh-CN.ts');
      default:
        return Promise.reject(new Error(`unknown locale ${locale}`));
    }
  },
});

export function isLocale(v: unknown): v is Locale {
  return typeof v === 'string' && (SUPPORTED_LOCALES as readonly string[]).includes(v);
}

export function currentLocale(): Locale {
  const l = getLocale();
  return isLocale(l) ? l : SOURCE_LOCALE;
}

/** The best supported match for a list of BCP 47 tags (e.g. navigator.languages). */
export function matchLocale(tags: readonly string[]): Locale {
  for (const tag of tags) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return SOURCE_LOCALE;
}

/** The language before anyone signs in: the one picked on this device, else the browser's. */
export function signedOutLocale(): Locale {
  try {
    const stored = localStorage.getItem(STORED_LOCALE_KEY);
    if (isLocale(stored)) return stored;
  } catch {
    // Storage can be unavailable (privacy modes); the browser language decides then.
  }
  return matchLocale(navigator.languages.length > 0 ? navigator.languages : [navigator.language]);
}

export function rememberLocale(locale: Locale): void {
  try {
    localStorage.setItem(STORED_LOCALE_KEY, locale);
  } catch {
    // Not remembered; the browser language applies next time.
  }
}

/** Switches the language; every element using updateWhenLocaleChanges re-renders. */
export async function applyLocale(locale: Locale): Promise<void> {
  document.documentElement.lang = locale;
  if (getLocale() !== locale) await setLocale(locale);
}
