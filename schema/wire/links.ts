/**
 * Links that users type (a customer's website) and that pages render as `<a href>`. Only
 * http, https, mailto and tel, or a bare domain (`example.com`, `华为.com/about`) that is
 * rendered as https. Anything else — `javascript:alert(1)//x.com`, `data:`, `//host` — is
 * refused when written and never rendered as a link. Pure; shared by the REST schemas, the
 * import, the client and (for the lead to wire) the live-document validator.
 */

export const SAFE_LINK_SCHEMES = ['http:', 'https:', 'mailto:', 'tel:'] as const;

/** Spaces (but in tel:), controls and the characters that break out of an attribute or a URL. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses.
const FORBIDDEN = /[\s\u0000-\u001f\u007f<>"'`\\]/;
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
/** Host labels of letters (any script), digits and inner hyphens; a letter TLD or punycode; then an optional port and path. */
const BARE_DOMAIN = /^(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+(?:\p{L}{2,63}|xn--[a-z0-9-]{1,59})(?::\d{1,5})?(?:[/?#].*)?$/iu;
const TEL = /^tel:\+?[0-9()./ -]{3,40}$/i;
const MAILTO = /^mailto:[^@?]+@[^@?]+\.[^@?]+(?:\?.*)?$/i;

function isBareDomain(s: string): boolean {
  return BARE_DOMAIN.test(s);
}

function isWebUrl(s: string): boolean {
  try {
    const url = new URL(s);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.includes('.');
  } catch {
    return false;
  }
}

/** True for a link that may be stored and rendered: http(s), mailto, tel, or a bare domain. */
export function isSafeLink(raw: string): boolean {
  if (TEL.test(raw)) return true;
  if (raw === '' || raw.length > 2048 || FORBIDDEN.test(raw)) return false;
  const scheme = SCHEME.exec(raw)?.[1]?.toLowerCase();
  // `example.com:8080/x` looks like scheme "example.com": a bare domain with a port.
  if (scheme === undefined || isBareDomain(raw)) return isBareDomain(raw);
  switch (scheme) {
    case 'http':
    case 'https':
      return isWebUrl(raw);
    case 'mailto':
      return MAILTO.test(raw);
    default:
      return false;
  }
}

/** The href to render for a stored link (a bare domain gets https://), or null: show it as text. */
export function linkHref(raw: string): string | null {
  const s = raw.trim();
  if (!isSafeLink(s)) return null;
  return SCHEME.exec(s) && !isBareDomain(s) ? s : `https://${s}`;
}
