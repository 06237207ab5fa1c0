/**
 * Teams (admins): rename, archive and restore, and see who belongs to each. Archiving keeps
 * the team's members and records; an archived team takes no new members.
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { html, LitElement, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { TeamDto, UserDto } from '../../../schema/wire/user.ts';
import { teamMembers, updateTeam } from '../api/admin-lists.ts';
import { ApiError } from '../api/http.ts';
import { listTeams } from '../api/teams.ts';
import { roleLabel } from '../app/role-label.ts';
import { errorMessage } from '../ui/error-message.ts';
import { badges, base, buttons, cards, forms } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import '../ui/tandem-dialog.ts';
import '../ui/tandem-empty-state.ts';
import '../ui/tandem-loading.ts';
import { adminListStyles } from './admin-list.styles.ts';

/** Longest team name the server accepts (schema/wire/user.ts NAME_MAX). */
const NAME_MAX = 120;

type Data = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'ready'; teams: TeamDto[] };
type Members = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'ready'; users: UserDto[] };
type Dialog =
  | { kind: 'none' }
  | { kind: 'rename'; team: TeamDto }
  | { kind: 'archive'; team: TeamDto }
  | { kind: 'members'; team: TeamDto; members: Members };

export class TandemTeamsAdmin extends LitElement {
  static override properties = { data: { state: true }, dialog: { state: true }, busy: { state: true }, error: { state: true }, fieldError: { state: true } };
  static override styles = [base, buttons, forms, cards, badges, adminListStyles];
  declare data: Data;
  declare dialog: Dialog;
  declare busy: boolean;
  declare error: string;
  declare fieldError: string;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.data = { kind: 'loading' };
    this.dialog = { kind: 'none' };
    this.busy = false;
    this.error = '';
    this.fieldError = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    if (this.data.kind !== 'ready') this.data = { kind: 'loading' };
    try {
      this.data = { kind: 'ready', teams: await listTeams() };
    } catch (err) {
      this.data = { kind: 'failed', message: errorMessage(err) };
    }
  }

  private async save(team: TeamDto, body: { name?: string; archived?: boolean }): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = '';
    try {
      await updateTeam(team.id, body);
      this.dialog = { kind: 'none' };
      await this.load();
    } catch (err) {
      if (err instanceof ApiError && err.field === 'name') {
        this.fieldError = err.code === 'conflict' ? msg('A team with this name already exists.', { id: 'admin.teamExists' }) : err.message;
      } else if (this.dialog.kind === 'rename') this.fieldError = errorMessage(err);
      else {
        this.dialog = { kind: 'none' };
        this.error = errorMessage(err);
      }
    } finally {
      this.busy = false;
    }
  }

  private async showMembers(team: TeamDto): Promise<void> {
    this.dialog = { kind: 'members', team, members: { kind: 'loading' } };
    let members: Members;
    try {
      members = { kind: 'ready', users: await teamMembers(team.id) };
    } catch (err) {
      members = { kind: 'failed', message: errorMessage(err) };
    }
    if (this.dialog.kind === 'members' && this.dialog.team.id === team.id) this.dialog = { ...this.dialog, members };
  }

  private renderMembers(members: Members) {
    switch (members.kind) {
      case 'loading':
        return html`<tandem-loading></tandem-loading>`;
      case 'failed':
        return html`<tandem-alert>${members.message}</tandem-alert>`;
      case 'ready':
        return members.users.length === 0
          ? html`<p class="muted">${msg('Nobody belongs to this team yet.', { id: 'lists.teams.noMembers' })}</p>`
          : html`<ul class="rows">
              ${members.users.map(
                (u) => html`<li>
                  <div class="labels"><span>${u.name}</span><span class="muted">${u.email}</span></div>
                  <span class="badge">${roleLabel(u.role)}</span>
                  ${u.active ? nothing : html`<span class="badge danger">${msg('Deactivated', { id: 'admin.deactivated' })}</span>`}
                </li>`,
              )}
            </ul>`;
      default:
        return members satisfies never;
    }
  }

  private renderDialog() {
    const d = this.dialog;
    const close = () => (this.dialog = { kind: 'none' });
    return html`<tandem-dialog
      .open=${d.kind !== 'none'}
      heading=${d.kind === 'rename'
        ? msg(str`Rename ${d.team.name}`, { id: 'lists.teams.renameHeading' })
        : d.kind === 'archive'
          ? msg(str`Archive ${d.team.name}?`, { id: 'lists.teams.archiveHeading' })
          : d.kind === 'members'
            ? msg(str`Members of ${d.team.name}`, { id: 'lists.teams.membersHeading' })
            : ''}
      @close=${close}
    >
      ${d.kind === 'rename'
        ? html`<form
            novalidate
            @submit=${(e: Event) => {
              e.preventDefault();
              const input = this.renderRoot.querySelector<HTMLInputElement>('#team-rename');
              const name = input?.value.trim() ?? '';
              if (!name) {
                this.fieldError = msg('Enter a team name.', { id: 'admin.teamNameRequired' });
                input?.focus();
                return;
              }
              void this.save(d.team, { name });
            }}
          >
            <div class="field">
              <label for="team-rename">${msg('Team name', { id: 'admin.teamName' })}</label>
              <input id="team-rename" maxlength=${NAME_MAX} .value=${d.team.name} data-autofocus aria-invalid=${this.fieldError ? 'true' : 'false'} aria-describedby="team-rename-error" />
              ${this.fieldError ? html`<span id="team-rename-error" class="field-error">${this.fieldError}</span>` : nothing}
            </div>
            <div class="actions end">
              <button type="button" @click=${close}>${msg('Cancel', { id: 'common.cancel' })}</button>
              <button class="primary" type="submit" ?disabled=${this.busy}>${msg('Rename', { id: 'lists.rename' })}</button>
            </div>
          </form>`
        : d.kind === 'archive'
          ? html`<form
              @submit=${(e: Event) => {
                e.preventDefault();
                void this.save(d.team, { archived: true });
              }}
            >
              <p>${msg('Its members and customers stay as they are; the team leaves the pickers and takes no new members. You can restore it later.', { id: 'lists.teams.archiveText' })}</p>
              <div class="actions end">
                <button type="button" data-autofocus @click=${close}>${msg('Cancel', { id: 'common.cancel' })}</button>
                <button class="primary" type="submit" ?disabled=${this.busy}>${msg('Archive', { id: 'lists.archive' })}</button>
              </div>
            </form>`
          : d.kind === 'members'
            ? html`${this.renderMembers(d.members)}
                <div class="actions end"><button type="button" data-autofocus @click=${close}>${msg('Close', { id: 'common.close' })}</button></div>`
            : nothing}
    </tandem-dialog>`;
  }

  override render() {
    const data = this.data;
    return html`<section class="card" aria-labelledby="teams-admin-heading">
      <header>
        <div>
          <h2 id="teams-admin-heading">${msg('Teams', { id: 'admin.teams' })}</h2>
          <p class="muted">${msg('Rename, archive or restore a team, and see who belongs to it.', { id: 'lists.teams.intro' })}</p>
        </div>
      </header>
      ${this.error ? html`<tandem-alert>${this.error}</tandem-alert>` : nothing}
      ${data.kind === 'loading'
        ? html`<tandem-loading></tandem-loading>`
        : data.kind === 'failed'
          ? html`<tandem-empty-state icon="alert" heading=${msg('The list could not be loaded', { id: 'lists.loadFailed' })}>
              ${data.message}
              <button slot="actions" class="primary" type="button" @click=${() => this.load()}>${msg('Try again', { id: 'common.retry' })}</button>
            </tandem-empty-state>`
          : data.teams.length === 0
            ? html`<tandem-empty-state icon="team" heading=${msg('No teams yet', { id: 'admin.noTeams' })}>
                ${msg('Create a team before adding managers and reps.', { id: 'admin.noTeamsText' })}
              </tandem-empty-state>`
            : html`<ul class="rows">
                ${repeat(
                  data.teams,
                  (t) => t.id,
                  (t) => html`<li data-team=${t.id} class=${t.archived ? 'archived' : ''}>
                    <div class="labels"><span>${t.name}</span></div>
                    ${t.archived ? html`<span class="badge">${msg('Archived', { id: 'lists.archived' })}</span>` : nothing}
                    <div class="row-actions">
                      <button type="button" @click=${() => this.showMembers(t)}>${msg('Members', { id: 'lists.teams.members' })}<span class="visually-hidden"> ${t.name}</span></button>
                      <button type="button" @click=${() => {
                        this.fieldError = '';
                        this.dialog = { kind: 'rename', team: t };
                      }}>${msg('Rename', { id: 'lists.rename' })}<span class="visually-hidden"> ${t.name}</span></button>
                      <button type="button" ?disabled=${this.busy} @click=${() => {
                        if (t.archived) void this.save(t, { archived: false });
                        else this.dialog = { kind: 'archive', team: t };
                      }}>
                        ${t.archived ? msg('Restore', { id: 'lists.restore' }) : msg('Archive', { id: 'lists.archive' })}<span class="visually-hidden"> ${t.name}</span>
                      </button>
                    </div>
                  </li>`,
                )}
              </ul>`}
      ${this.renderDialog()}
    </section>`;
  }
}

customElements.define('tandem-teams-admin', TandemTeamsAdmin);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-teams-admin': TandemTeamsAdmin;
  }
}
