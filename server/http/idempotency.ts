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
import type { Context, MiddlewareHandler } from 'hono';
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

/** The answer of a key's first request, replayed to a repeat. */
export interface StoredAnswer {
  status: number;
  contentType: string | null;
  body: string;
}

/** What a request with a key may do: run (it holds the key since `claimedAt`), or replay the first answer. */
export type KeyClaim = { kind: 'run'; claimedAt: Date } | { kind: 'replay'; answer: StoredAnswer };

/**
 * Claims (user, key) for a request identified by `hash`, or finds the first answer to replay;
 * waits for a first request still running (409 after IDEMPOTENCY_WAIT_MAX_MS), and answers 409
 * when the key was used for another request. Shared by the middleware and by routes that
 * cannot let it read their body (the streamed import).
 */
export async function claimOrReplay(ctx: AppContext, userId: string, key: string, hash: string): Promise<KeyClaim> {
  const waitUntil = performance.now() + IDEMPOTENCY_WAIT_MAX_MS;
  for (;;) {
    if (performance.now() > waitUntil) throw conflict(`${IDEMPOTENCY_KEY_HEADER}: the first request with this key is still running`);
    const now = ctx.now();
    if (await claimIdempotencyKey(ctx.db, { userId, key, requestHash: hash, now }, new Date(now.getTime() - IDEMPOTENCY_TTL_MS))) {
      return { kind: 'run', claimedAt: now };
    }
    const row = await findIdempotencyKey(ctx.db, userId, key);
    if (!row) continue; // released meanwhile: claim again
    const age = now.getTime() - row.created_at.getTime();
    if (age >= IDEMPOTENCY_TTL_MS || (row.status === null && age >= IDEMPOTENCY_PENDING_STALE_MS)) {
      await releaseIdempotencyKey(ctx.db, userId, key, row.created_at);
      continue;
    }
    if (row.request_hash !== hash) throw conflict(`${IDEMPOTENCY_KEY_HEADER}: this key was used for a different request`);
    if (row.status !== null) return { kind: 'replay', answer: { status: row.status, contentType: row.content_type, body: row.body ?? '' } };
    await delay(IDEMPOTENCY_POLL_MS);
  }
}

/**
 * After the request holding the key: keeps a successful (2xx) answer for repeats, otherwise
 * releases the key (a refused create stored nothing). Never throws: the create is done either way.
 */
export async function settleKey(ctx: AppContext, userId: string, key: string, claimedAt: Date, res: Response | null): Promise<void> {
  let kept = false;
  if (res && res.status >= 200 && res.status < 300) {
    const answer = { status: res.status, contentType: res.headers.get('content-type'), body: await res.clone().text() };
    kept = await answerIdempotencyKey(ctx.db, userId, key, answer).then(
      () => true,
      (err) => {
        ctx.log.error({ err }, 'idempotent answer not stored');
        return false;
      },
    );
  }
  if (!kept) await releaseIdempotencyKey(ctx.db, userId, key, claimedAt).catch((err) => ctx.log.error({ err }, 'idempotency key not released'));
}

/** Answers with the first request's answer, marked `Idempotent-Replayed: true`. */
export function replayed(c: Context<HonoEnv>, answer: StoredAnswer): Response {
  c.header(IDEMPOTENT_REPLAYED_HEADER, 'true');
  if (answer.contentType) c.header('content-type', answer.contentType);
  return c.body(answer.body, answer.status as 200);
}

/** The key of a request, checked; undefined when it has none. */
export function idempotencyKeyOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!isIdempotencyKey(header)) throw badRequest(`${IDEMPOTENCY_KEY_HEADER}: 1 to ${IDEMPOTENCY_KEY_MAX} printable ASCII characters`, IDEMPOTENCY_KEY_HEADER);
  return header;
}

export function idempotent(ctx: AppContext): MiddlewareHandler<HonoEnv> {
  return async (c, next) => {
    const key = idempotencyKeyOf(c.req.header(IDEMPOTENCY_KEY_HEADER));
    if (key === undefined) return next();
    const userId = c.get('auth')?.user.id;
    // Signed out: the route answers 401. A body that cannot be read is refused by the route.
    const body = userId ? await c.req.text().catch(() => null) : null;
    if (!userId || body === null) return next();
    const hash = requestHash({ method: c.req.method, url: c.req.url, contentType: c.req.header('content-type') ?? '', body });

    const claim = await claimOrReplay(ctx, userId, key, hash);
    if (claim.kind === 'replay') return replayed(c, claim.answer);
    let res: Response | null = null;
    try {
      await next();
      res = c.res;
    } finally {
      await settleKey(ctx, userId, key, claim.claimedAt, res);
    }
  };
}
