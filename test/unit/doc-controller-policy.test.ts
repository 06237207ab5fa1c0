/**
 * The pure rules behind the client's DocController: what each close code and
 * access answer leads to, the one backoff policy, the refusals kept for the
 * page, and the peers read from awareness.
 */
import { describe, expect, it } from 'vitest';
import { DOC_CLOSE } from '../../schema/wire/docs.ts';
import { peerColor } from '../../schema/wire/presence.ts';
import { readPeers } from '../../client/src/realtime/doc-peers.ts';
import { addRefusal, type DocRefusal, findRefusal, MAX_REFUSALS_KEPT, withoutRefusal } from '../../client/src/realtime/doc-refusals.ts';
import { accessAction, closeAction, DOC_RETRY, retryDelay } from '../../client/src/realtime/doc-retry.ts';

describe('close codes', () => {
  it('map to reconnect, wait, or stop', () => {
    expect(closeAction(null)).toEqual({ kind: 'retry', policy: 'transient', error: null });
    expect(closeAction(1006)).toEqual({ kind: 'retry', policy: 'transient', error: null });
    expect(closeAction(DOC_CLOSE.goingAway)).toEqual({ kind: 'retry', policy: 'transient', error: null });
    expect(closeAction(DOC_CLOSE.recheck)).toEqual({ kind: 'retry', policy: 'transient', error: null });
    expect(closeAction(DOC_CLOSE.internal)).toEqual({ kind: 'retry', policy: 'transient', error: null });
    expect(closeAction(DOC_CLOSE.tooManyRequests)).toEqual({ kind: 'retry', policy: 'rateLimited', error: 'rate_limited' });
    expect(closeAction(DOC_CLOSE.updateRefused)).toEqual({ kind: 'retry', policy: 'rateLimited', error: 'rate_limited' });
    expect(closeAction(DOC_CLOSE.badMessage)).toEqual({ kind: 'retry', policy: 'rejected', error: 'bad_message' });
    expect(closeAction(DOC_CLOSE.tooLarge)).toEqual({ kind: 'retry', policy: 'rejected', error: 'too_large' });
    expect(closeAction(DOC_CLOSE.documentFull)).toEqual({ kind: 'retry', policy: 'rejected', error: 'document_full' });
    expect(closeAction(4499)).toEqual({ kind: 'retry', policy: 'rejected', error: 'bad_message' });
    expect(closeAction(DOC_CLOSE.unauthenticated)).toEqual({ kind: 'final', error: 'unauthenticated' });
    expect(closeAction(DOC_CLOSE.forbidden)).toEqual({ kind: 'final', error: 'forbidden' });
    expect(closeAction(DOC_CLOSE.notFound)).toEqual({ kind: 'final', error: 'not_found' });
  });

  it('access answers: 401/403/404 stop, no answer or a 5xx retries', () => {
    expect(accessAction(401)).toEqual({ kind: 'final', error: 'unauthenticated' });
    expect(accessAction(403)).toEqual({ kind: 'final', error: 'forbidden' });
    expect(accessAction(404)).toEqual({ kind: 'final', error: 'not_found' });
    expect(accessAction(429)).toMatchObject({ kind: 'retry', policy: 'rateLimited' });
    expect(accessAction(0)).toEqual({ kind: 'retry', policy: 'transient', error: null });
    expect(accessAction(503)).toEqual({ kind: 'retry', policy: 'transient', error: null });
  });
});

describe('backoff', () => {
  it('grows from the base to the cap, with jitter only upwards', () => {
    const p = DOC_RETRY.transient;
    expect(retryDelay(p, 0, 0)).toBe(p.baseMs);
    expect(retryDelay(p, 1, 0)).toBe(p.baseMs * 2);
    expect(retryDelay(p, 50, 0)).toBe(p.maxMs);
    expect(retryDelay(p, 50, 0.999)).toBeLessThanOrEqual(p.maxMs * (1 + p.jitter));
    expect(retryDelay(p, 0, 0.5)).toBeGreaterThan(retryDelay(p, 0, 0));
  });

  it('a rate-limited client waits at least 5 s, longer each time; a rejected one tries a few times, slowly', () => {
    expect(retryDelay(DOC_RETRY.rateLimited, 0, 0)).toBeGreaterThanOrEqual(5_000);
    expect(retryDelay(DOC_RETRY.rateLimited, 1, 0)).toBeGreaterThan(retryDelay(DOC_RETRY.rateLimited, 0, 0.999));
    expect(DOC_RETRY.rateLimited.maxAttempts).toBe(Number.POSITIVE_INFINITY);
    expect(retryDelay(DOC_RETRY.rejected, 0, 0)).toBeGreaterThanOrEqual(10_000);
    expect(DOC_RETRY.rejected.maxAttempts).toBeLessThanOrEqual(5);
  });
});

describe('refusals kept for the page', () => {
  const r = (seq: number, field?: string): DocRefusal => ({ seq, code: 'validation', message: `m${seq}`, ...(field ? { field } : {}) });

  it('keep the latest per field, find by field or part, and dismiss one, a field or all', () => {
    let list: readonly DocRefusal[] = [];
    list = addRefusal(list, r(1, 'ownerId'));
    list = addRefusal(list, r(2, 'followups.outcome'));
    list = addRefusal(list, r(3));
    list = addRefusal(list, r(4, 'ownerId'));
    expect(list.map((x) => x.seq)).toEqual([2, 3, 4]);
    expect(findRefusal(list, 'ownerId')?.seq).toBe(4);
    expect(findRefusal(list, 'followups')?.seq).toBe(2);
    expect(findRefusal(list, 'follow')).toBeNull();
    expect(findRefusal(list)?.seq).toBe(4);
    expect(withoutRefusal(list, 'followups').map((x) => x.seq)).toEqual([3, 4]);
    expect(withoutRefusal(list, list[1]!).map((x) => x.seq)).toEqual([2, 4]);
    expect(withoutRefusal(list)).toEqual([]);
    // Nothing to dismiss: the same list (no re-render).
    expect(withoutRefusal(list, 'name')).toBe(list);
  });

  it('are bounded', () => {
    let list: readonly DocRefusal[] = [];
    for (let i = 0; i < MAX_REFUSALS_KEPT + 5; i++) list = addRefusal(list, r(i, `f${i}`));
    expect(list).toHaveLength(MAX_REFUSALS_KEPT);
    expect(list.at(-1)?.seq).toBe(MAX_REFUSALS_KEPT + 4);
  });
});

describe('peers from awareness', () => {
  it('skip ourselves and anonymous states, and keep only plain colours', () => {
    const states = new Map<number, unknown>([
      [1, { user: { id: 'me', name: 'Me' } }],
      [5, { user: { id: 'u2', name: 'Mei', color: 'red; background-image: url(x)', role: 'manager' }, focus: 'name' }],
      [3, { user: { id: 'u3', name: 'Ravi', color: '#2b8a3e' } }],
      [4, {}],
      [6, { user: { id: '', name: 'Nobody' } }],
      [7, { user: { id: 'u7', name: '   ' } }],
    ]);
    const peers = readPeers(states, 1);
    expect(peers.map((p) => p.clientId)).toEqual([3, 5]);
    expect(peers[0]!.user).toEqual({ id: 'u3', name: 'Ravi', color: '#2b8a3e', role: 'rep' });
    expect(peers[1]!.user).toEqual({ id: 'u2', name: 'Mei', color: peerColor('u2'), role: 'manager' });
    expect(peers[1]!.state.focus).toBe('name');
  });
});
