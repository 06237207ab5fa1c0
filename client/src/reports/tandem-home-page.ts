/**
 * The start page (`/`): the signed-in user's pipeline summary, tasks due
 * today, overdue follow-ups and the latest activity on their customers; for
 * managers and admins also the team's funnel and this month's leaderboard.
 */
import { ContextConsumer } from '@lit/context';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { type DashboardDto, fetchDashboard } from '../api/reports.ts';
import { sessionContext } from '../app/contexts.ts';
import { currentLocale } from '../app/localization.ts';
import { followupTypeLabel } from '../customers/customer-labels.ts';
import { errorMessage } from '../ui/error-message.ts';
import { base, buttons, tables } from '../ui/styles.ts';
import { formatAmount, formatCompactAmount, formatCount, formatDay, formatInstant } from './report-format.ts';
import { funnelView, leaderboardView, type ViewContext } from './report-views.ts';
import type { ChartSpec } from './tandem-chart.ts';
import '../ui/tandem-alert.ts';
import '../ui/tandem-loading.ts';
import './tandem-chart.ts';

type Load = { kind: 'loading' } | { kind: 'failed'; error: unknown } | { kind: 'ready'; data: DashboardDto };

export class TandemHomePage extends LitElement {
  static override properties = { load: { state: true } };
  static override styles = [
    base,
    buttons,
    tables,
    css`
      :host {
        display: grid;
        gap: var(--t-space-5);
      }
      .figures {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr));
        gap: var(--t-space-4);
      }
      .figure,
      section {
        background: var(--t-surface);
        border: 1px solid var(--t-border);
        border-radius: var(--t-radius);
        box-shadow: var(--t-shadow);
      }
      .figure {
        padding: var(--t-space-4);
        display: grid;
        gap: var(--t-space-1);
      }
      .figure dt {
        color: var(--t-muted);
        font-size: var(--t-font-size-sm);
      }
      .figure dd {
        margin: 0;
        font-size: var(--t-font-size-lg);
        font-weight: 650;
        font-variant-numeric: tabular-nums;
      }
      .figure .sub {
        font-size: var(--t-font-size-sm);
        font-weight: 400;
        color: var(--t-muted);
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 26rem), 1fr));
        gap: var(--t-space-5);
      }
      section {
        padding: var(--t-space-4) var(--t-space-5);
        display: grid;
        gap: var(--t-space-3);
        align-content: start;
        min-width: 0;
      }
      section > header {
        display: flex;
        justify-content: space-between;
        align-items: baseline;
        gap: var(--t-space-3);
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
      }
      li {
        display: flex;
        justify-content: space-between;
        gap: var(--t-space-3);
        padding: var(--t-space-2) 0;
        border-bottom: 1px solid var(--t-border);
      }
      li:last-child {
        border-bottom: none;
      }
      li .main {
        display: grid;
        min-width: 0;
      }
      li .main > * {
        overflow: hidden;
        text-overflow: ellipsis;
      }
      .when {
        color: var(--t-muted);
        font-size: var(--t-font-size-sm);
        white-space: nowrap;
      }
      .overdue {
        color: var(--t-danger);
      }
      .empty {
        color: var(--t-muted);
        padding: var(--t-space-3) 0;
      }
      .table-wrap {
        box-shadow: none;
      }
      th.num,
      td.num {
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      th,
      td {
        padding: var(--t-space-2) var(--t-space-3);
      }
    `,
  ];

  declare load: Load;
  private readonly session = new ContextConsumer(this, { context: sessionContext, subscribe: true });

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.load = { kind: 'loading' };
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.fetch();
  }

  private async fetch(): Promise<void> {
    this.load = { kind: 'loading' };
    try {
      this.load = { kind: 'ready', data: await fetchDashboard() };
    } catch (error) {
      this.load = { kind: 'failed', error };
    }
  }

  override render() {
    switch (this.load.kind) {
      case 'loading':
        return html`<tandem-loading label=${msg('Loading your day…', { id: 'home.loading' })}></tandem-loading>`;
      case 'failed':
        return html`<tandem-alert kind="error">${errorMessage(this.load.error)}</tandem-alert>
          <div><button type="button" @click=${() => void this.fetch()}>${msg('Try again', { id: 'reports.retry' })}</button></div>`;
      case 'ready':
        return this.renderDashboard(this.load.data);
    }
  }

  private renderDashboard(d: DashboardDto) {
    const locale = currentLocale();
    const money = (n: number) => formatAmount(n, d.currency, locale);
    const name = this.session.value?.user.name ?? '';
    const c: ViewContext = { locale, currency: d.currency, stageName: (_id, fallback) => fallback };
    const p = d.pipeline;
    const byStage: ChartSpec = {
      kind: 'bar',
      horizontal: true,
      labels: p.byStage.map((s) => (locale === 'zh-CN' && s.nameZh ? s.nameZh : s.name)),
      series: [{ label: msg('Amount', { id: 'reports.col.amount' }), data: p.byStage.map((s) => s.amount) }],
      format: (n) => formatCompactAmount(n, d.currency, locale),
    };
    return html`
      <p class="muted">${msg(str`Welcome back, ${name}.`, { id: 'home.welcome' })}</p>
      <dl class="figures" aria-label=${msg('My pipeline', { id: 'home.myPipeline' })}>
        <div class="figure"><dt>${msg('Open deals', { id: 'home.openDeals' })}</dt><dd data-figure="open-count">${formatCount(p.openCount, locale)}</dd></div>
        <div class="figure"><dt>${msg('Open amount', { id: 'reports.col.openAmount' })}</dt><dd>${money(p.openAmount)}</dd></div>
        <div class="figure"><dt>${msg('Weighted', { id: 'reports.col.weighted' })}</dt><dd>${money(p.weighted)}</dd></div>
        <div class="figure">
          <dt>${msg('Won this month', { id: 'home.wonThisMonth' })}</dt>
          <dd>${money(p.wonThisMonth.amount)} <span class="sub">${msg(str`${formatCount(p.wonThisMonth.count, locale)} deals`, { id: 'home.dealCount' })}</span></dd>
        </div>
      </dl>
      <div class="grid">
        <section aria-labelledby="h-stages" data-section="stages">
          <header><h2 id="h-stages">${msg('My open deals by stage', { id: 'home.byStage' })}</h2><a href="/pipeline">${msg('Open the board', { id: 'home.openBoard' })}</a></header>
          ${p.byStage.length === 0
            ? html`<p class="empty">${msg('No open deals yet. Deals you own on the board show up here.', { id: 'home.noDeals' })}</p>`
            : html`<tandem-chart style="--chart-height: calc(var(--t-control-height) * ${Math.min(8, 2 + p.byStage.length)})" .spec=${byStage}
                label=${msg('My open deals by stage', { id: 'home.byStage' })}></tandem-chart>
                <div class="table-wrap"><table>
                  <thead><tr><th scope="col">${msg('Stage', { id: 'reports.col.stage' })}</th><th scope="col" class="num">${msg('Deals', { id: 'reports.col.deals' })}</th><th scope="col" class="num">${msg('Amount', { id: 'reports.col.amount' })}</th></tr></thead>
                  <tbody>${p.byStage.map((s, i) => html`<tr><td>${byStage.labels[i]}</td><td class="num">${formatCount(s.count, locale)}</td><td class="num">${money(s.amount)}</td></tr>`)}</tbody>
                </table></div>`}
        </section>
        <section aria-labelledby="h-tasks" data-section="tasks">
          <header><h2 id="h-tasks">${msg('My tasks today', { id: 'home.tasksToday' })}</h2><a href="/tasks">${msg('All tasks', { id: 'home.allTasks' })}</a></header>
          ${d.tasksToday.length === 0
            ? html`<p class="empty">${msg('Nothing due today.', { id: 'home.noTasks' })}</p>`
            : html`<ul>
                ${d.tasksToday.map((t) => {
                  const overdue = Date.parse(t.dueAt) < Date.now();
                  return html`<li>
                    <span class="main"><a href="/tasks/${t.id}">${t.title}</a>${t.customerName ? html`<span class="muted">${t.customerName}</span>` : nothing}</span>
                    <span class="when ${overdue ? 'overdue' : ''}">${formatInstant(t.dueAt, locale)}</span>
                  </li>`;
                })}
              </ul>`}
        </section>
        <section aria-labelledby="h-followups" data-section="followups">
          <header><h2 id="h-followups">${msg('My overdue follow-ups', { id: 'home.overdue' })}</h2><a href="/customers">${msg('Customers', { id: 'nav.customers' })}</a></header>
          ${d.overdueFollowups.length === 0
            ? html`<p class="empty">${msg('No overdue follow-ups.', { id: 'home.noOverdue' })}</p>`
            : html`<ul>
                ${d.overdueFollowups.map(
                  (f) => html`<li><a href="/customers/${f.customerId}">${f.name}</a><span class="when overdue">${formatDay(f.nextFollowupAt, locale)}</span></li>`,
                )}
              </ul>`}
        </section>
        <section aria-labelledby="h-activity" data-section="activity">
          <header><h2 id="h-activity">${msg('Recent activity on my customers', { id: 'home.activity' })}</h2></header>
          ${d.recentActivity.length === 0
            ? html`<p class="empty">${msg('No activity on your customers yet.', { id: 'home.noActivity' })}</p>`
            : html`<ul>
                ${d.recentActivity.map(
                  (a) => html`<li>
                    <span class="main">
                      <span><a href="/customers/${a.customerId}">${a.customerName}</a> · ${followupTypeLabel(a.type)}${a.authorName ? html` · <span class="muted">${a.authorName}</span>` : nothing}</span>
                      ${a.excerpt ? html`<span class="muted">${a.excerpt}</span>` : nothing}
                    </span>
                    <span class="when">${formatInstant(a.at, locale)}</span>
                  </li>`,
                )}
              </ul>`}
        </section>
        ${d.team ? this.renderTeam(d.team, c) : nothing}
      </div>
    `;
  }

  private renderTeam(team: NonNullable<DashboardDto['team']>, c: ViewContext) {
    const locale = c.locale;
    const stageCtx: ViewContext = {
      ...c,
      stageName: (id, fallback) => {
        const s = team.funnel?.stages.find((x) => x.stageId === id);
        return locale === 'zh-CN' && s?.nameZh ? s.nameZh : fallback;
      },
    };
    const funnel = team.funnel ? funnelView(team.funnel.stages, stageCtx) : null;
    const leaders = leaderboardView(
      team.leaderboard.map((r) => ({ ...r, openAmount: 0 })),
      c,
    );
    return html`
      <section aria-labelledby="h-team-funnel" data-section="team-funnel">
        <header><h2 id="h-team-funnel">${msg('Team’s funnel', { id: 'home.teamFunnel' })}</h2><a href="/reports">${msg('Reports', { id: 'nav.reports' })}</a></header>
        ${!funnel || funnel.empty
          ? html`<p class="empty">${msg('No deals on the board yet.', { id: 'home.noTeamDeals' })}</p>`
          : html`<tandem-chart .spec=${funnel.spec} label=${msg('Team’s funnel', { id: 'home.teamFunnel' })}></tandem-chart>`}
      </section>
      <section aria-labelledby="h-leaders" data-section="leaderboard">
        <header><h2 id="h-leaders">${msg('Leaderboard this month', { id: 'home.leaderboard' })}</h2></header>
        ${leaders.empty
          ? html`<p class="empty">${msg('No reps in the team yet.', { id: 'home.noLeaders' })}</p>`
          : html`<div class="table-wrap" tabindex="0" role="region" aria-label=${msg('Leaderboard this month', { id: 'home.leaderboard' })}><table>
              <thead><tr>
                <th scope="col">${msg('Rep', { id: 'reports.col.rep' })}</th>
                <th scope="col" class="num">${msg('Won amount', { id: 'reports.col.wonAmount' })}</th>
                <th scope="col" class="num">${msg('Won deals', { id: 'reports.col.wonDeals' })}</th>
                <th scope="col" class="num">${msg('Activities', { id: 'reports.col.activities' })}</th>
              </tr></thead>
              <tbody>${team.leaderboard.map(
                (r) => html`<tr><td>${r.name}</td><td class="num">${formatAmount(r.wonAmount, c.currency, locale)}</td>
                  <td class="num">${formatCount(r.wonDeals, locale)}</td><td class="num">${formatCount(r.activities, locale)}</td></tr>`,
              )}</tbody>
            </table></div>`}
      </section>
    `;
  }
}

customElements.define('tandem-home-page', TandemHomePage);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-home-page': TandemHomePage;
  }
}
