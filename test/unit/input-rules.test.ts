/** The pure rules behind "no input is answered with a 5xx" (docs/security.md). */
import { describe, expect, it } from 'vitest';
import { isoDateSchema, isoDateTimeSchema } from '../../schema/wire/dates.ts';
import { isUuid } from '../../schema/wire/ids.ts';
import { isIdempotencyKey } from '../../schema/wire/idempotency.ts';
import { fieldName, findUnsafeText, unsafeTextIn } from '../../schema/wire/safe-text.ts';
import { isCursorTime } from '../../server/http/cursor-time.ts';
import { securityHeaderValues } from '../../server/http/security-headers.ts';

describe('safe text', () => {
  it('finds NUL and unpaired surrogates, not surrogate pairs', () => {
    expect(unsafeTextIn('华为 Acme 😀')).toBeNull();
    expect(unsafeTextIn('a\u0000b')).toBe('nul');
    expect(unsafeTextIn('x\uD800')).toBe('lone-surrogate');
    expect(unsafeTextIn('\uDC00y')).toBe('lone-surrogate');
    expect(unsafeTextIn('\uDE00\uD83D')).toBe('lone-surrogate');
  });

  it('names where in a JSON value, keys included', () => {
    expect(findUnsafeText({ a: 1, items: [{ description: 'ok' }, { description: 'x\u0000' }] })).toEqual({
      path: ['items', '1', 'description'],
      problem: 'nul',
    });
    expect(findUnsafeText({ query: { 'ta\uD800gs': [] } })).toEqual({ path: ['query', 'ta\uD800gs'], problem: 'lone-surrogate' });
    expect(findUnsafeText('\u0000')).toEqual({ path: [], problem: 'nul' });
    expect(findUnsafeText({ a: [1, true, null, 'ok'] })).toBeNull();
    expect(fieldName(['query', 'ta\uD800gs'])).toBe('query.ta\uFFFDgs');
  });

  it('walks deep nesting without recursion', () => {
    const deep = JSON.parse(`${'['.repeat(100_000)}"\\u0000"${']'.repeat(100_000)}`);
    expect(findUnsafeText(deep)?.path).toHaveLength(100_000);
  });
});

describe('ids, cursors, dates, keys', () => {
  it('takes the standard UUID form only', () => {
    expect(isUuid('0F1E2D3C-4B5A-4978-8695-a4b3c2d1e0f9')).toBe(true);
    expect(isUuid('-'.repeat(36))).toBe(false);
    expect(isUuid('0f1e2d3c4b5a49788695a4b3c2d1e0f9')).toBe(false);
  });

  it('takes cursor times that are real instants from year 1 to 9999', () => {
    expect(isCursorTime('2026-02-28T23:59:59.123456Z')).toBe(true);
    expect(isCursorTime('0001-01-01T00:00:00Z')).toBe(true);
    for (const bad of ['9999-99-99T99:99:99.999999Z', '2026-02-30T00:00:00Z', '0000-01-01T00:00:00Z', '2026-01-01T24:00:00Z', '2026-01-01 00:00:00Z']) {
      expect(isCursorTime(bad), bad).toBe(false);
    }
  });

  it('takes dates and times within the years 1–9999 in UTC', () => {
    expect(isoDateSchema.safeParse('2024-02-29').success).toBe(true);
    expect(isoDateSchema.safeParse('2026-02-29').success).toBe(false);
    expect(isoDateSchema.safeParse('0000-01-01').success).toBe(false);
    expect(isoDateTimeSchema.safeParse('2026-01-01T08:00:00+08:00').success).toBe(true);
    expect(isoDateTimeSchema.safeParse('9999-12-31T23:59:59-14:00').success).toBe(false);
    expect(isoDateTimeSchema.safeParse('0001-01-01T00:00:00+01:00').success).toBe(false);
  });

  it('takes Idempotency-Keys of 1–200 printable ASCII characters', () => {
    expect(isIdempotencyKey('a3f9-form 1')).toBe(true);
    expect(isIdempotencyKey('k'.repeat(200))).toBe(true);
    expect(isIdempotencyKey('')).toBe(false);
    expect(isIdempotencyKey('k'.repeat(201))).toBe(false);
    expect(isIdempotencyKey('clé')).toBe(false);
    expect(isIdempotencyKey('a\tb')).toBe(false);
  });
});

describe('security headers', () => {
  it('sends HSTS only over https', () => {
    expect(securityHeaderValues({ https: false })['Strict-Transport-Security']).toBeUndefined();
    expect(securityHeaderValues({ https: true })['Strict-Transport-Security']).toBe('max-age=31536000');
    expect(securityHeaderValues({ https: false })['Content-Security-Policy']).toBe(
      "default-src 'self'; script-src 'self'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'",
    );
  });
});
