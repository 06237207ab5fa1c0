/**
 * Checks a field value before it is written into the live document, so the
 * user sees the problem next to the field instead of a refused update. Same
 * rules as the server's (schema/wire/customer.ts, schema/wire/docs.ts).
 */
import { CUSTOMER_FIELD_MAX, type CustomerFieldName } from '../../../schema/wire/docs.ts';
import { isSafeLink } from '../../../schema/wire/links.ts';

export type FieldIssue = 'required' | 'tooLong' | 'phone' | 'email' | 'website';

const PHONE_PATTERN = /^\+?[0-9(][0-9 ()./-]*$/;
const PHONE_DIGITS_MIN = 3;
const PHONE_DIGITS_MAX = 20;
const EMAIL_PATTERN = /^[^\s@<>()",;]+@[^\s@<>()",;]+\.[^\s@<>()",;.]+$/;

export function fieldIssue(field: CustomerFieldName, raw: string): FieldIssue | null {
  const value = raw.trim();
  if (value.length > CUSTOMER_FIELD_MAX[field]) return 'tooLong';
  switch (field) {
    case 'name':
      return value === '' ? 'required' : null;
    case 'phone': {
      if (value === '') return null;
      const digits = value.replace(/\D/g, '').length;
      return PHONE_PATTERN.test(value) && digits >= PHONE_DIGITS_MIN && digits <= PHONE_DIGITS_MAX ? null : 'phone';
    }
    case 'email':
      return value === '' || EMAIL_PATTERN.test(value) ? null : 'email';
    case 'website':
      return value === '' || isSafeLink(value) ? null : 'website';
    default:
      return null;
  }
}
