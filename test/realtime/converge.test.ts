import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { CUSTOMER_ROOTS, customerDocName } from '../../schema/wire/docs.ts';
import type { User } from '../../server/users/user.ts';
import { login, seedTeam, seedUser } from '../helpers/context.ts';
import { type Client, type HubServer, connect, newFollowup, seedCustomerDoc, startHubServer, until } from './realtime-helpers.ts';

let s: HubServer;
let rep: User;
let cookie: string;
let customerId: string;

beforeAll(async () => {
  s = await startHubServer();
  const team = await seedTeam(s.ctx);
  rep = await seedUser(s.ctx, { role: 'rep', teamId: team.id });
  cookie = await login(s.t.app, rep.email);
  customerId = await seedCustomerDoc(s.ctx, team.id, rep, 'Acme');
});
afterAll(async () => {
  await s.close();
});

const fieldsOf = (c: Client) => c.doc.getMap<string>(CUSTOMER_ROOTS.fields);

describe('clients converge', () => {
  it('two providers see the stored state and each other’s edits', async () => {
    const a = connect(s.wsBase, customerDocName(customerId), cookie);
    const b = connect(s.wsBase, customerDocName(customerId), cookie);
    await Promise.all([a.synced(), b.synced()]);
    expect(fieldsOf(a).get('name')).toBe('Acme');
    fieldsOf(a).set('industry', 'Retail');
    b.doc.getMap(CUSTOMER_ROOTS.tags).set('vip', true);
    await until(() => fieldsOf(b).get('industry') === 'Retail' && a.doc.getMap(CUSTOMER_ROOTS.tags).get('vip') === true, 'convergence');
    expect(Y.encodeStateVector(a.doc)).toEqual(Y.encodeStateVector(b.doc));
    a.destroy();
    b.destroy();
  });

  it('ten providers typing into one follow-up text converge', async () => {
    await s.ctx.hub.edit(customerDocName(customerId), rep, (doc) => {
      doc.getArray(CUSTOMER_ROOTS.followups).push([newFollowup(rep.id, '')]);
    });
    const clients = Array.from({ length: 10 }, () => connect(s.wsBase, customerDocName(customerId), cookie));
    await Promise.all(clients.map((c) => c.synced()));
    for (let round = 0; round < 5; round++) {
      clients.forEach((c, i) => {
        const entry = c.doc.getArray<Y.Map<unknown>>(CUSTOMER_ROOTS.followups).get(0);
        (entry.get('text') as Y.Text).insert(0, `${i}.${round};`);
      });
    }
    const text = (c: Client) => (c.doc.getArray<Y.Map<unknown>>(CUSTOMER_ROOTS.followups).get(0).get('text') as Y.Text).toString();
    await until(() => clients.every((c) => text(c).length === 10 * 5 * 4 && text(c) === text(clients[0]!)), 'ten clients converge');
    for (let i = 0; i < 10; i++) for (let r = 0; r < 5; r++) expect(text(clients[0]!)).toContain(`${i}.${r};`);
    for (const c of clients) c.destroy();
  });

  it('an offline client’s edits merge on reconnect', async () => {
    const a = connect(s.wsBase, customerDocName(customerId), cookie);
    const b = connect(s.wsBase, customerDocName(customerId), cookie);
    await Promise.all([a.synced(), b.synced()]);
    a.provider.disconnect();
    fieldsOf(a).set('phone', '+86 10 1234 5678');
    fieldsOf(b).set('website', 'https://acme.example');
    await until(async () => {
      const row = await s.ctx.db.selectFrom('customers').select('website').where('id', '=', customerId).executeTakeFirst();
      return row?.website === 'https://acme.example';
    }, 'b stored');
    expect(fieldsOf(a).get('website')).toBeUndefined();
    a.provider.connect();
    await until(() => fieldsOf(b).get('phone') === '+86 10 1234 5678' && fieldsOf(a).get('website') === 'https://acme.example', 'merge');
    // The projection follows the broadcast (projector.ts): seeing the phone on b does not mean the row has it yet.
    const projected = async () => (await s.ctx.db.selectFrom('customers').select('phone_digits').where('id', '=', customerId).executeTakeFirstOrThrow()).phone_digits;
    await until(async () => (await projected()) === '861012345678', 'phone projected');
    expect(await projected()).toBe('861012345678');
    a.destroy();
    b.destroy();
  });
});
