/**
 * The demo workspace: an admin and two teams (one Chinese, one English),
 * a manager and reps each, with a known password so that a visitor can sign
 * in as anyone. Running it twice
 * changes nothing the second time.
 */
import { hashPassword } from '../auth/password.ts';
import type { AppContext } from '../context.ts';
import { seedDemoCustomers } from '../customers/customer.demo.ts';
import { seedDemoOpportunities } from '../opportunities/opportunity.demo.ts';
import { insertTeam, listTeams } from '../teams/team.repository.ts';
import type { User } from '../users/user.ts';
import { findUserByLogin, insertUser } from '../users/user.repository.ts';
import type { Locale, Role } from '../../schema/wire/user.ts';
import { capDemoUnread, DEMO_UNREAD_MAX, seedDemoFollowups, seedDemoLeads, seedDemoServiceRecords } from './demo-activity.ts';

export const DEMO_PASSWORD = 'Tandem-Demo-2026';

interface DemoPerson {
  email: string;
  name: string;
  role: Role;
  title: string;
  locale: Locale;
}

/** The demo's administrator: no team, sees every team. */
export const DEMO_ADMIN: DemoPerson = { email: 'admin@demo.tandem', name: '系统管理员 Admin', role: 'admin', title: 'IT', locale: 'zh-CN' };

/** Each team works in one language (`locale`): a Chinese workspace is Chinese throughout. */
export const DEMO_TEAMS: Array<{ name: string; locale: Locale; people: DemoPerson[] }> = [
  {
    name: 'East China Sales 华东销售部',
    locale: 'zh-CN',
    people: [
      { email: 'wang.fang@demo.tandem', name: '王芳', role: 'manager', title: '销售经理', locale: 'zh-CN' },
      { email: 'li.lei@demo.tandem', name: '李雷', role: 'rep', title: '客户经理', locale: 'zh-CN' },
      { email: 'chen.jing@demo.tandem', name: '陈静', role: 'rep', title: '客户经理', locale: 'zh-CN' },
    ],
  },
  {
    name: 'Enterprise Sales',
    locale: 'en',
    people: [
      { email: 'olivia.hart@demo.tandem', name: 'Olivia Hart', role: 'manager', title: 'Sales Manager', locale: 'en' },
      { email: 'sam.porter@demo.tandem', name: 'Sam Porter', role: 'rep', title: 'Account Executive', locale: 'en' },
      { email: 'maya.lin@demo.tandem', name: 'Maya Lin', role: 'rep', title: 'Account Executive', locale: 'en' },
    ],
  },
];

export interface DemoTeam {
  teamId: string;
  users: User[];
}

export type Progress = (message: string) => void;

/** The demo person with that e-mail, created when missing. */
async function demoUser(ctx: AppContext, p: DemoPerson, teamId: string | null, hash: string): Promise<User> {
  const found = await findUserByLogin(ctx.db, p.email);
  return (
    found?.user ??
    (await insertUser(ctx.db, {
      email: p.email,
      name: p.name,
      role: p.role,
      team_id: teamId,
      password_hash: hash,
      must_change_password: false,
      title: p.title,
      locale: p.locale,
    }))
  );
}

/** Creates the demo admin, teams and people that are missing; answers every demo team with its people. */
export async function seedDemoWorkspace(ctx: AppContext, progress: Progress): Promise<DemoTeam[]> {
  const hash = await hashPassword(DEMO_PASSWORD);
  await demoUser(ctx, DEMO_ADMIN, null, hash);
  progress(`admin ${DEMO_ADMIN.email}`);
  const existing = await listTeams(ctx.db);
  const out: DemoTeam[] = [];
  for (const spec of DEMO_TEAMS) {
    const team = existing.find((t) => t.name === spec.name) ?? (await insertTeam(ctx.db, spec.name));
    const users: User[] = [];
    for (const p of spec.people) users.push(await demoUser(ctx, p, team.id, hash));
    progress(`team ${spec.name}: ${users.length} people`);
    out.push({ teamId: team.id, users });
  }
  return out;
}

/** Customers per demo team. */
export const DEMO_CUSTOMERS_PER_TEAM = 150;

/**
 * The whole demo: the workspace, then for each team that has no customer yet,
 * in the team's language: customers, opportunities in every stage of its
 * pipeline with quotes and orders, follow-ups over the past months, leads and
 * service records. Seeding assigns much; each person is then left at most
 * DEMO_UNREAD_MAX unread notifications.
 */
export async function seedDemo(ctx: AppContext, progress: Progress): Promise<void> {
  const teams = await seedDemoWorkspace(ctx, progress);
  const seeded: string[] = [];
  for (const [i, team] of teams.entries()) {
    const { name, locale } = DEMO_TEAMS[i]!;
    const has = await ctx.db.selectFrom('customers').select('id').where('team_id', '=', team.teamId).limit(1).executeTakeFirst();
    if (has) {
      progress(`${name}: has customers already, left as it is`);
      continue;
    }
    const base = { teamId: team.teamId, users: team.users, locale };
    progress(`${name}: creating ${DEMO_CUSTOMERS_PER_TEAM} customers…`);
    const customers = await seedDemoCustomers(ctx, { ...base, count: DEMO_CUSTOMERS_PER_TEAM, seed: 1000 + i });
    progress(`${name}: ${customers.length} customers`);
    const deals = await seedDemoOpportunities(ctx, { ...base, customers, seed: 2000 + i });
    progress(`${name}: ${deals.length} opportunities with quotes and orders`);
    const activity = { ...base, customers, seed: 3000 + i };
    progress(`${name}: ${await seedDemoFollowups(ctx, activity)} follow-ups over the past months`);
    progress(`${name}: ${await seedDemoLeads(ctx, activity)} leads`);
    progress(`${name}: ${await seedDemoServiceRecords(ctx, activity)} service records`);
    seeded.push(...team.users.map((u) => u.id));
  }
  if (seeded.length > 0) {
    const marked = await capDemoUnread(ctx, seeded);
    progress(`notifications: at most ${DEMO_UNREAD_MAX} unread each (${marked} older ones marked read)`);
  }
}

export function demoLogins(): string {
  const line = (p: DemoPerson) => `    ${p.role.padEnd(8)} ${p.email.padEnd(26)} ${p.name}`;
  const lines = [`  (every team)`, line(DEMO_ADMIN), ...DEMO_TEAMS.flatMap((t) => [`  ${t.name}`, ...t.people.map(line)])];
  return [`Demo sign-ins (password for all: ${DEMO_PASSWORD}):`, ...lines].join('\n');
}
