/**
 * The demo workspace: two teams, a manager and reps each, with a known
 * password so that a visitor can sign in as anyone. Running it twice
 * changes nothing the second time.
 */
import { hashPassword } from '../auth/password.ts';
import type { AppContext } from '../context.ts';
import { seedDemoCustomers } from '../customers/customer.demo.ts';
import { seedDemoOpportunities } from '../opportunities/opportunity.demo.ts';
import { insertTeam, listTeams } from '../teams/team.repository.ts';
import type { User } from '../users/user.ts';
import { findUserByLogin, insertUser } from '../users/user.repository.ts';
import type { Role } from '../../schema/wire/user.ts';

export const DEMO_PASSWORD = 'Tandem-Demo-2026';

interface DemoPerson {
  email: string;
  name: string;
  role: Role;
  title: string;
  locale: 'en' | 'zh-CN';
}

export const DEMO_TEAMS: Array<{ name: string; people: DemoPerson[] }> = [
  {
    name: 'East China Sales 华东销售部',
    people: [
      { email: 'wang.fang@demo.tandem', name: '王芳', role: 'manager', title: '销售经理', locale: 'zh-CN' },
      { email: 'li.lei@demo.tandem', name: '李雷', role: 'rep', title: '客户经理', locale: 'zh-CN' },
      { email: 'chen.jing@demo.tandem', name: '陈静', role: 'rep', title: '客户经理', locale: 'zh-CN' },
    ],
  },
  {
    name: 'Enterprise Sales',
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

/** Creates the demo teams and people that are missing; answers every demo team with its people. */
export async function seedDemoWorkspace(ctx: AppContext, progress: Progress): Promise<DemoTeam[]> {
  const hash = await hashPassword(DEMO_PASSWORD);
  const existing = await listTeams(ctx.db);
  const out: DemoTeam[] = [];
  for (const spec of DEMO_TEAMS) {
    const team = existing.find((t) => t.name === spec.name) ?? (await insertTeam(ctx.db, spec.name));
    const users: User[] = [];
    for (const p of spec.people) {
      const found = await findUserByLogin(ctx.db, p.email);
      users.push(
        found?.user ??
          (await insertUser(ctx.db, {
            email: p.email,
            name: p.name,
            role: p.role,
            team_id: team.id,
            password_hash: hash,
            must_change_password: false,
            title: p.title,
            locale: p.locale,
          })),
      );
    }
    progress(`team ${spec.name}: ${users.length} people`);
    out.push({ teamId: team.id, users });
  }
  return out;
}

/** Customers per demo team. */
export const DEMO_CUSTOMERS_PER_TEAM = 150;

/**
 * The whole demo: the workspace, then for each team that has no customer yet
 * a few hundred customers in all (Chinese and English names) and
 * opportunities in every stage of its pipeline.
 */
export async function seedDemo(ctx: AppContext, progress: Progress): Promise<void> {
  const teams = await seedDemoWorkspace(ctx, progress);
  for (const [i, team] of teams.entries()) {
    const has = await ctx.db.selectFrom('customers').select('id').where('team_id', '=', team.teamId).limit(1).executeTakeFirst();
    if (has) {
      progress(`${DEMO_TEAMS[i]!.name}: has customers already, left as it is`);
      continue;
    }
    const customers = await seedDemoCustomers(ctx, { teamId: team.teamId, users: team.users, count: DEMO_CUSTOMERS_PER_TEAM, seed: 1000 + i });
    progress(`${DEMO_TEAMS[i]!.name}: ${customers.length} customers`);
    const deals = await seedDemoOpportunities(ctx, { teamId: team.teamId, users: team.users, customers, seed: 2000 + i });
    progress(`${DEMO_TEAMS[i]!.name}: ${deals.length} opportunities`);
  }
}

export function demoLogins(): string {
  const lines = DEMO_TEAMS.flatMap((t) => [
    `  ${t.name}`,
    ...t.people.map((p) => `    ${p.role.padEnd(8)} ${p.email.padEnd(26)} ${p.name}`),
  ]);
  return [`Demo sign-ins (password for all: ${DEMO_PASSWORD}):`, ...lines].join('\n');
}
