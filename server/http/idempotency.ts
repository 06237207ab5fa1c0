/**
 * `Idempotency-Key` on create routes (DESIGN.md): a repeat of a create with the same key by the
 * same user within a day gets the first answer (same status and body, plus
 * `Idempotent-Replayed: true`) and creates nothing; the same key with another request is a 409
 * `idempotency_conflict`.
 *
 * Concurrent repeats: the first request inserts a pending row (primary key user + key) before
 * it runs; a repeat that finds the row pending polls until the answer is stored, then replays
 * it. Only successful (2xx) answers are kept: a refused create stored nothing, so its key is
 * released and the client may send it again. A pending row older than a minute belongs to a
 * request that died and is taken over.
 */
import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import type { MiddlewareHandler } from 'hono';
import { IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_MAX, IDEMPOTENT_REPLAYED_HEADER, isIdempotencyKey } from '../../schema/wire/idempotency.ts';
import type { AppContext } from '../context.ts';
import { AppError, badRequest } from './app-error.ts';
import type { HonoEnv } from './env.ts';
import { answerIdempotencyKey, claimIdempotencyKey, findIdempotencyKey, releaseIdempotencyKey } from './idempotency.repository.ts';

/** How long a key holds its answer. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** A claim without an answer after this long was left by a request that died. */
export const IDEMPOTENCY_PENDING_STALE_MS = 60 * 1000;
/** How long a repeat waits for the first request's answer before a 409, and how often it looks. */
export const IDEMPOTENCY_WAIT_MAX_MS = 10 * 1000;
export const IDEMPOTENCY_POLL_MS = 20;

const conflict = (message: string) => new AppError('idempotency_conflict', 409, message, IDEMPOTENCY_KEY_HEADER);

/** What identifies a request: method, path with query, content type and body. */
export function requestHash(parts: { method: string; url: string; contentType: string; body: string }): string {
  const url = new URL(parts.url);
  return createHash('sha256')
    .update(`${parts.method} ${url.pathname}${url.search}\n${parts.contentType}\n`)
    .update(parts.body)
    .digest('hex');
}

export function idempotent(ctx: AppContext): MiddlewareHandler<HonoEnv> {
  return async (c, next) => {
    const key = c.req.header(IDEMPOTENCY_KEY_HEADER);
    if (key === undefined) return next();
    if (!isIdempotencyKey(key)) {
      throw badRequest(`${IDEMPOTENCY_KEY_HEADER}: 1 to ${IDEMPOTENCY_KEY_MAX} printable ASCII characters`, IDEMPOTENCY_KEY_HEADER);
    }
    const userId = c.get('auth')?.user.id;
    // Signed out: the route answers 401. A body that cannot be read is refused by the route.
    const body = userId ? await c.req.text().catch(() => null) : null;
    if (!userId || body === null) return next();
    const hash = requestHash({ method: c.req.method, url: c.req.url, contentType: c.req.header('content-type') ?? '', body });

    const waitUntil = performance.now() + IDEMPOTENCY_WAIT_MAX_MS;
    let claimedAt: Date;
    for (;;) {
      if (performance.now() > waitUntil) throw conflict(`${IDEMPOTENCY_KEY_HEADER}: the first request with this key is still running`);
      const now = ctx.now();
      if (await claimIdempotencyKey(ctx.db, { userId, key, requestHash: hash, now }, new Date(now.getTime() - IDEMPOTENCY_TTL_MS))) {
        claimedAt = now;
        break;
      }
      const row = await findIdempotencyKey(ctx.db, userId, key);
      if (!row) continue; // released meanwhile: claim again
      const age = now.getTime() - row.created_at.getTime();
      if (age >= IDEMPOTENCY_TTL_MS || (row.status === null && age >= IDEMPOTENCY_PENDING_STALE_MS)) {
        await releaseIdempotencyKey(ctx.db, userId, key, row.created_at);
        continue;
      }
      if (row.request_hash !== hash) throw conflict(`${IDEMPOTENCY_KEY_HEADER}: this key was used for a different request`);
      if (row.status !== null) {
        c.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
        if (row.content_type) c.header('content-type', row.content_type);
        return c.body(row.body ?? '', row.status as 200);
      }
      await delay(IDEMPOTENCY_POLL_MS);
    }

    let kept = false;
    try {
      await next();
      const res = c.res;
      if (res.status >= 200 && res.status < 300) {
        const answer = { status: res.status, contentType: res.headers.get('content-type'), body: await res.clone().text() };
        // The create is done: failing to keep its answer must not turn it into an error.
        kept = await answerIdempotencyKey(ctx.db, userId, key, answer).then(
          () => true,
          (err) => {
            ctx.log.error({ err }, 'idempotent answer not stored');
            return false;
          },
        );
      }
    } finally {
      if (!kept) await releaseIdempotencyKey(ctx.db, userId, key, claimedAt).catch((err) => ctx.log.error({ err }, 'idempotency key not released'));
    }
  };
}
