/**
 * A team's customer categories (admins): key, English and Chinese label, colour, order.
 * Saved as a whole list (`PUT /api/customer-categories`); a team without its own list uses
 * the defaults, shown here as a starting point.
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { CATEGORIES_MAX, CATEGORY_COLOR_PATTERN, type CategoryDto } from '../../../schema/wire/customer.ts';
import type { TeamDto } from '../../../schema/wire/user.ts';
import { saveTeamCategories, teamCategories } from '../api/admin-lists.ts';
import { ApiError } from '../api/http.ts';
import { listTeams } from '../api/teams.ts';
import { categoryLabel } from '../customers/customer-labels.ts';
import { errorMessage } from '../ui/error-message.ts';
import { icons } from '../ui/icons.ts';
import { base, buttons, cards, forms } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import '../ui/tandem-empty-state.ts';
import '../ui/tandem-loading.ts';
import { adminListStyles } from './admin-list.styles.ts';

const KEY_PATTERN = /^[a-z0-9-]+$/;
const DEFAULT_COLOR = '#64748b';

interface Row extends CategoryDto {
  /** Rows already saved keep their key: customers refer to it. */
  saved: boolean;
}
type Data = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'ready'; teams: TeamDto[]; teamId: string; rows: Row[] | null };

export class TandemCategoriesAdmin extends LitElement {
  static override properties = { data: { state: true }, busy: { state: true }, error: { state: true }, notice: { state: true }, rowErrors: { state: true } };
  static override styles = [
    base,
    buttons,
    forms,
    cards,
    adminListStyles,
    css`
      .cat {
        display: grid;
        grid-template-columns: minmax(90px, 1fr) minmax(120px, 2fr) minmax(120px, 2fr) 56px auto;
        gap: var(--t-space-2);
        align-items: start;
      }
      .cat input[type='color'] {
        padding: 2px;
        width: 56px;
      }
      .team {
        max-width: 320px;
      }
      @media (max-width: 700px) {
        .cat {
          grid-template-columns: 1fr 1fr;
        }
      }
    `,
  ];
  declare data: Data;
  declare busy: boolean;
  declare error: string;
  declare notice: string;
  /** Per row index: what is wrong with it (every row's problem shown at once). */
  declare rowErrors: ReadonlyMap<number, string>;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.data = { kind: 'loading' };
    this.busy = false;
    this.error = '';
    this.notice = '';
    this.rowErrors = new Map();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    this.data = { kind: 'loading' };
    try {
      const teams = (await listTeams()).filter((t) => !t.archived);
      const teamId = teams[0]?.id ?? '';
      this.data = { kind: 'ready', teams, teamId, rows: null };
      if (teamId) await this.loadTeam(teamId);
    } catch (err) {
      this.data = { kind: 'failed', message: errorMessage(err) };
    }
  }

  private async loadTeam(teamId: string): Promise<void> {
    if (this.data.kind !== 'ready') return;
    this.data = { ...this.data, teamId, rows: null };
    this.rowErrors = new Map();
    this.notice = '';
    try {
      const items = await teamCategories(teamId);
      if (this.data.kind === 'ready' && this.data.teamId === teamId) {
        this.data = { ...this.data, rows: items.map((c) => ({ ...c, labelZh: c.labelZh ?? '', color: c.color ?? null, saved: true })) };
      }
    } catch (err) {
      this.error = errorMessage(err);
    }
  }

  private setRows(rows: Row[]): void {
    if (this.data.kind === 'ready') this.data = { ...this.data, rows };
  }

  private edit(i: number, patch: Partial<Row>): void {
    if (this.data.kind !== 'ready' || !this.data.rows) return;
    this.setRows(this.data.rows.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  }

  private move(i: number, by: -1 | 1): void {
    if (this.data.kind !== 'ready' || !this.data.rows) return;
    const rows = [...this.data.rows];
    const [row] = rows.splice(i, 1);
    rows.splice(i + by, 0, row!);
    this.setRows(rows);
  }

  private validate(rows: Row[]): Map<number, string> {
    const errors = new Map<number, string>();
    const seen = new Set<string>();
    rows.forEach((r, i) => {
      if (!KEY_PATTERN.test(r.key)) errors.set(i, msg('The key uses a-z, 0-9 and - only.', { id: 'lists.categories.keyBad' }));
      else if (seen.has(r.key)) errors.set(i, msg('Each key must be different.', { id: 'lists.categories.keyTaken' }));
      else if (!r.label.trim()) errors.set(i, msg('Enter the English label.', { id: 'lists.categories.labelRequired' }));
      seen.add(r.key);
    });
    return errors;
  }

  private async save(e: Event): Promise<void> {
    e.preventDefault();
    if (this.data.kind !== 'ready' || !this.data.rows || this.busy) return;
    const { teamId, rows } = this.data;
    this.rowErrors = this.validate(rows);
    this.notice = '';
    this.error = '';
    if (this.rowErrors.size > 0) return;
    this.busy = true;
    try {
      const saved = await saveTeamCategories(
        teamId,
        rows.map((r) => ({ key: r.key, label: r.label.trim(), labelZh: (r.labelZh ?? '').trim(), color: r.color && CATEGORY_COLOR_PATTERN.test(r.color) ? r.color : null })),
      );
      this.setRows(saved.map((c) => ({ ...c, labelZh: c.labelZh ?? '', color: c.color ?? null, saved: true })));
      this.notice = msg('Saved the categories.', { id: 'lists.categories.saved' });
    } catch (err) {
      const row = err instanceof ApiError ? /^categories\.(\d+)/.exec(err.field ?? '')?.[1] : undefined;
      if (row !== undefined) this.rowErrors = new Map([[Number(row), errorMessage(err)]]);
      else this.error = errorMessage(err);
    } finally {
      this.busy = false;
    }
  }

  private renderRow(r: Row, i: number, count: number) {
    const error = this.rowErrors.get(i);
    const name = r.label || r.key || msg('New category', { id: 'lists.categories.new' });
    return html`<li>
      <div class="labels">
        <div class="cat">
          <div class="field">
            <label for=${`cat-key-${i}`}>${msg('Key', { id: 'lists.categories.key' })}</label>
            <input id=${`cat-key-${i}`} .value=${r.key} ?readonly=${r.saved} maxlength="40" aria-invalid=${error ? 'true' : 'false'}
              @input=${(e: Event) => this.edit(i, { key: (e.target as HTMLInputElement).value.trim() })} />
          </div>
          <div class="field">
            <label for=${`cat-en-${i}`}>${msg('English', { id: 'lists.categories.en' })}</label>
            <input id=${`cat-en-${i}`} lang="en" .value=${r.saved && !r.label ? categoryLabel(r.key) : r.label} maxlength="200"
              @input=${(e: Event) => this.edit(i, { label: (e.target as HTMLInputElement).value })} />
          </div>
          <div class="field">
            <label for=${`cat-zh-${i}`}>${msg('Chinese', { id: 'lists.categories.zh' })}</label>
            <input id=${`cat-zh-${i}`} lang="zh-CN" .value=${r.labelZh ?? ''} maxlength="200"
              @input=${(e: Event) => this.edit(i, { labelZh: (e.target as HTMLInputElement).value })} />
          </div>
          <div class="field">
            <label for=${`cat-color-${i}`}>${msg('Colour', { id: 'lists.categories.color' })}</label>
            <input id=${`cat-color-${i}`} type="color" .value=${r.color ?? DEFAULT_COLOR}
              @input=${(e: Event) => this.edit(i, { color: (e.target as HTMLInputElement).value.toLowerCase() })} />
          </div>
          <div class="row-actions add-actions">
            <button type="button" class="icon-only" ?disabled=${i === 0} @click=${() => this.move(i, -1)} aria-label=${msg(str`Move ${name} up`, { id: 'lists.moveUp' })}>↑</button>
            <button type="button" class="icon-only" ?disabled=${i === count - 1} @click=${() => this.move(i, 1)} aria-label=${msg(str`Move ${name} down`, { id: 'lists.moveDown' })}>↓</button>
            <button type="button" ?disabled=${count <= 1} @click=${() => this.data.kind === 'ready' && this.data.rows && this.setRows(this.data.rows.filter((_, j) => j !== i))}>
              ${msg('Remove', { id: 'lists.categories.remove' })}<span class="visually-hidden"> ${name}</span>
            </button>
          </div>
        </div>
        ${error ? html`<span class="field-error" role="alert">${error}</span>` : nothing}
      </div>
    </li>`;
  }

  private renderEditor(data: Extract<Data, { kind: 'ready' }>) {
    if (data.teams.length === 0) {
      return html`<tandem-empty-state icon="team" heading=${msg('No teams yet', { id: 'admin.noTeams' })}>
        ${msg('Create a team before adding managers and reps.', { id: 'admin.noTeamsText' })}
      </tandem-empty-state>`;
    }
    const rows = data.rows;
    return html`<div class="field team">
        <label for="cat-team">${msg('Team', { id: 'admin.team' })}</label>
        <select id="cat-team" @change=${(e: Event) => this.loadTeam((e.target as HTMLSelectElement).value)}>
          ${data.teams.map((t) => html`<option value=${t.id} ?selected=${t.id === data.teamId}>${t.name}</option>`)}
        </select>
      </div>
      ${rows === null
        ? html`<tandem-loading></tandem-loading>`
        : html`<form novalidate @submit=${this.save}>
            <ol class="rows">${rows.map((r, i) => this.renderRow(r, i, rows.length))}</ol>
            <div class="actions">
              <button type="button" ?disabled=${rows.length >= CATEGORIES_MAX} @click=${() => this.setRows([...rows, { key: '', label: '', labelZh: '', color: null, saved: false }])}>
                ${icons.plus}${msg('Add category', { id: 'lists.categories.add' })}
              </button>
              <button class="primary" type="submit" ?disabled=${this.busy}>${msg('Save categories', { id: 'lists.categories.save' })}</button>
            </div>
          </form>`}`;
  }

  override render() {
    const data = this.data;
    return html`<section class="card" aria-labelledby="categories-heading">
      <header>
        <div>
          <h2 id="categories-heading">${msg('Customer categories', { id: 'lists.categories.title' })}</h2>
          <p class="muted">${msg('Each team orders and names its own categories, in both languages.', { id: 'lists.categories.intro' })}</p>
        </div>
      </header>
      ${this.error ? html`<tandem-alert>${this.error}</tandem-alert>` : nothing}
      ${this.notice ? html`<tandem-alert kind="success">${this.notice}</tandem-alert>` : nothing}
      ${data.kind === 'loading'
        ? html`<tandem-loading></tandem-loading>`
        : data.kind === 'failed'
          ? html`<tandem-empty-state icon="alert" heading=${msg('The list could not be loaded', { id: 'lists.loadFailed' })}>
              ${data.message}
              <button slot="actions" class="primary" type="button" @click=${() => this.load()}>${msg('Try again', { id: 'common.retry' })}</button>
            </tandem-empty-state>`
          : this.renderEditor(data)}
    </section>`;
  }
}

customElements.define('tandem-categories-admin', TandemCategoriesAdmin);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-categories-admin': TandemCategoriesAdmin;
  }
}
