/**
 * Who is asking, as far as the network tells: the client's address and user agent, for the
 * sign-in limits and the security events. Behind a reverse proxy (TRUST_PROXY) the address
 * is the first of X-Forwarded-For; otherwise the socket's.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

/** Longest address and user agent kept: anything longer is not a real one and is cut. */
export const ADDRESS_MAX = 100;
export const USER_AGENT_MAX = 300;

export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',')[0]?.trim();
    if (forwarded) return forwarded.slice(0, ADDRESS_MAX);
  }
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown'; // app.request() in tests has no socket
  }
}

export function userAgent(c: Context): string | null {
  return c.req.header('user-agent')?.slice(0, USER_AGENT_MAX) || null;
}

/**
 * The address as limits count it. One IPv6 subscriber usually holds a whole /64 and can pick
 * any address in it, so IPv6 addresses count by their /64; an IPv4 address mapped into IPv6
 * (`::ffff:192.0.2.1`) counts as itself. Pure.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped && isIPv4(mapped[1]!)) return mapped[1]!;
  if (!isIPv6(address)) return address;
  return `${expandIPv6(address).slice(0, 4).join(':')}::/64`;
}

/** The eight groups of an IPv6 address, without a zone, lower-case and without leading zeros. */
function expandIPv6(address: string): string[] {
  const bare = address.split('%')[0]!.toLowerCase();
  // A trailing dotted IPv4 part (`::1.2.3.4`) is the last two groups.
  const withoutV4 = bare.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_, a, b, c, d) =>
    [((+a << 8) | +b).toString(16), ((+c << 8) | +d).toString(16)].join(':'),
  );
  const [head = '', tail] = withoutV4.split('::');
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const zeros = Array<string>(8 - left.length - right.length).fill('0');
  return [...left, ...(tail === undefined ? [] : zeros), ...right].map((g) => Number.parseInt(g, 16).toString(16));
}
