import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TeamDto, UserDto } from '../../schema/wire/user.ts';
import { TEST_PASSWORD, type TestContext, createTestContext, jsonRequest, login, seedTeam, seedUser } from '../helpers/context.ts';

let t: TestContext;
let adminCookie: string;
let teamA: TeamDto;
let teamB: TeamDto;

beforeAll(async () => {
  t = await createTestContext();
  const admin = await seedUser(t.ctx, { role: 'admin', email: 'root@example.com' });
  adminCookie = await login(t.app, admin.email);
  const a = await seedTeam(t.ctx, 'East');
  const b = await seedTeam(t.ctx, 'West');
  teamA = { id: a.id, name: a.name, createdAt: '', archived: false };
  teamB = { id: b.id, name: b.name, createdAt: '', archived: false };
});
afterAll(() => t.close());

const req = (method: string, path: string, body: unknown, cookie: string) => t.app.request(path, jsonRequest(method, body, cookie));
async function errorOf(res: Response) {
  return { status: res.status, ...((await res.json()) as { error: { code: string; field?: string } }).error };
}

describe('admin: users and teams', () => {
  it('creates a team, refusing an empty or duplicate name', async () => {
    const res = await req('POST', '/api/teams', { name: '华东销售部' }, adminCookie);
    expect(res.status).toBe(201);
    expect(((await res.json()) as { team: TeamDto }).team.name).toBe('华东销售部');
    expect(await errorOf(await req('POST', '/api/teams', { name: '华东销售部' }, adminCookie))).toMatchObject({ status: 409, field: 'name' });
    expect(await errorOf(await req('POST', '/api/teams', { name: '   ' }, adminCookie))).toMatchObject({ status: 400, field: 'name' });
    expect(await errorOf(await req('POST', '/api/teams', { name: 'x'.repeat(500) }, adminCookie))).toMatchObject({ status: 400, field: 'name' });
  });

  it('creates a manager and a rep with a forced first change; by e-mail or employee number', async () => {
    const res = await req(
      'POST',
      '/api/users',
      { email: 'Wang.Fang@Example.com', name: '王芳', role: 'manager', teamId: teamA.id, password: 'Initial-Pass-01' },
      adminCookie,
    );
    expect(res.status).toBe(201);
    const { user } = (await res.json()) as { user: UserDto };
    expect(user).toMatchObject({ email: 'wang.fang@example.com', name: '王芳', role: 'manager', teamId: teamA.id, mustChangePassword: true });

    const rep = await req('POST', '/api/users', { email: 'E10023', name: 'Zhao Lei', role: 'rep', teamId: teamA.id, password: 'Initial-Pass-02' }, adminCookie);
    expect(rep.status).toBe(201);
    const cookie = await login(t.app, 'e10023', 'Initial-Pass-02');
    const meRes = await t.app.request('/api/me', { headers: { cookie } });
    expect(((await meRes.json()) as { user: UserDto }).user.mustChangePassword).toBe(true);

    const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('entity_id', '=', user.id).execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'create', entity_type: 'user' });
  });

  it.each([
    ['a malformed sign-in', { email: 'not an email', name: 'X', role: 'rep', password: 'Initial-Pass-01' }, 'email'],
    ['an unknown role', { email: 'r1@example.com', name: 'X', role: 'boss', password: 'Initial-Pass-01' }, 'role'],
    ['a weak password', { email: 'r2@example.com', name: 'X', role: 'rep', password: 'abc' }, 'password'],
    ['a missing name', { email: 'r3@example.com', role: 'rep', password: 'Initial-Pass-01' }, 'name'],
    ['a bad team id', { email: 'r4@example.com', name: 'X', role: 'rep', teamId: 'nope', password: 'Initial-Pass-01' }, 'teamId'],
    [
      'an unknown team',
      { email: 'r5@example.com', name: 'X', role: 'rep', teamId: '00000000-0000-4000-8000-000000000000', password: 'Initial-Pass-01' },
      'teamId',
    ],
    ['a rep without a team', { email: 'r6@example.com', name: 'X', role: 'rep', teamId: null, password: 'Initial-Pass-01' }, 'teamId'],
  ])('refuses %s, naming the field and creating nothing', async (_, body, field) => {
    const before = await t.ctx.db.selectFrom('users').select('id').execute();
    const res = await req('POST', '/api/users', { teamId: teamA.id, ...body }, adminCookie);
    expect(res.status).toBe(400);
    expect((await errorOf(res)).field).toBe(field);
    expect(await t.ctx.db.selectFrom('users').select('id').execute()).toHaveLength(before.length);
  });

  it('refuses a duplicate sign-in with 409', async () => {
    await seedUser(t.ctx, { email: 'taken@example.com', teamId: teamA.id });
    const res = await req('POST', '/api/users', { email: 'TAKEN@example.com', name: 'X', role: 'rep', teamId: teamA.id, password: 'Initial-Pass-01' }, adminCookie);
    expect(await errorOf(res)).toMatchObject({ status: 409, field: 'email' });
  });

  it('changes role and team, and deactivation ends the user sessions at once', async () => {
    const rep = await seedUser(t.ctx, { teamId: teamA.id });
    const repCookie = await login(t.app, rep.email);
    const moved = await req('PATCH', `/api/users/${rep.id}`, { role: 'manager', teamId: teamB.id }, adminCookie);
    expect(moved.status).toBe(200);
    expect(((await moved.json()) as { user: UserDto }).user).toMatchObject({ role: 'manager', teamId: teamB.id });
    // A role or team change ends live sessions, which were authorised under the old ones.
    expect((await t.app.request('/api/me', { headers: { cookie: repCookie } })).status).toBe(401);

    const again = await login(t.app, rep.email);
    const off = await req('PATCH', `/api/users/${rep.id}`, { active: false }, adminCookie);
    expect(((await off.json()) as { user: UserDto }).user.active).toBe(false);
    expect((await t.app.request('/api/me', { headers: { cookie: again } })).status).toBe(401);
    await expect(login(t.app, rep.email)).rejects.toThrow(/401/);

    await req('PATCH', `/api/users/${rep.id}`, { active: true }, adminCookie);
    await login(t.app, rep.email);
  });

  it('refuses bad updates', async () => {
    const rep = await seedUser(t.ctx, { teamId: teamA.id });
    expect(await errorOf(await req('PATCH', `/api/users/${rep.id}`, { role: 'king' }, adminCookie))).toMatchObject({ status: 400, field: 'role' });
    expect(await errorOf(await req('PATCH', `/api/users/${rep.id}`, { password: 'x' }, adminCookie))).toMatchObject({ status: 400 });
    expect(await errorOf(await req('PATCH', '/api/users/not-a-uuid', { active: false }, adminCookie))).toMatchObject({ status: 400 });
    expect(
      await errorOf(await req('PATCH', '/api/users/00000000-0000-4000-8000-000000000000', { active: false }, adminCookie)),
    ).toMatchObject({ status: 404 });
    const admin = await t.ctx.db.selectFrom('users').select('id').where('email', '=', 'root@example.com').executeTakeFirstOrThrow();
    expect(await errorOf(await req('PATCH', `/api/users/${admin.id}`, { active: false }, adminCookie))).toMatchObject({
      status: 400,
      field: 'active',
    });
  });
});

describe('roles', () => {
  it('keeps reps and managers out of admin routes, and shows them their own team only', async () => {
    const manager = await seedUser(t.ctx, { role: 'manager', teamId: teamA.id });
    const rep = await seedUser(t.ctx, { role: 'rep', teamId: teamA.id });
    const outsider = await seedUser(t.ctx, { role: 'rep', teamId: teamB.id });
    for (const who of [manager, rep]) {
      const cookie = await login(t.app, who.email);
      const created = await req('POST', '/api/users', { email: `x${who.id.slice(0, 4)}@example.com`, name: 'X', role: 'rep', teamId: teamA.id, password: 'Initial-Pass-01' }, cookie);
      expect(await errorOf(created)).toMatchObject({ status: 403, code: 'forbidden' });
      expect((await req('PATCH', `/api/users/${who.id}`, { role: 'admin' }, cookie)).status).toBe(403);
      expect((await req('POST', '/api/teams', { name: 'Mine' }, cookie)).status).toBe(403);
      const list = (await (await t.app.request('/api/users', { headers: { cookie } })).json()) as { items: UserDto[] };
      expect(list.items.every((u) => u.teamId === teamA.id)).toBe(true);
      expect(list.items.some((u) => u.id === outsider.id)).toBe(false);
      expect((await t.app.request(`/api/users/${outsider.id}`, { headers: { cookie } })).status).toBe(404);
      const teams = (await (await t.app.request('/api/teams', { headers: { cookie } })).json()) as { items: TeamDto[] };
      expect(teams.items.map((x) => x.id)).toEqual([teamA.id]);
    }
  });
});

describe('profile and preferences', () => {
  it('edits name, phone, title, language and density', async () => {
    const rep = await seedUser(t.ctx, { teamId: teamA.id });
    const cookie = await login(t.app, rep.email);
    const res = await req('PATCH', '/api/me', { name: '李娜', phone: '+86 138 0000 1111', title: '客户经理', locale: 'zh-CN', density: 'compact' }, cookie);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { user: UserDto }).user).toMatchObject({
      name: '李娜',
      phone: '+86 138 0000 1111',
      title: '客户经理',
      locale: 'zh-CN',
      density: 'compact',
    });
  });

  it.each([
    [{ locale: 'fr' }, 'locale'],
    [{ density: 'huge' }, 'density'],
    [{ name: '' }, 'name'],
    [{ phone: '1'.repeat(100) }, 'phone'],
    [{ role: 'admin' }, undefined],
  ])('refuses %j', async (body, field) => {
    const rep = await seedUser(t.ctx, { teamId: teamA.id });
    const cookie = await login(t.app, rep.email);
    const res = await req('PATCH', '/api/me', body, cookie);
    expect(res.status).toBe(400);
    if (field) expect((await errorOf(res)).field).toBe(field);
    const after = (await (await t.app.request('/api/me', { headers: { cookie } })).json()) as { user: UserDto };
    expect(after.user.role).toBe('rep');
    expect(after.user.locale).toBe('en');
  });

  it('answers 401 without a session', async () => {
    const res = await req('PATCH', '/api/me', { name: 'X' }, '');
    expect(res.status).toBe(401);
    expect(TEST_PASSWORD).toBeTruthy();
  });
});
