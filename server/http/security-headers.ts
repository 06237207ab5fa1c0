/**
 * The browser defences every response carries (pages, static files, the API, errors, and the
 * Socket.IO transport): a strict Content-Security-Policy and the usual companions, as Hono's
 * secureHeaders sets them, from one record so that the non-Hono responses get the same.
 *
 * The policy: everything from the page's own origin. Scripts — no inline script (Vite emits
 * module files only). Style sheets — Lit adopts constructable stylesheets, which style-src does
 * not govern, and the built CSS is a file: no inline <style> element is allowed. Style
 * attributes are (style-src-attr): Lit templates set them (avatar colours, dialog widths,
 * chart heights) and y-prosemirror draws remote cursors with them; Chromium refuses them
 * otherwise. A style attribute cannot run script, its url()s are bound by img-src and
 * font-src, and getting one into the page takes markup injection, which Lit's escaping
 * prevents. Images — plus `data:` for the inline favicon.
 * Connections — `'self'` covers same-origin ws:/wss: in CSP Level 3 browsers
 * (test/e2e/security.e2e.test.ts walks the app in Chromium and sees no violation).
 * HSTS only when served over https (SECURE_COOKIES=1): sent over plain http it would lock a
 * plain-http install's users out for a year.
 */
import type { MiddlewareHandler } from 'hono';

/** Seconds a browser keeps to https once told (one year). */
export const HSTS_MAX_AGE_S = 365 * 24 * 60 * 60;

export const CONTENT_SECURITY_POLICY: Readonly<Record<string, string>> = {
  'default-src': "'self'",
  'script-src': "'self'",
  'style-src': "'self'",
  'style-src-attr': "'unsafe-inline'",
  'img-src': "'self' data:",
  'font-src': "'self'",
  'connect-src': "'self'",
  'object-src': "'none'",
  'base-uri': "'self'",
  'form-action': "'self'",
  'frame-ancestors': "'none'",
};

/** Powerful features the app never uses, off for it and for anything it might embed. */
export const PERMISSIONS_OFF = ['camera', 'microphone', 'geolocation', 'payment', 'usb', 'accelerometer', 'gyroscope', 'magnetometer', 'midi'];

export function securityHeaderValues(opts: { https: boolean }): Record<string, string> {
  return {
    'Content-Security-Policy': Object.entries(CONTENT_SECURITY_POLICY)
      .map(([directive, sources]) => `${directive} ${sources}`)
      .join('; '),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'same-origin',
    'Permissions-Policy': PERMISSIONS_OFF.map((f) => `${f}=()`).join(', '),
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Origin-Agent-Cluster': '?1',
    'X-Permitted-Cross-Domain-Policies': 'none',
    // The legacy XSS auditor is itself exploitable; CSP replaces it.
    'X-XSS-Protection': '0',
    ...(opts.https ? { 'Strict-Transport-Security': `max-age=${HSTS_MAX_AGE_S}` } : {}),
  };
}

/** Sets the headers on whatever the app answered, errors and 404s included (apply it first). */
export function securityHeaders(opts: { https: boolean }): MiddlewareHandler {
  const headers = Object.entries(securityHeaderValues(opts));
  return async (c, next) => {
    await next();
    for (const [name, value] of headers) c.res.headers.set(name, value);
  };
}
