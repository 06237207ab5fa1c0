/**
 * A team with a manager and a rep, customers, and opportunities spread over
 * the stages of the team's pipeline, for the board's browser tests; and
 * signing a page in by cookie (sign-in itself is covered by the accounts test).
 */
import type { Page } from 'playwright-core';
import type { OpportunityDto } from '../../schema/wire/opportunity.ts';
import type { PipelineDto } from '../../schema/wire/pipeline.ts';
import type { User } from '../../server/users/user.ts';
import type { BrowserApp } from '../helpers/browser.ts';
import { login, seedTeam, seedUser } from '../helpers/context.ts';
import { caller, createOpportunity, insertCustomer, teamPipeline } from '../helpers/opportunities.ts';

export interface BoardFixture {
  manager: User;
  rep: User;
  managerCookie: string;
  repCookie: string;
  pipeline: PipelineDto;
  opportunities: OpportunityDto[];
}

const CUSTOMERS = ['Acme Trading', '华为技术', 'Northwind Foods', '上海明珠贸易'];
const DEALS = ['ERP rollout', '云服务续约', 'Warehouse scanners', '年度框架协议', 'Training package', 'CRM seats'];

/** `perOpenStage` deals in each open stage, owned in turn by the manager and the rep. */
export async function seedBoard(app: BrowserApp, perOpenStage = 2): Promise<BoardFixture> {
  const { ctx } = app.test;
  const team = await seedTeam(ctx);
  const manager = await seedUser(ctx, { role: 'manager', teamId: team.id, name: 'Mei Wang' });
  const rep = await seedUser(ctx, { role: 'rep', teamId: team.id, name: 'Ravi Kumar' });
  const managerCookie = await login(app.test.app, manager.email);
  const repCookie = await login(app.test.app, rep.email);
  const c = caller(app.test.app, managerCookie);
  const pipeline = await teamPipeline(c);
  const customerIds: string[] = [];
  for (const name of CUSTOMERS) customerIds.push(await insertCustomer(ctx, team.id, name));
  const opportunities: OpportunityDto[] = [];
  let n = 0;
  for (const stage of pipeline.stages.filter((s) => s.kind === 'open')) {
    for (let i = 0; i < perOpenStage; i++, n++) {
      opportunities.push(
        await createOpportunity(c, {
          customerId: customerIds[n % customerIds.length],
          name: `${DEALS[n % DEALS.length]} ${n + 1}`,
          amount: 10_000 * ((n % 7) + 1) + 500,
          stageId: stage.id,
          ownerId: n % 2 === 0 ? manager.id : rep.id,
          expectedCloseDate: `2026-${String((n % 3) + 11).padStart(2, '0')}-15`.replace('2026-13', '2027-01'),
        }),
      );
    }
  }
  return { manager, rep, managerCookie, repCookie, pipeline, opportunities };
}

/** A page signed in with a session cookie from the API. */
export async function signedInPage(app: BrowserApp, cookie: string, locale = 'en-US'): Promise<Page> {
  const page = await app.newPage({ locale });
  const [name, value] = cookie.split(';')[0]!.split('=');
  await page.context().addCookies([{ name: name!, value: value!, url: app.url }]);
  return page;
}

/** A card on a page's board. */
export const boardCard = (page: Page, cardId: string) => page.locator(`tandem-board-card[data-card-id="${cardId}"]`);

/** Opens the fixture's board and waits until its document is synced. */
export async function openBoard(app: BrowserApp, f: BoardFixture, page: Page): Promise<void> {
  await page.goto(`${app.url}/pipeline/${f.pipeline.id}`);
  await page.locator('.status[data-status="synced"]').waitFor();
}

/** Leaves the board first and lets the hub store what the departures caused, then stops everything. */
export async function closeBoardApp(app: BrowserApp | undefined, pages: Array<Page | undefined>): Promise<void> {
  for (const page of pages) await page?.context().close();
  await app?.test.ctx.hub.flush();
  await app?.close();
}
