/**
 * Reports (`/reports`): a filter bar kept in the URL's query string (so a
 * report can be shared) and one section per report — the funnel, stage
 * conversion, win rate, forecast, leaderboard, activities and new customers —
 * each a chart with its table and a CSV link. While the screen is open it
 * watches the selected pipeline's board and refetches the funnel when the
 * board changes, so a card moved by anyone moves the funnel.
 */
import { ContextConsumer } from '@lit/context';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import type { PipelineDto } from '../../../schema/wire/pipeline.ts';
import type { TeamDto, UserDto } from '../../../schema/wire/user.ts';
import { type Scope, reportScope } from '../../../schema/policy/scope.ts';
import { listPipelines } from '../api/pipelines.ts';
import { type FunnelAnswer, fetchFunnel, fetchReport, funnelUrl, type PeriodReportData, type PeriodReportKind, reportUrl } from '../api/reports.ts';
import { listTeams } from '../api/teams.ts';
import { listUsers } from '../api/users.ts';
import { sessionContext } from '../app/contexts.ts';
import { currentLocale } from '../app/localization.ts';
import { navigate } from '../app/router.ts';
import { errorMessage } from '../ui/error-message.ts';
import { base, buttons, forms, tables } from '../ui/styles.ts';
import { localToday } from './report-format.ts';
import {
  type CustomFilterEntity,
  customParams,
  filtersFromSearch,
  filtersToSearch,
  PERIOD_PRESETS,
  type PeriodPreset,
  presetOf,
  presetRange,
  type ReportFilterState,
  forecastLooksAhead,
  reportParamsFor,
} from './report-filters.ts';
import {
  activityView,
  conversionView,
  forecastView,
  funnelView,
  leaderboardView,
  newCustomersView,
  type ReportView,
  type ViewContext,
  winRateView,
} from './report-views.ts';
import type { SectionState } from './tandem-report-section.ts';
import '../custom-fields/tandem-custom-field-filters.ts';
import './tandem-board-watch.ts';
import './tandem-chart.ts';
import './tandem-report-section.ts';

type Load<T> = { kind: 'loading' } | { kind: 'failed'; error: unknown } | { kind: 'ready'; data: T };

const PERIOD_KINDS: readonly PeriodReportKind[] = ['conversion', 'win-rate', 'forecast', 'leaderboard', 'activity', 'new-customers'];
const DEFAULT_CURRENCY = 'CNY';

type PeriodLoads = { [K in PeriodReportKind]: Load<PeriodReportData[K]> };

const allLoading = (): PeriodLoads => ({
  conversion: { kind: 'loading' },
  'win-rate': { kind: 'loading' },
  forecast: { kind: 'loading' },
  leaderboard: { kind: 'loading' },
  activity: { kind: 'loading' },
  'new-customers': { kind: 'loading' },
});

export function presetLabel(p: PeriodPreset | 'custom'): string {
  switch (p) {
    case 'last30':
      return msg('Last 30 days', { id: 'reports.preset.last30' });
    case 'last90':
      return msg('Last 90 days', { id: 'reports.preset.last90' });
    case 'thisMonth':
      return msg('This month', { id: 'reports.preset.thisMonth' });
    case 'lastMonth':
      return msg('Last month', { id: 'reports.preset.lastMonth' });
    case 'thisQuarter':
      return msg('This quarter', { id: 'reports.preset.thisQuarter' });
    case 'thisYear':
      return msg('This year', { id: 'reports.preset.thisYear' });
    case 'custom':
      return msg('Custom dates', { id: 'reports.preset.custom' });
  }
}

export class TandemReportsPage extends LitElement {
  static override properties = {
    filters: { state: true },
    loads: { state: true },
    funnel: { state: true },
    currencies: { state: true },
    pipelines: { state: true },
    users: { state: true },
    teams: { state: true },
    dateError: { state: true },
  };
  static override styles = [
    base,
    buttons,
    forms,
    tables,
    css`
      :host {
        display: grid;
        gap: var(--t-space-5);
      }
      form.filters {
        display: flex;
        flex-wrap: wrap;
        align-items: end;
        gap: var(--t-space-3) var(--t-space-4);
        padding: var(--t-space-4);
        background: var(--t-surface);
        border: 1px solid var(--t-border);
        border-radius: var(--t-radius);
      }
      form.filters .field {
        min-width: 9rem;
      }
      form.filters .field.date {
        min-width: 10rem;
      }
      .field-error {
        color: var(--t-danger);
        font-size: var(--t-font-size-sm);
        flex-basis: 100%;
      }
      .grid {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 34rem), 1fr));
        gap: var(--t-space-5);
      }
      .table-wrap {
        box-shadow: none;
        max-height: calc(var(--t-control-height) * 9);
        overflow: auto;
      }
      th.num,
      td.num {
        text-align: right;
        font-variant-numeric: tabular-nums;
      }
      th {
        position: sticky;
        top: 0;
      }
      th,
      td {
        padding: var(--t-space-2) var(--t-space-3);
      }
    `,
  ];

  declare filters: ReportFilterState;
  declare loads: PeriodLoads;
  declare funnel: Load<FunnelAnswer>;
  declare currencies: string[];
  declare pipelines: PipelineDto[];
  declare users: UserDto[];
  declare teams: TeamDto[];
  declare dateError: string;

  private readonly session = new ContextConsumer(this, { context: sessionContext, subscribe: true });
  private generation = 0;
  private funnelGeneration = 0;
  private aborter: AbortController | null = null;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.filters = filtersFromSearch(location.search, localToday());
    this.loads = allLoading();
    this.funnel = { kind: 'loading' };
    this.currencies = [];
    this.pipelines = [];
    this.users = [];
    this.teams = [];
    this.dateError = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('popstate', this.onPopState);
    this.filters = filtersFromSearch(location.search, localToday());
    void this.loadPickers();
    this.loadAll();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('popstate', this.onPopState);
    this.aborter?.abort();
  }

  /**
   * What this user's reports cover (the policy's reportScope, for the reports that
   * narrow to reps' own figures): 'all' picks a team, 'team' picks an owner, 'own' neither.
   */
  private get coverage(): Scope['kind'] {
    const user = this.session.value?.user;
    return user ? reportScope(user, 'forecast').kind : 'own';
  }

  private onPopState = () => {
    if (location.pathname !== '/reports') return;
    this.filters = filtersFromSearch(location.search, localToday());
    this.loadAll();
  };

  private async loadPickers(): Promise<void> {
    // The pickers are a convenience: without them the filters still work from the URL.
    const coverage = this.coverage;
    const [pipelines, users, teams] = await Promise.all([
      listPipelines().catch(() => [] as PipelineDto[]),
      coverage === 'all' || coverage === 'team' ? listUsers().catch(() => [] as UserDto[]) : Promise.resolve([] as UserDto[]),
      coverage === 'all' ? listTeams().catch(() => [] as TeamDto[]) : Promise.resolve([] as TeamDto[]),
    ]);
    this.pipelines = pipelines;
    this.users = users.filter((u) => u.active && (u.role === 'rep' || u.role === 'manager')).sort((a, b) => a.name.localeCompare(b.name));
    this.teams = teams;
  }

  /** Applies new filters: the URL first (shareable, back and forward), then the reports. */
  private setFilters(patch: Partial<ReportFilterState>): void {
    const next = { ...this.filters, ...patch };
    if (patch.teamId !== undefined && next.ownerId) {
      const owner = this.users.find((u) => u.id === next.ownerId);
      if (next.teamId && owner && owner.teamId !== next.teamId) next.ownerId = '';
    }
    if (next.from > next.to) {
      this.dateError = msg('The start date must not be after the end date.', { id: 'reports.dateOrder' });
      return;
    }
    this.dateError = '';
    this.filters = next;
    navigate(`/reports?${filtersToSearch(next)}`);
    this.loadAll();
  }

  private loadAll(): void {
    this.aborter?.abort();
    const aborter = new AbortController();
    this.aborter = aborter;
    const generation = ++this.generation;
    const today = localToday();
    this.loads = allLoading();
    for (const kind of PERIOD_KINDS) {
      fetchReport(kind, reportParamsFor(kind, this.filters, today), aborter.signal).then(
        (answer) => {
          if (generation !== this.generation) return;
          this.loads = { ...this.loads, [kind]: { kind: 'ready', data: answer.data } };
          const seen = new Set([...this.currencies, ...(answer.currencies ?? []), answer.filters.currency]);
          if (seen.size !== this.currencies.length) this.currencies = [...seen].sort();
        },
        (error: unknown) => {
          if (generation !== this.generation || (error as Error).name === 'AbortError') return;
          this.loads = { ...this.loads, [kind]: { kind: 'failed', error } };
        },
      );
    }
    this.funnel = { kind: 'loading' };
    void this.loadFunnel();
  }

  private async loadKind(kind: PeriodReportKind): Promise<void> {
    const generation = this.generation;
    this.loads = { ...this.loads, [kind]: { kind: 'loading' } };
    try {
      const answer = await fetchReport(kind, reportParamsFor(kind, this.filters, localToday()));
      if (generation === this.generation) this.loads = { ...this.loads, [kind]: { kind: 'ready', data: answer.data } };
    } catch (error) {
      if (generation === this.generation) this.loads = { ...this.loads, [kind]: { kind: 'failed', error } };
    }
  }

  /** The funnel; a refresh after a board change keeps the chart on screen until the new figures arrive. */
  private async loadFunnel(): Promise<void> {
    const generation = ++this.funnelGeneration;
    try {
      const answer = await fetchFunnel(
        this.filters.pipelineId || undefined,
        undefined,
        this.filters.currency || undefined,
        customParams(this.filters, 'opportunity'),
      );
      if (generation !== this.funnelGeneration) return;
      this.funnel = { kind: 'ready', data: answer };
      const seen = new Set([...this.currencies, ...(answer.currencies ?? [])]);
      if (seen.size !== this.currencies.length) this.currencies = [...seen].sort();
    } catch (error) {
      if (generation === this.funnelGeneration) this.funnel = { kind: 'failed', error };
    }
  }

  private viewContext(currency: string): ViewContext {
    const locale = currentLocale();
    const zh = new Map<string, string>();
    for (const p of this.pipelines) for (const s of p.stages) if (s.nameZh) zh.set(s.id, s.nameZh);
    if (this.funnel.kind === 'ready') for (const s of this.funnel.data.stages) if (s.nameZh) zh.set(s.stageId, s.nameZh);
    return {
      locale,
      currency,
      stageName: (id, fallback) => (locale === 'zh-CN' ? (zh.get(id) ?? fallback) : fallback),
    };
  }

  private get currency(): string {
    return this.filters.currency || DEFAULT_CURRENCY;
  }

  override render() {
    const watchedPipeline = this.funnel.kind === 'ready' ? this.funnel.data.pipelineId : null;
    const c = this.viewContext(this.currency);
    return html`
      ${this.renderFilters()}
      ${watchedPipeline
        ? keyed(
            watchedPipeline,
            html`<tandem-board-watch pipeline-id=${watchedPipeline} @board-change=${() => void this.loadFunnel()}></tandem-board-watch>`,
          )
        : nothing}
      <div class="grid">
        ${this.renderSection({
          id: 'funnel',
          heading: msg('Sales funnel', { id: 'reports.funnel.title' }),
          description: msg('Deals on the board now, by stage. Updates live as cards move.', { id: 'reports.funnel.text' }),
          csv: funnelUrl(this.filters.pipelineId || undefined, true, this.filters.currency || undefined, customParams(this.filters, 'opportunity')),
          load: this.funnel,
          view: (d: FunnelAnswer) => funnelView(d.stages, c),
          retry: () => {
            this.funnel = { kind: 'loading' };
            void this.loadFunnel();
          },
          emptyText: msg('No deals on this board yet.', { id: 'reports.funnel.empty' }),
        })}
        ${this.periodSection('conversion', msg('Stage conversion', { id: 'reports.conversion.title' }),
          msg('Deals created in the period: how many reached each stage, how many went on, and the average days spent in it.', { id: 'reports.conversion.text' }),
          (d) => conversionView(d, c))}
        ${this.periodSection('win-rate', msg('Win rate', { id: 'reports.winRate.title' }),
          msg('Deals won and lost in the period.', { id: 'reports.winRate.text' }),
          (d) => winRateView(d, c))}
        ${this.periodSection('forecast', msg('Weighted forecast', { id: 'reports.forecast.title' }),
          forecastLooksAhead(this.filters, localToday())
            ? msg('Open deals expected to close in the next three months, by month; weighted = amount × stage probability.', {
                id: 'reports.forecast.textAhead',
              })
            : msg('Open deals by expected close month; weighted = amount × stage probability.', { id: 'reports.forecast.text' }),
          (d) => forecastView(d, c))}
        ${this.periodSection('leaderboard', msg('Leaderboard', { id: 'reports.leaderboard.title' }),
          msg('Won amount and deals in the period, open amount, and activities recorded, per rep.', { id: 'reports.leaderboard.text' }),
          (d) => leaderboardView(d, c))}
        ${this.periodSection('activity', msg('Activities', { id: 'reports.activity.title' }),
          msg('Follow-ups recorded per week by type; the table lists them per rep.', { id: 'reports.activity.text' }),
          (d) => activityView(d, c))}
        ${this.periodSection('new-customers', msg('New customers', { id: 'reports.newCustomers.title' }),
          msg('Customers created per period, by source and category.', { id: 'reports.newCustomers.text' }),
          (d) => newCustomersView(d, this.filters.period, c))}
      </div>
    `;
  }

  private periodSection<K extends PeriodReportKind>(kind: K, heading: string, description: string, view: (d: PeriodReportData[K]) => ReportView) {
    return this.renderSection({
      id: kind,
      heading,
      description,
      csv: reportUrl(kind, reportParamsFor(kind, this.filters, localToday()), true),
      load: this.loads[kind] as Load<PeriodReportData[K]>,
      view,
      retry: () => void this.loadKind(kind),
    });
  }

  private renderSection<T>(s: {
    id: string;
    heading: string;
    description: string;
    csv: string;
    load: Load<T>;
    view: (d: T) => ReportView;
    retry: () => void;
    emptyText?: string;
  }) {
    let state: SectionState;
    let v: ReportView | null = null;
    switch (s.load.kind) {
      case 'loading':
        state = 'loading';
        break;
      case 'failed':
        state = 'error';
        break;
      case 'ready':
        v = s.view(s.load.data);
        state = v.empty ? 'empty' : 'ready';
        break;
    }
    return html`<tandem-report-section
      data-report=${s.id}
      heading=${s.heading}
      description=${s.description}
      csv-href=${s.csv}
      state=${state}
      error-text=${s.load.kind === 'failed' ? errorMessage(s.load.error) : ''}
      empty-text=${s.emptyText ?? ''}
      @retry=${s.retry}
    >
      ${v && !v.empty
        ? html`<tandem-chart .spec=${v.spec} label=${msg(str`${s.heading} chart; the figures are in the table below.`, { id: 'reports.chartLabel' })}></tandem-chart>
            <div class="table-wrap" tabindex="0" role="region" aria-label=${msg(str`${s.heading} table`, { id: 'reports.tableLabel' })}>
              <table>
                <thead>
                  <tr>${v.header.map((h, i) => html`<th scope="col" class=${v.numeric.includes(i) ? 'num' : ''}>${h}</th>`)}</tr>
                </thead>
                <tbody>
                  ${v.rows.map((r) => html`<tr>${r.map((cell, i) => html`<td class=${v.numeric.includes(i) ? 'num' : ''}>${cell}</td>`)}</tr>`)}
                </tbody>
              </table>
            </div>`
        : nothing}
    </tandem-report-section>`;
  }

  /** The select and checkbox fields of one entity; its reports take them (docs/reports.md). */
  private renderCustomFilters(entity: CustomFilterEntity, caption: string) {
    const current = this.filters.custom[entity];
    const value = Object.fromEntries(Object.entries(current).map(([k, v]) => [k, [v]]));
    return html`<tandem-custom-field-filters
      entity=${entity}
      caption=${caption}
      .value=${value}
      @custom-filter-change=${(e: CustomEvent<Record<string, readonly string[]> | undefined>) => {
        const next = Object.fromEntries(Object.entries(e.detail ?? {}).flatMap(([k, v]) => (v[0] ? [[k, v[0]]] : [])));
        this.setFilters({ custom: { ...this.filters.custom, [entity]: next } });
      }}
    ></tandem-custom-field-filters>`;
  }

  private renderFilters() {
    const f = this.filters;
    const today = localToday();
    const preset = presetOf(f, today);
    const coverage = this.coverage;
    const owners = coverage === 'all' && f.teamId ? this.users.filter((u) => u.teamId === f.teamId) : this.users;
    const currencies = [...new Set([...this.currencies, this.currency])].sort();
    const value = (e: Event) => (e.target as HTMLSelectElement | HTMLInputElement).value;
    const locale = currentLocale();
    return html`<form class="filters" aria-label=${msg('Report filters', { id: 'reports.filters' })} @submit=${(e: Event) => e.preventDefault()}>
      <div class="field">
        <label for="r-preset">${msg('Period', { id: 'reports.period' })}</label>
        <select id="r-preset" @change=${(e: Event) => {
          const p = value(e);
          if (p !== 'custom') this.setFilters(presetRange(p as PeriodPreset, today));
        }}>
          ${PERIOD_PRESETS.map((p) => html`<option value=${p} ?selected=${preset === p}>${presetLabel(p)}</option>`)}
          <option value="custom" ?selected=${preset === 'custom'}>${presetLabel('custom')}</option>
        </select>
      </div>
      <div class="field date">
        <label for="r-from">${msg('From', { id: 'reports.from' })}</label>
        <input id="r-from" type="date" .value=${f.from} required aria-invalid=${this.dateError ? 'true' : 'false'}
          aria-describedby=${this.dateError ? 'r-date-error' : nothing}
          @change=${(e: Event) => value(e) && this.setFilters({ from: value(e) })} />
      </div>
      <div class="field date">
        <label for="r-to">${msg('To', { id: 'reports.to' })}</label>
        <input id="r-to" type="date" .value=${f.to} required aria-invalid=${this.dateError ? 'true' : 'false'}
          aria-describedby=${this.dateError ? 'r-date-error' : nothing}
          @change=${(e: Event) => value(e) && this.setFilters({ to: value(e) })} />
      </div>
      ${coverage === 'all'
        ? html`<div class="field">
            <label for="r-team">${msg('Team', { id: 'reports.team' })}</label>
            <select id="r-team" @change=${(e: Event) => this.setFilters({ teamId: value(e) })}>
              <option value="" ?selected=${!f.teamId}>${msg('All teams', { id: 'reports.allTeams' })}</option>
              ${this.teams.map((t) => html`<option value=${t.id} ?selected=${f.teamId === t.id}>${t.name}</option>`)}
            </select>
          </div>`
        : nothing}
      ${coverage === 'all' || coverage === 'team'
        ? html`<div class="field">
            <label for="r-owner">${msg('Owner', { id: 'reports.owner' })}</label>
            <select id="r-owner" @change=${(e: Event) => this.setFilters({ ownerId: value(e) })}>
              <option value="" ?selected=${!f.ownerId}>${msg('Everyone', { id: 'reports.everyone' })}</option>
              ${owners.map((u) => html`<option value=${u.id} ?selected=${f.ownerId === u.id}>${u.name}</option>`)}
            </select>
          </div>`
        : nothing}
      <div class="field">
        <label for="r-pipeline">${msg('Pipeline', { id: 'reports.pipeline' })}</label>
        <select id="r-pipeline" @change=${(e: Event) => this.setFilters({ pipelineId: value(e) })}>
          <option value="" ?selected=${!f.pipelineId}>${msg('Default pipeline', { id: 'reports.defaultPipeline' })}</option>
          ${this.pipelines.map(
            (p) => html`<option value=${p.id} ?selected=${f.pipelineId === p.id}>${locale === 'zh-CN' && p.nameZh ? p.nameZh : p.name}</option>`,
          )}
        </select>
      </div>
      <div class="field">
        <label for="r-currency">${msg('Currency', { id: 'reports.currency' })}</label>
        <select id="r-currency" @change=${(e: Event) => this.setFilters({ currency: value(e) })}>
          ${currencies.map((cur) => html`<option value=${cur} ?selected=${this.currency === cur}>${cur}</option>`)}
        </select>
      </div>
      <div class="field">
        <label for="r-granularity">${msg('New customers by', { id: 'reports.granularity' })}</label>
        <select id="r-granularity" @change=${(e: Event) => this.setFilters({ period: value(e) === 'week' ? 'week' : 'month' })}>
          <option value="month" ?selected=${f.period === 'month'}>${msg('Month', { id: 'reports.byMonth' })}</option>
          <option value="week" ?selected=${f.period === 'week'}>${msg('Week', { id: 'reports.byWeek' })}</option>
        </select>
      </div>
      ${this.renderCustomFilters('opportunity', msg('deals', { id: 'reports.custom.deals' }))}
      ${this.renderCustomFilters('customer', msg('customers', { id: 'reports.custom.customers' }))}
      ${this.dateError ? html`<p id="r-date-error" class="field-error" role="alert">${this.dateError}</p>` : nothing}
    </form>`;
  }
}

customElements.define('tandem-reports-page', TandemReportsPage);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-reports-page': TandemReportsPage;
  }
}
