/**
 * Awareness is bound to its connection: a client used to be able to
 * overwrite another's entry (show as "Admin"), add entries for ids it does
 * not hold, or delete others' entries. Real server, stock providers; the
 * forged messages go out on a provider's own socket as a hostile client
 * would send them.
 */
import { removeAwarenessStates } from 'y-protocols/awareness';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DOC_CLOSE, customerDocName } from '../../schema/wire/docs.ts';
import { awarenessUserOf } from '../../schema/wire/presence.ts';
import { MAX_AWARENESS_STATE_BYTES } from '../../server/realtime/document.ts';
import { type AwarenessEntry, encodeAwareness, encodeAwarenessEntries } from '../../server/realtime/protocol.ts';
import type { User } from '../../server/users/user.ts';
import { login, seedTeam, seedUser } from '../helpers/context.ts';
import { type Client, type HubServer, connect, seedCustomerDoc, startHubServer, until } from './realtime-helpers.ts';

let s: HubServer;
let ada: User;
let bob: User;
let mei: User;
const cookies = new Map<User, string>();
let docName: string;
/** Sees what everybody else is shown. */
let watcher: Client;
const opened: Client[] = [];

beforeAll(async () => {
  s = await startHubServer();
  const team = await seedTeam(s.ctx);
  ada = await seedUser(s.ctx, { role: 'rep', teamId: team.id, name: 'Ada Rep' });
  bob = await seedUser(s.ctx, { role: 'rep', teamId: team.id, name: 'Bob Rep' });
  mei = await seedUser(s.ctx, { role: 'manager', teamId: team.id, name: 'Manager Mei' });
  for (const u of [ada, bob, mei]) cookies.set(u, await login(s.t.app, u.email));
  docName = customerDocName(await seedCustomerDoc(s.ctx, team.id, ada, 'Acme'));
  watcher = connect(s.wsBase, docName, cookies.get(mei)!);
  await watcher.synced();
});
afterEach(() => {
  for (const c of opened.splice(0)) c.destroy();
});
afterAll(async () => {
  watcher.destroy();
  await s.close();
});

async function open(user: User, state: Record<string, unknown> = { user: { id: user.id, name: user.name } }): Promise<Client> {
  const c = connect(s.wsBase, docName, cookies.get(user)!);
  opened.push(c);
  await c.synced();
  c.provider.awareness.setLocalState(state);
  await until(() => seen(c.doc.clientID) !== undefined, 'own entry shown to others');
  return c;
}

/** The state the watcher holds for a client id. */
const seen = (clientId: number) => watcher.provider.awareness.getStates().get(clientId) as Record<string, unknown> | undefined;
const clockOf = (clientId: number) => watcher.provider.awareness.meta.get(clientId)?.clock ?? 0;

/** Sends an awareness message on the client's own socket, as a hostile client would. */
function forge(c: Client, entries: AwarenessEntry[]): void {
  c.provider.ws!.send(encodeAwareness(encodeAwarenessEntries(entries)));
}

/** A legitimate change sent after the forged messages: once others see it, the server has handled those. */
async function settle(c: Client, mark: string): Promise<void> {
  c.provider.awareness.setLocalStateField('mark', mark);
  await until(() => seen(c.doc.clientID)?.mark === mark, `mark ${mark} seen`);
}

describe('awareness bound to its connection', () => {
  it("shows each client with its session's user, whatever the state claims", async () => {
    const a = await open(ada, { user: { id: mei.id, name: 'Admin', color: '#000000', role: 'admin' }, focus: 'name' });
    expect(seen(a.doc.clientID)).toEqual({ user: awarenessUserOf(ada), focus: 'name' });
    // Reading without being shown (the reports page's board watcher): no user at all, not someone else.
    const b = await open(bob, { user: { id: mei.id, name: '' } });
    expect(seen(b.doc.clientID)).toEqual({});
  });

  it("cannot overwrite another client's entry", async () => {
    const a = await open(ada);
    const b = await open(bob);
    const id = a.doc.clientID;
    forge(b, [{ clientId: id, clock: clockOf(id) + 10, state: { user: { id: ada.id, name: 'Admin' }, focus: 'hijacked' } }]);
    await settle(b, 'after-overwrite');
    expect(seen(id)).toEqual({ user: awarenessUserOf(ada) });
    // Its owner still updates it.
    a.provider.awareness.setLocalStateField('focus', 'phone');
    await until(() => seen(id)?.focus === 'phone', 'owner still updates its entry');
  });

  it('cannot add an entry for a client id another connection holds', async () => {
    const a = await open(ada);
    const b = await open(bob);
    const id = a.doc.clientID;
    a.provider.awareness.setLocalState(null);
    await until(() => seen(id) === undefined, 'entry cleared by its owner');
    forge(b, [{ clientId: id, clock: clockOf(id) + 10, state: { user: { name: 'Ada Rep' }, focus: 'hijacked' } }]);
    await settle(b, 'after-add');
    expect(seen(id)).toBeUndefined();
    a.provider.awareness.setLocalState({ user: { name: 'Ada' }, focus: 'back' });
    await until(() => seen(id)?.focus === 'back', 'the owner announces itself again');
    expect(seen(id)).toEqual({ user: awarenessUserOf(ada), focus: 'back' });
  });

  it("cannot delete another client's entry, even through the stock provider's own removal", async () => {
    const a = await open(ada);
    const b = await open(bob);
    const id = a.doc.clientID;
    // What a stock provider sends when its outdated-entry check times someone out.
    removeAwarenessStates(b.provider.awareness, [id], 'test');
    forge(b, [{ clientId: id, clock: clockOf(id) + 10, state: null }]);
    await settle(b, 'after-delete');
    expect(seen(id)).toEqual({ user: awarenessUserOf(ada) });
  });

  it('holds at most four client ids per connection, all shown as its user and all removed when it leaves', async () => {
    const b = await open(bob);
    const extra = [1, 2, 3, 4, 5].map((n) => 2_000_000_000 + n);
    forge(
      b,
      extra.map((clientId) => ({ clientId, clock: 1, state: { user: { name: 'Admin' } } })),
    );
    await settle(b, 'after-extra');
    const shown = extra.filter((id) => seen(id) !== undefined);
    expect(shown).toEqual(extra.slice(0, 3));
    for (const id of shown) expect(seen(id)).toEqual({ user: awarenessUserOf(bob) });

    b.destroy();
    await until(() => [b.doc.clientID, ...shown].every((id) => seen(id) === undefined), 'entries removed when it left');
  });

  it('refuses an oversized state: the connection closes and nobody sees it', async () => {
    const b = await open(bob);
    b.provider.awareness.setLocalStateField('pad', 'x'.repeat(MAX_AWARENESS_STATE_BYTES));
    await until(() => b.closes.some((c) => c.code === DOC_CLOSE.badMessage), 'closed as a bad message');
    b.destroy();
    await until(() => seen(b.doc.clientID) === undefined, 'its entry removed');
    expect([...watcher.provider.awareness.getStates().values()].some((st) => 'pad' in (st as object))).toBe(false);
  });
});
