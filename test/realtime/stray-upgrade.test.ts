/**
 * WebSocket upgrades on paths nobody serves used to get no answer at all,
 * their sockets held open. They get a 404 in the API's error shape and the
 * socket closes; `/yjs/…` and Socket.IO's `/socket.io/` still upgrade.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customerDocName } from '../../schema/wire/docs.ts';
import { login, seedTeam, seedUser } from '../helpers/context.ts';
import { connect as connectSocketIo } from '../socket/socket-helpers.ts';
import { type HubServer, connect, originOf, rawOpen, seedCustomerDoc, startHubServer } from './realtime-helpers.ts';

let s: HubServer;
let cookie: string;
let customerId: string;
let http: string;

beforeAll(async () => {
  s = await startHubServer();
  const team = await seedTeam(s.ctx);
  const rep = await seedUser(s.ctx, { role: 'rep', teamId: team.id });
  cookie = await login(s.t.app, rep.email);
  customerId = await seedCustomerDoc(s.ctx, team.id, rep, 'Acme');
  http = originOf(s.wsBase);
});
afterAll(async () => {
  await s.close();
});

/**
 * A WebSocket handshake on a bare TCP socket that never closes its own side:
 * what the server wrote, when it ended its side, and whether it then closed
 * the socket whole (bytes written after the end are answered with a reset,
 * not taken in by a socket left half open).
 */
function handshake(path: string): Promise<{ response: string; endedAfterMs: number; reset: boolean }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = net.connect({ port: s.running.port, host: '127.0.0.1', allowHalfOpen: true }, () => {
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${s.running.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nOrigin: ${http}\r\nCookie: ${cookie}\r\n\r\n`,
      );
    });
    let response = '';
    let endedAfterMs = -1;
    let reset = false;
    socket.on('data', (chunk) => {
      response += chunk.toString();
    });
    socket.on('end', () => {
      endedAfterMs = Date.now() - started;
      // Twice: the first write draws the reset, the second (or the read) reports it.
      const poke = () => socket.writable && socket.write('x');
      poke();
      setTimeout(poke, 50);
    });
    socket.on('error', () => {
      reset = true;
    });
    socket.on('close', () => resolve({ response, endedAfterMs, reset }));
    socket.setTimeout(3000, () => {
      socket.destroy();
      resolve({ response, endedAfterMs, reset });
    });
  });
}

describe('upgrades on paths nobody serves', () => {
  for (const path of ['/foo', '/api/x', `/yjsx/${customerDocName('00000000-0000-4000-8000-000000000000')}`, '/socket.iox/?EIO=4&transport=websocket', '/']) {
    it(`${path}: 404 in the API's error shape, and the socket closes`, async () => {
      const res = await rawOpen(`ws://127.0.0.1:${s.running.port}${path}`, { cookie, origin: http });
      expect(res).toMatchObject({ status: 404 });
      const body = JSON.parse((res as { body: string }).body) as unknown;
      expect(body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });

      const { response, endedAfterMs, reset } = await handshake(path);
      expect(response).toMatch(/^HTTP\/1\.1 404 Not Found\r\n/);
      expect(response).toMatch(/\r\nConnection: close\r\n/i);
      expect(endedAfterMs).toBeGreaterThanOrEqual(0);
      expect(endedAfterMs).toBeLessThan(1000);
      expect(reset).toBe(true);
    });
  }

  it('the served paths still upgrade: documents and Socket.IO', async () => {
    const doc = connect(s.wsBase, customerDocName(customerId), cookie);
    await doc.synced();
    doc.destroy();
    const socket = await connectSocketIo(s.running.url, cookie);
    expect(socket.connected).toBe(true);
    socket.close();
  });

  it('a refused document upgrade still gets its own answer (401 without a session)', async () => {
    const res = await rawOpen(`${s.wsBase}/${customerDocName(customerId)}`, { origin: http });
    expect(res).toMatchObject({ status: 401 });
  });
});
