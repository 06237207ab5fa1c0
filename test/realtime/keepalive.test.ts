/**
 * Keepalive: a client that stops answering pings (gone without a close) is
 * terminated, and the hub ends its connection like any other, so the
 * document unloads; a live provider stays connected across many pings.
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMER_ROOTS, customerDocName } from '../../schema/wire/docs.ts';
import { login, seedTeam, seedUser } from '../helpers/context.ts';
import { type HubServer, connect, originOf, seedCustomerDoc, startHubServer, until } from './realtime-helpers.ts';

// Long enough for a loaded machine to answer a ping within one interval.
const PING_MS = 500;

let s: HubServer;
let cookie: string;
let customerId: string;

beforeAll(async () => {
  s = await startHubServer({ pingIntervalMs: PING_MS, unloadDelayMs: 0 });
  const team = await seedTeam(s.ctx);
  const rep = await seedUser(s.ctx, { role: 'rep', teamId: team.id });
  cookie = await login(s.t.app, rep.email);
  customerId = await seedCustomerDoc(s.ctx, team.id, rep, 'Acme');
});
afterAll(async () => {
  await s.close();
});

describe('keepalive', () => {
  it('terminates a client that does not answer pings, and the document unloads', async () => {
    await until(() => s.ctx.hub.loadedCount === 0, 'seeded document unloaded');
    const ws = new WebSocket(`${s.wsBase}/${customerDocName(customerId)}`, {
      headers: { cookie, origin: originOf(s.wsBase) },
      autoPong: false,
    });
    let pings = 0;
    ws.on('ping', () => pings++);
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    const openedAt = Date.now();
    expect(s.ctx.hub.loadedCount).toBe(1);

    // No close frame: the server drops the TCP connection (1006 on this side).
    expect(await closed).toBe(1006);
    const elapsed = Date.now() - openedAt;
    expect(pings).toBeGreaterThanOrEqual(1);
    // Pinged at the first round after admission, terminated at the next: within two intervals (plus slack).
    expect(elapsed).toBeLessThan(2 * PING_MS + 1500);
    await until(() => s.ctx.hub.loadedCount === 0, 'document unloaded after termination');
  });

  it('keeps a provider that answers pings connected across many intervals', async () => {
    const a = connect(s.wsBase, customerDocName(customerId), cookie);
    const b = connect(s.wsBase, customerDocName(customerId), cookie);
    await Promise.all([a.synced(), b.synced()]);
    const socket = a.provider.ws;
    await new Promise((r) => setTimeout(r, 6 * PING_MS));
    expect(a.closes).toEqual([]);
    expect(a.provider.ws).toBe(socket);
    expect(a.provider.wsconnected).toBe(true);
    a.doc.getMap(CUSTOMER_ROOTS.tags).set('kept-alive', true);
    await until(() => b.doc.getMap(CUSTOMER_ROOTS.tags).get('kept-alive') === true, 'edit after several pings');
    a.destroy();
    b.destroy();
  });
});
