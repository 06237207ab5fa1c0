/**
 * Duplicate keys. Two customers of a team look like the same one when their phone digits,
 * their normalised e-mails or their name keys are equal. The name key mirrors the SQL
 * function tandem_name_key (migration 0004); a test checks that both agree.
 */

const SEPARATORS = '\\t\\n\\r \\u3000\\u0021-\\u002f\\u003a-\\u0040\\u005b-\\u0060\\u007b-\\u007e';
const LATIN_SUFFIX = new RegExp(`([${SEPARATORS}]+(co|ltd|inc|llc|plc|corp|corporation|company|limited|gmbh))+[${SEPARATORS}]*$`);
const PUNCTUATION = new RegExp(
  `[${SEPARATORS}\\u00b7\\u2018\\u2019\\u201c\\u201d\\u3001\\u3002\\u300a-\\u3011\\uff01-\\uff0f\\uff1a-\\uff20]+`,
  'g',
);
const CHINESE_SUFFIX = /(股份有限公司|有限责任公司|有限公司|集团|公司)+$/;

/** Lower-cased, without spaces, punctuation and company suffixes ("Acme Co., Ltd." → "acme"). */
export function nameKey(name: string): string {
  const lower = name.toLowerCase();
  const key = lower.replace(LATIN_SUFFIX, '').replace(PUNCTUATION, '').replace(CHINESE_SUFFIX, '');
  return key === '' ? lower : key;
}

/** A phone's digits only. */
export function phoneDigits(phone: string): string {
  return phone.replace(/\D/g, '');
}

export function emailNorm(email: string): string {
  return email.trim().toLowerCase();
}

export type DuplicateReason = 'phone' | 'email' | 'name';

export interface DuplicateProbe {
  name?: string;
  phone?: string;
  email?: string;
}

export interface DuplicateKeys {
  nameKey: string | null;
  phoneDigits: string | null;
  emailNorm: string | null;
}

/** Phones shorter than this are too vague to call two customers the same. */
export const DUPLICATE_PHONE_DIGITS_MIN = 6;

export function duplicateKeys(p: DuplicateProbe): DuplicateKeys {
  const digits = p.phone ? phoneDigits(p.phone) : '';
  const email = p.email ? emailNorm(p.email) : '';
  const name = p.name?.trim() ? nameKey(p.name.trim()) : '';
  return {
    nameKey: name || null,
    phoneDigits: digits.length >= DUPLICATE_PHONE_DIGITS_MIN ? digits : null,
    emailNorm: email || null,
  };
}

/** Why `candidate` matches `keys` (empty: it does not). */
export function duplicateReasons(
  keys: DuplicateKeys,
  candidate: { name_key: string; phone_digits: string; email_norm: string },
): DuplicateReason[] {
  const reasons: DuplicateReason[] = [];
  if (keys.phoneDigits && candidate.phone_digits === keys.phoneDigits) reasons.push('phone');
  if (keys.emailNorm && candidate.email_norm === keys.emailNorm) reasons.push('email');
  if (keys.nameKey && candidate.name_key === keys.nameKey) reasons.push('name');
  return reasons;
}
