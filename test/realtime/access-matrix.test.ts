/**
 * The access policy (schema/policy) as the running server applies it, one table per
 * surface: REST reads, lists and writes of customers, opportunities and tasks; the
 * customer and board live documents through a real y-websocket provider; Socket.IO
 * presence. Six people — an admin without a team, team A's manager, the rep who owns
 * the records, a teammate, team B's manager and rep — try each action; every expected
 * answer is also checked against the pure policy, so the table and `can()` cannot drift.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Action, type Actor, type Resource, can } from '../../schema/policy/access.ts';
import type { CustomerDto } from '../../schema/wire/customer.ts';
import { CUSTOMER_ROOTS, boardDocName, customerDocName } from '../../schema/wire/docs.ts';
import type { OpportunityDto } from '../../schema/wire/opportunity.ts';
import type { TaskDto } from '../../schema/wire/tasks.ts';
import type { User } from '../../server/users/user.ts';
import { ORIGIN, jsonRequest, login, seedTeam, seedUser } from '../helpers/context.ts';
import { type ClientSocket, connect as connectSocket, emitWithAck } from '../socket/socket-helpers.ts';
import { type HubServer, connect, originOf, rawOpen, startHubServer, until } from './realtime-helpers.ts';

const PEOPLE = ['admin', 'managerA', 'repA', 'teammateA', 'managerB', 'repB'] as const;
type Person = (typeof PEOPLE)[number];
/** An expected answer per person. */
type Expect<T> = Record<Person, T>;

let s: HubServer;
const users = {} as Record<Person, User>;
const cookies = {} as Record<Person, string>;
let teamA: string;
let pipelineA: string;
let sharedCustomer: CustomerDto;
const sockets: ClientSocket[] = [];

const actor = (p: Person): Actor => ({ id: users[p].id, role: users[p].role, teamId: users[p].teamId });

function send(p: Person, method: string, path: string, body?: unknown): Promise<Response> {
  return Promise.resolve(
    method === 'GET' ? s.t.app.request(path, { headers: { cookie: cookies[p], origin: ORIGIN } }) : s.t.app.request(path, jsonRequest(method, body ?? {}, cookies[p])),
  );
}

async function ok<T>(res: Response, status = 200): Promise<T> {
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${await res.text()}`);
  return (await res.json()) as T;
}

let n = 0;
/** A customer of team A owned by repA, created by team A's manager. */
async function newCustomer(): Promise<CustomerDto> {
  const body = { name: `Matrix customer ${++n}`, ownerId: users.repA.id, confirm: true };
  return (await ok<{ customer: CustomerDto }>(await send('managerA', 'POST', '/api/customers', body), 201)).customer;
}

async function newOpportunity(): Promise<OpportunityDto> {
  const body = { customerId: sharedCustomer.id, name: `Matrix deal ${++n}`, amount: 1000, ownerId: users.repA.id };
  return (await ok<{ opportunity: OpportunityDto }>(await send('managerA', 'POST', '/api/opportunities', body), 201)).opportunity;
}

/** A task of team A assigned to repA by team A's manager, linked to the shared customer. */
async function newTask(): Promise<TaskDto> {
  const body = { title: `Matrix task ${++n}`, assigneeId: users.repA.id, customerId: sharedCustomer.id };
  return (await ok<{ task: TaskDto }>(await send('managerA', 'POST', '/api/tasks', body), 201)).task;
}

const customerResource = (c: CustomerDto): Resource => ({ type: 'customer', teamId: c.teamId, ownerId: c.ownerId, archived: c.archivedAt !== null });
const opportunityResource = (o: OpportunityDto): Resource => ({ type: 'opportunity', teamId: o.teamId, ownerId: o.ownerId });
const taskResource = (t: TaskDto): Resource => ({ type: 'task', teamId: t.teamId, assigneeId: t.assigneeId, createdBy: t.createdBy });

/** The answer the policy implies: 404 when the record is unseen, 403 when the action is refused, else `okStatus`. */
function policyStatus(p: Person, action: Action, resource: Resource, okStatus = 200): number {
  if (!can(actor(p), 'read' as never, resource)) return 404;
  return can(actor(p), action as never, resource) ? okStatus : 403;
}

beforeAll(async () => {
  s = await startHubServer();
  teamA = (await seedTeam(s.ctx)).id;
  const teamB = (await seedTeam(s.ctx)).id;
  users.admin = await seedUser(s.ctx, { role: 'admin', teamId: null, name: 'Admin' });
  users.managerA = await seedUser(s.ctx, { role: 'manager', teamId: teamA, name: 'Manager A' });
  users.repA = await seedUser(s.ctx, { role: 'rep', teamId: teamA, name: 'Rep A' });
  users.teammateA = await seedUser(s.ctx, { role: 'rep', teamId: teamA, name: 'Teammate A' });
  users.managerB = await seedUser(s.ctx, { role: 'manager', teamId: teamB, name: 'Manager B' });
  users.repB = await seedUser(s.ctx, { role: 'rep', teamId: teamB, name: 'Rep B' });
  for (const p of PEOPLE) cookies[p] = await login(s.t.app, users[p].email);
  sharedCustomer = await newCustomer();
  pipelineA = (await newOpportunity()).pipelineId;
});

afterAll(async () => {
  for (const socket of sockets) socket.close();
  await s.close();
});

const SEEN_BY_TEAM_A: Expect<number> = { admin: 200, managerA: 200, repA: 200, teammateA: 200, managerB: 404, repB: 404 };
const MANAGERS_OF_A: Expect<number> = { admin: 200, managerA: 200, repA: 403, teammateA: 403, managerB: 404, repB: 404 };
/** Tasks: the assignee (repA) changes and hands on their task; a teammate only reads it. */
const TASK_EDITORS: Expect<number> = { admin: 200, managerA: 200, repA: 200, teammateA: 403, managerB: 404, repB: 404 };

interface HttpCase {
  name: string;
  action: Action;
  expect: Expect<number>;
  /** Makes the record (fresh for each person when the request changes it) and sends the request. */
  run(p: Person): Promise<{ res: Response; resource: Resource }>;
}

const HTTP_CASES: HttpCase[] = [
  {
    name: 'GET /api/customers/:id',
    action: 'read',
    expect: SEEN_BY_TEAM_A,
    run: async (p) => ({ res: await send(p, 'GET', `/api/customers/${sharedCustomer.id}`), resource: customerResource(sharedCustomer) }),
  },
  {
    name: 'PATCH /api/customers/:id (a field)',
    action: 'write',
    expect: SEEN_BY_TEAM_A,
    run: async (p) => {
      const c = await newCustomer();
      return { res: await send(p, 'PATCH', `/api/customers/${c.id}`, { industry: `set by ${p}` }), resource: customerResource(c) };
    },
  },
  {
    name: 'PATCH /api/customers/:id (the owner)',
    action: 'reassign',
    expect: MANAGERS_OF_A,
    run: async (p) => {
      const c = await newCustomer();
      return { res: await send(p, 'PATCH', `/api/customers/${c.id}`, { ownerId: users.teammateA.id }), resource: customerResource(c) };
    },
  },
  {
    name: 'POST /api/customers/:id/archive',
    action: 'archive',
    expect: MANAGERS_OF_A,
    run: async (p) => {
      const c = await newCustomer();
      return { res: await send(p, 'POST', `/api/customers/${c.id}/archive`), resource: customerResource(c) };
    },
  },
  {
    name: 'GET /api/opportunities/:id',
    action: 'read',
    expect: SEEN_BY_TEAM_A,
    run: async (p) => {
      const o = await newOpportunity();
      return { res: await send(p, 'GET', `/api/opportunities/${o.id}`), resource: opportunityResource(o) };
    },
  },
  {
    name: 'PATCH /api/opportunities/:id (the name)',
    action: 'write',
    expect: SEEN_BY_TEAM_A,
    run: async (p) => {
      const o = await newOpportunity();
      return { res: await send(p, 'PATCH', `/api/opportunities/${o.id}`, { name: `renamed by ${p}` }), resource: opportunityResource(o) };
    },
  },
  {
    name: 'PATCH /api/opportunities/:id (the owner)',
    action: 'reassign',
    expect: MANAGERS_OF_A,
    run: async (p) => {
      const o = await newOpportunity();
      return { res: await send(p, 'PATCH', `/api/opportunities/${o.id}`, { ownerId: users.teammateA.id }), resource: opportunityResource(o) };
    },
  },
  {
    name: 'GET /api/tasks/:id',
    action: 'read',
    expect: SEEN_BY_TEAM_A,
    run: async (p) => {
      const t = await newTask();
      return { res: await send(p, 'GET', `/api/tasks/${t.id}`), resource: taskResource(t) };
    },
  },
  {
    name: 'PATCH /api/tasks/:id (the title)',
    action: 'write',
    expect: TASK_EDITORS,
    run: async (p) => {
      const t = await newTask();
      return { res: await send(p, 'PATCH', `/api/tasks/${t.id}`, { title: `retitled by ${p}` }), resource: taskResource(t) };
    },
  },
  {
    name: 'PATCH /api/tasks/:id (the assignee)',
    action: 'reassign',
    expect: TASK_EDITORS,
    run: async (p) => {
      const t = await newTask();
      return { res: await send(p, 'PATCH', `/api/tasks/${t.id}`, { assigneeId: users.teammateA.id }), resource: taskResource(t) };
    },
  },
];

describe('REST applies the policy', () => {
  it.each(HTTP_CASES.flatMap((c) => PEOPLE.map((p) => [`${c.name} by ${p} → ${c.expect[p]}`, c, p] as const)))(
    '%s',
    async (_name, c, p) => {
      const { res, resource } = await c.run(p);
      // The table agrees with the pure policy…
      expect(policyStatus(p, c.action, resource), 'the table and schema/policy disagree').toBe(c.expect[p]);
      // …and the server answers it.
      expect(res.status, await res.clone().text()).toBe(c.expect[p]);
      if (res.status === 403) expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    },
  );

  it('a refused change leaves the record as it was', async () => {
    const c = await newCustomer();
    expect((await send('repA', 'PATCH', `/api/customers/${c.id}`, { ownerId: users.teammateA.id })).status).toBe(403);
    expect((await send('repB', 'PATCH', `/api/customers/${c.id}`, { industry: 'from team B' })).status).toBe(404);
    const after = (await ok<{ customer: CustomerDto }>(await send('managerA', 'GET', `/api/customers/${c.id}`))).customer;
    expect(after.ownerId).toBe(users.repA.id);
    expect(after.industry).toBe('');
  });
});

describe('lists are filtered by the same scope', () => {
  const LISTED: Expect<boolean> = { admin: true, managerA: true, repA: true, teammateA: true, managerB: false, repB: false };

  it.each(PEOPLE.map((p) => [p, LISTED[p]] as const))('%s sees team A’s records in lists: %s', async (p, listed) => {
    const o = await newOpportunity();
    const t = await newTask();
    expect(can(actor(p), 'read', customerResource(sharedCustomer))).toBe(listed);
    const customers = await ok<{ items: CustomerDto[] }>(await send(p, 'GET', `/api/customers?q=${encodeURIComponent(sharedCustomer.name)}`));
    expect(customers.items.some((x) => x.id === sharedCustomer.id)).toBe(listed);
    const deals = await ok<{ items: OpportunityDto[] }>(await send(p, 'GET', `/api/opportunities?customerId=${sharedCustomer.id}`));
    expect(deals.items.some((x) => x.id === o.id)).toBe(listed);
    expect(deals.items.every((x) => x.teamId === teamA)).toBe(true);
    const tasks = await send(p, 'GET', `/api/tasks?scope=team&status=all&customerId=${sharedCustomer.id}&limit=100`);
    const items = (await ok<{ items: TaskDto[] }>(tasks)).items;
    expect(items.some((x) => x.id === t.id)).toBe(listed);
  });
});

/** The HTTP status of a WebSocket upgrade to a document (101: opened). */
async function upgradeStatus(p: Person, docName: string): Promise<number> {
  const r = await rawOpen(`${s.wsBase}/${docName}`, { origin: originOf(s.wsBase), cookie: cookies[p] });
  if ('ws' in r) {
    r.ws.close();
    return 101;
  }
  return r.status;
}

describe('live documents apply the policy', () => {
  const OPENS: Expect<number> = { admin: 101, managerA: 101, repA: 101, teammateA: 101, managerB: 404, repB: 404 };

  it.each(PEOPLE.map((p) => [p, OPENS[p]] as const))('%s opening customer:<id> and board:<pipeline> of team A → %s', async (p, status) => {
    expect(can(actor(p), 'read', customerResource(sharedCustomer))).toBe(status === 101);
    expect(await upgradeStatus(p, customerDocName(sharedCustomer.id))).toBe(status);
    expect(await upgradeStatus(p, boardDocName(pipelineA))).toBe(status);
  });

  type Outcome = 'stored' | 'refused';
  interface DocCase {
    name: string;
    who: Person;
    archived: boolean;
    /** The key of `fields` set, and to what. */
    key: 'industry' | 'ownerId';
    expect: Outcome;
  }
  const DOC_CASES: DocCase[] = [
    ...(['admin', 'managerA', 'repA', 'teammateA'] as const).map((who) => ({ name: 'a field', who, archived: false, key: 'industry' as const, expect: 'stored' as const })),
    { name: 'the owner', who: 'managerA', archived: false, key: 'ownerId', expect: 'stored' },
    { name: 'the owner', who: 'admin', archived: false, key: 'ownerId', expect: 'stored' },
    { name: 'the owner', who: 'repA', archived: false, key: 'ownerId', expect: 'refused' },
    { name: 'the owner', who: 'teammateA', archived: false, key: 'ownerId', expect: 'refused' },
    { name: 'a field of an archived customer', who: 'repA', archived: true, key: 'industry', expect: 'refused' },
    { name: 'a field of an archived customer', who: 'managerA', archived: true, key: 'industry', expect: 'stored' },
  ];

  it.each(DOC_CASES.map((c) => [`${c.who} writing ${c.name} → ${c.expect}`, c] as const))('%s', async (_name, c) => {
    const customer = await newCustomer();
    if (c.archived) await ok(await send('managerA', 'POST', `/api/customers/${customer.id}/archive`));
    const resource: Resource = { ...customerResource(customer), archived: c.archived } as Resource;
    const action: Action = c.key === 'ownerId' ? 'reassign' : 'write';
    expect(can(actor(c.who), action as never, resource) ? 'stored' : 'refused', 'the table and schema/policy disagree').toBe(c.expect);

    const value = c.key === 'ownerId' ? users.teammateA.id : `live edit by ${c.who}`;
    const client = connect(s.wsBase, customerDocName(customer.id), cookies[c.who]);
    try {
      await client.synced();
      client.doc.getMap(CUSTOMER_ROOTS.fields).set(c.key, value);
      const column = c.key === 'ownerId' ? 'owner_id' : 'industry';
      const stored = async () =>
        (await s.ctx.db.selectFrom('customers').select(column).where('id', '=', customer.id).executeTakeFirstOrThrow())[column] === value;
      if (c.expect === 'stored') {
        await until(stored, 'the edit reached the record');
        expect(client.refusals).toEqual([]);
      } else {
        await until(() => client.refusals.some((r) => JSON.parse(r).code === 'forbidden'), 'a permission refusal');
        await until(() => client.doc.getMap(CUSTOMER_ROOTS.fields).get(c.key) !== value, 'the edit undone in the client');
        await s.ctx.hub.flush();
        expect(await stored()).toBe(false);
      }
    } finally {
      client.destroy();
    }
  });
});

describe('Socket.IO presence applies the policy', () => {
  const JOINS: Expect<boolean> = { admin: true, managerA: true, repA: true, teammateA: true, managerB: false, repB: false };

  it.each(PEOPLE.map((p) => [p, JOINS[p]] as const))('%s joining the presence of a team A customer → %s', async (p, joins) => {
    expect(can(actor(p), 'read', customerResource(sharedCustomer))).toBe(joins);
    const socket = await connectSocket(s.running.url, cookies[p]);
    sockets.push(socket);
    const resource = `customer:${sharedCustomer.id}`;
    const ack = await emitWithAck(socket, 'presence:join', { resource });
    if (joins) {
      expect(ack).toMatchObject({ ok: true, data: { resource } });
      expect(ack.ok && ack.data.users.map((u) => u.id)).toContain(users[p].id);
    } else {
      expect(ack).toEqual({ ok: false, error: { code: 'not_found', message: 'No such customer' } });
    }
  });
});
