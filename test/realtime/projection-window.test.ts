/**
 * The pause between projection runs (DOC_PROJECTION_WINDOW_MS): edits from open tabs that
 * arrive while runs follow each other wait it out and are projected together; an assignment
 * (a new owner, who should hear of it) and a server-side write waiting for its projection do
 * not wait. Real y-websocket providers against a real server; the window is set far longer
 * than any of the waits below, so the test does not depend on the machine's speed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CUSTOMER_ROOTS, customerDocName } from '../../schema/wire/docs.ts';
import type { User } from '../../server/users/user.ts';
import { login, seedTeam, seedUser } from '../helpers/context.ts';
import { type Client, type HubServer, connect, seedCustomerDoc, startHubServer, until } from './realtime-helpers.ts';

const WINDOW_MS = 60_000;

let s: HubServer;
let manager: User;
let rep: User;
let managerCookie: string;
let ids: string[];
const clients: Client[] = [];

const industryOf = async (id: string) =>
  (await s.ctx.db.selectFrom('customers').select('industry').where('id', '=', id).executeTakeFirstOrThrow()).industry;
const assignmentsOf = (userId: string) =>
  s.ctx.db.selectFrom('notifications').select('entity_id').where('recipient_id', '=', userId).where('type', '=', 'assignment').execute();

beforeAll(async () => {
  s = await startHubServer({ projectionWindowMs: WINDOW_MS });
  const team = await seedTeam(s.ctx);
  manager = await seedUser(s.ctx, { role: 'manager', teamId: team.id });
  rep = await seedUser(s.ctx, { role: 'rep', teamId: team.id });
  managerCookie = await login(s.t.app, manager.email);
  ids = [];
  for (const name of ['Alpha', 'Beta', 'Gamma']) ids.push(await seedCustomerDoc(s.ctx, team.id, manager, name));
  for (const id of ids) {
    const c = connect(s.wsBase, customerDocName(id), managerCookie);
    clients.push(c);
    await c.synced();
  }
  // A projection run has just ended (seeding wrote through the hub): the window is running.
  await s.ctx.hub.flush();
});
afterAll(async () => {
  for (const c of clients) c.destroy();
  await s?.close();
});

describe('the projection window', () => {
  it('holds a plain edit while runs follow each other, and an assignment ends the pause for both', async () => {
    clients[0]!.doc.getMap(CUSTOMER_ROOTS.fields).set('industry', 'Retail');
    // Stored (another tab would see it) but not projected: the run waits out the window.
    const other = connect(s.wsBase, customerDocName(ids[0]!), managerCookie);
    clients.push(other);
    await other.synced();
    await until(() => other.doc.getMap(CUSTOMER_ROOTS.fields).get('industry') === 'Retail', 'the edit reaches another tab');
    await new Promise((r) => setTimeout(r, 300));
    expect(await industryOf(ids[0]!)).toBe('');

    clients[1]!.doc.getMap(CUSTOMER_ROOTS.fields).set('ownerId', rep.id);
    await until(async () => (await assignmentsOf(rep.id)).length === 1, 'the assignment is projected without waiting out the window');
    expect((await assignmentsOf(rep.id)).map((n) => n.entity_id)).toEqual([ids[1]]);
    // The run that carried the assignment carried the waiting edit too.
    expect(await industryOf(ids[0]!)).toBe('Retail');
  });

  it('does not make a server-side write wait for the window (read your writes)', async () => {
    clients[2]!.doc.getMap(CUSTOMER_ROOTS.fields).set('industry', 'Energy');
    await new Promise((r) => setTimeout(r, 300));
    expect(await industryOf(ids[2]!)).toBe('');
    await s.ctx.hub.edit(customerDocName(ids[2]!), manager, (d) => d.getMap(CUSTOMER_ROOTS.fields).set('size', '50-200'));
    const row = await s.ctx.db.selectFrom('customers').select(['industry', 'size']).where('id', '=', ids[2]!).executeTakeFirstOrThrow();
    expect(row).toEqual({ industry: 'Energy', size: '50-200' });
  });
});
