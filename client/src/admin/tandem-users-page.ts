/**
 * Administration of users and teams: every user with role, team and status;
 * changing role or team in place; deactivating (their sessions end at once)
 * and reactivating; creating users and teams.
 */
import { ContextConsumer } from '@lit/context';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { Role, TeamDto, UpdateUserBody, UserDto } from '../../../schema/wire/user.ts';
import { ApiError } from '../api/http.ts';
import { listTeams } from '../api/teams.ts';
import { listUsers, updateUser } from '../api/users.ts';
import { sessionContext } from '../app/contexts.ts';
import { roleLabel } from '../app/role-label.ts';
import { errorMessage } from '../ui/error-message.ts';
import { icons } from '../ui/icons.ts';
import { badges, base, buttons, cards, forms, tables } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import '../ui/tandem-dialog.ts';
import '../ui/tandem-empty-state.ts';
import '../ui/tandem-loading.ts';
import './tandem-account-help.ts';
import './tandem-team-create-form.ts';
import './tandem-workspace-security.ts';
import './tandem-workspace-deals.ts';
import './tandem-user-create-form.ts';
import './tandem-handover-form.ts';
import type { TandemTeamCreateForm } from './tandem-team-create-form.ts';
import type { TandemUserCreateForm } from './tandem-user-create-form.ts';

const ROLES: readonly Role[] = ['admin', 'manager', 'rep'];

type Data = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'ready'; users: UserDto[]; teams: TeamDto[] };
type Dialog = 'none' | 'user' | 'team' | { deactivate: UserDto } | { handover: UserDto; deactivating: boolean };

export class TandemUsersPage extends LitElement {
  static override properties = {
    data: { state: true },
    dialog: { state: true },
    filter: { state: true },
    notice: { state: true },
    actionError: { state: true },
    pending: { state: true },
  };
  static override styles = [
    base,
    buttons,
    forms,
    cards,
    tables,
    badges,
    css`
      :host {
        display: grid;
        gap: var(--t-space-5);
      }
      .toolbar {
        display: flex;
        gap: var(--t-space-3);
        align-items: end;
        flex-wrap: wrap;
      }
      .toolbar .field {
        flex: 1 1 240px;
        max-width: 360px;
      }
      .toolbar .actions {
        margin-left: auto;
      }
      .who {
        display: grid;
      }
      .who .login {
        color: var(--t-muted);
        font-size: var(--t-font-size-sm);
      }
      tr.inactive .who {
        opacity: 0.65;
      }
      td.actions-cell {
        text-align: right;
      }
      .teams ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(240px, 1fr));
        gap: var(--t-space-3);
      }
      .teams li {
        display: flex;
        justify-content: space-between;
        align-items: center;
        gap: var(--t-space-2);
        padding: var(--t-space-3) var(--t-space-4);
        border: 1px solid var(--t-border);
        border-radius: var(--t-radius-sm);
        background: var(--t-surface-2);
      }
      .teams li strong {
        font-weight: 600;
        white-space: nowrap;
        overflow: hidden;
        text-overflow: ellipsis;
      }
    `,
  ];
  declare data: Data;
  declare dialog: Dialog;
  declare filter: string;
  declare notice: string;
  declare actionError: string;
  /** Ids of users with a change on its way to the server. */
  declare pending: ReadonlySet<string>;
  private readonly session = new ContextConsumer(this, { context: sessionContext, subscribe: true });
  /** The latest change sent for each user (see change()). */
  private readonly latestChange = new Map<string, number>();
  private changeSeq = 0;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.data = { kind: 'loading' };
    this.dialog = 'none';
    this.filter = '';
    this.notice = '';
    this.actionError = '';
    this.pending = new Set();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    this.data = { kind: 'loading' };
    try {
      const [users, teams] = await Promise.all([listUsers(), listTeams()]);
      this.data = { kind: 'ready', users, teams };
    } catch (err) {
      this.data = { kind: 'failed', message: errorMessage(err) };
    }
  }

  private replaceUser(user: UserDto): void {
    if (this.data.kind !== 'ready') return;
    const users = this.data.users.some((u) => u.id === user.id)
      ? this.data.users.map((u) => (u.id === user.id ? user : u))
      : [...this.data.users, user];
    this.data = { ...this.data, users };
  }

  /**
   * Sends one change of a user. Controls stay enabled meanwhile (disabling a
   * focused control would throw keyboard users out of the table), so changes
   * can overlap: only the answer to the latest one per user is shown.
   */
  private async change(user: UserDto, body: UpdateUserBody, control?: HTMLSelectElement): Promise<void> {
    const seq = ++this.changeSeq;
    this.latestChange.set(user.id, seq);
    const isLatest = () => this.latestChange.get(user.id) === seq;
    this.actionError = '';
    this.notice = '';
    this.pending = new Set(this.pending).add(user.id);
    try {
      const updated = await updateUser(user.id, body);
      if (!isLatest()) return;
      this.replaceUser(updated);
      this.notice = msg(str`Saved the changes to ${updated.name}.`, { id: 'admin.saved' });
    } catch (err) {
      if (!isLatest()) return;
      // Put the control back to what the server still holds.
      if (control) control.value = body.role !== undefined ? user.role : (user.teamId ?? '');
      this.actionError =
        err instanceof ApiError && err.field === 'teamId'
          ? msg('Managers and reps belong to a team: choose one.', { id: 'admin.teamRequired' })
          : errorMessage(err);
    } finally {
      if (isLatest()) {
        const pending = new Set(this.pending);
        pending.delete(user.id);
        this.pending = pending;
      }
    }
  }

  private async openDialog(which: 'user' | 'team'): Promise<void> {
    const form = this.renderRoot.querySelector<TandemUserCreateForm | TandemTeamCreateForm>(
      which === 'user' ? 'tandem-user-create-form' : 'tandem-team-create-form',
    );
    form?.reset();
    this.dialog = which;
  }

  private onUserCreated(e: CustomEvent<UserDto>): void {
    this.replaceUser(e.detail);
    this.dialog = 'none';
    this.actionError = '';
    this.notice = msg(str`Created ${e.detail.name}. They will choose their own password at first sign-in.`, { id: 'admin.userCreated' });
  }

  private onTeamCreated(e: CustomEvent<TeamDto>): void {
    if (this.data.kind === 'ready') this.data = { ...this.data, teams: [...this.data.teams, e.detail].sort((a, b) => a.name.localeCompare(b.name)) };
    this.dialog = 'none';
    this.actionError = '';
    this.notice = msg(str`Created the team ${e.detail.name}.`, { id: 'admin.teamCreated' });
  }

  private visibleUsers(users: UserDto[]): UserDto[] {
    const q = this.filter.trim().toLowerCase();
    if (!q) return users;
    return users.filter((u) => u.name.toLowerCase().includes(q) || u.email.includes(q));
  }

  private renderRow(user: UserDto, teams: TeamDto[], me: UserDto | undefined) {
    const self = user.id === me?.id;
    const busy = this.pending.has(user.id);
    return html`<tr class=${user.active ? '' : 'inactive'} data-user=${user.email} aria-busy=${busy ? 'true' : 'false'}>
      <td>
        <div class="who">
          <span>${user.name}${self ? html` <span class="badge primary">${msg('You', { id: 'admin.you' })}</span>` : nothing}</span>
          <span class="login">${user.email}</span>
        </div>
      </td>
      <td>
        <select
          aria-label=${msg(str`Role of ${user.name}`, { id: 'admin.roleOf' })}
          ?disabled=${self}
          @change=${(e: Event) => {
            const select = e.target as HTMLSelectElement;
            void this.change(user, { role: select.value as Role }, select);
          }}
        >
          ${ROLES.map((r) => html`<option value=${r} ?selected=${r === user.role}>${roleLabel(r)}</option>`)}
        </select>
      </td>
      <td>
        <select
          aria-label=${msg(str`Team of ${user.name}`, { id: 'admin.teamOf' })}
          @change=${(e: Event) => {
            const select = e.target as HTMLSelectElement;
            void this.change(user, { teamId: select.value || null }, select);
          }}
        >
          <option value="" ?selected=${!user.teamId}>${msg('No team', { id: 'admin.noTeam' })}</option>
          ${teams.map((t) => html`<option value=${t.id} ?selected=${t.id === user.teamId}>${t.name}</option>`)}
        </select>
      </td>
      <td>
        ${user.active
          ? html`<span class="badge success">${msg('Active', { id: 'admin.active' })}</span>`
          : html`<span class="badge danger">${msg('Deactivated', { id: 'admin.deactivated' })}</span>`}
        ${user.mustChangePassword && user.active ? html`<span class="badge">${msg('Initial password', { id: 'admin.initialPassword' })}</span>` : nothing}
      </td>
      <td class="actions-cell">
        ${self ? nothing : html`<tandem-account-help .user=${user}></tandem-account-help>`}
        ${self || !user.teamId
          ? nothing
          : html`<button type="button" @click=${() => (this.dialog = { handover: user, deactivating: false })}>
              ${msg('Hand over…', { id: 'handover.open' })}<span class="visually-hidden">${user.name}</span>
            </button>`}
        ${self
          ? nothing
          : // One button for both states, so it keeps focus when its action flips.
            html`<button
              type="button"
              class=${user.active ? 'danger' : ''}
              aria-disabled=${busy ? 'true' : 'false'}
              @click=${() => {
                if (busy) return;
                if (user.active) this.dialog = { deactivate: user };
                else void this.change(user, { active: true });
              }}
            >
              ${user.active ? msg('Deactivate', { id: 'admin.deactivate' }) : msg('Reactivate', { id: 'admin.reactivate' })}
              <span class="visually-hidden">${user.name}</span>
            </button>`}
      </td>
    </tr>`;
  }

  private renderUsers(users: UserDto[], teams: TeamDto[]) {
    const me = this.session.value?.user;
    const visible = this.visibleUsers(users);
    if (visible.length === 0) {
      return html`<tandem-empty-state icon="users" heading=${msg('No users match this filter', { id: 'admin.noMatch' })}>
        ${msg('Try part of a name or a sign-in name.', { id: 'admin.noMatchText' })}
      </tandem-empty-state>`;
    }
    return html`<div class="table-wrap">
      <table>
        <caption class="visually-hidden">${msg('Users', { id: 'nav.users' })}</caption>
        <thead>
          <tr>
            <th scope="col">${msg('Name', { id: 'settings.name' })}</th>
            <th scope="col">${msg('Role', { id: 'settings.role' })}</th>
            <th scope="col">${msg('Team', { id: 'admin.team' })}</th>
            <th scope="col">${msg('Status', { id: 'admin.status' })}</th>
            <th scope="col"><span class="visually-hidden">${msg('Actions', { id: 'admin.actions' })}</span></th>
          </tr>
        </thead>
        <tbody>
          ${repeat(
            visible,
            (u) => u.id,
            (u) => this.renderRow(u, teams, me),
          )}
        </tbody>
      </table>
    </div>`;
  }

  private renderTeams(users: UserDto[], teams: TeamDto[]) {
    return html`<section class="card teams" aria-labelledby="teams-heading">
      <header>
        <div>
          <h2 id="teams-heading">${msg('Teams', { id: 'admin.teams' })}</h2>
          <p class="muted">${msg('Managers and reps work within one team and see its customers.', { id: 'admin.teamsIntro' })}</p>
        </div>
        <button type="button" @click=${() => this.openDialog('team')}>${icons.plus}${msg('New team', { id: 'admin.newTeam' })}</button>
      </header>
      ${teams.length === 0
        ? html`<tandem-empty-state icon="team" heading=${msg('No teams yet', { id: 'admin.noTeams' })}>
            ${msg('Create a team before adding managers and reps.', { id: 'admin.noTeamsText' })}
          </tandem-empty-state>`
        : html`<ul>
            ${teams.map((t) => {
              const count = users.filter((u) => u.teamId === t.id && u.active).length;
              return html`<li>
                <strong>${t.name}</strong>
                <span class="badge">${msg(str`Members: ${count}`, { id: 'admin.memberCount' })}</span>
              </li>`;
            })}
          </ul>`}
    </section>`;
  }

  private renderDeactivate() {
    const target = typeof this.dialog === 'object' && 'deactivate' in this.dialog ? this.dialog.deactivate : null;
    return html`<tandem-dialog
      .open=${target !== null}
      heading=${target ? msg(str`Deactivate ${target.name}?`, { id: 'admin.deactivateConfirm' }) : ''}
      @close=${() => {
        if (typeof this.dialog === 'object' && 'deactivate' in this.dialog) this.dialog = 'none';
      }}
    >
      <form
        @submit=${(e: Event) => {
          e.preventDefault();
          if (!target) return;
          this.dialog = 'none';
          void this.change(target, { active: false });
        }}
      >
        <p>${msg('They are signed out at once and can no longer sign in. Their customers and history stay. You can reactivate them later.', { id: 'admin.deactivateText' })}</p>
        ${target?.teamId
          ? html`<p>
              ${msg('So that no customer is left without an owner, hand their book over to colleagues first.', { id: 'handover.beforeDeactivate' })}
              <button type="button" class="link" @click=${() => (this.dialog = { handover: target, deactivating: true })}>${msg('Hand over…', { id: 'handover.open' })}</button>
            </p>`
          : nothing}
        <div class="actions end">
          <button type="button" data-autofocus @click=${() => (this.dialog = 'none')}>${msg('Cancel', { id: 'common.cancel' })}</button>
          <button class="primary" type="submit">${msg('Deactivate', { id: 'admin.deactivate' })}</button>
        </div>
      </form>
    </tandem-dialog>`;
  }

  private renderHandover(users: UserDto[]) {
    const state = typeof this.dialog === 'object' && 'handover' in this.dialog ? this.dialog : null;
    const close = () => {
      if (typeof this.dialog === 'object' && 'handover' in this.dialog) this.dialog = 'none';
    };
    return html`<tandem-dialog
      style="--t-dialog-width: 680px"
      .open=${state !== null}
      heading=${state ? msg(str`Hand over the book of ${state.handover.name}`, { id: 'handover.heading' }) : ''}
      @close=${close}
    >
      <tandem-handover-form
        .from=${state?.handover ?? null}
        .users=${users}
        ?offerDeactivate=${state?.deactivating ?? false}
        @cancel=${close}
        @deactivate=${() => {
          if (!state) return;
          this.dialog = 'none';
          void this.change(state.handover, { active: false });
        }}
      ></tandem-handover-form>
    </tandem-dialog>`;
  }

  override render() {
    const data = this.data;
    switch (data.kind) {
      case 'loading':
        return html`<tandem-loading></tandem-loading>`;
      case 'failed':
        return html`<tandem-empty-state icon="alert" heading=${msg('Users could not be loaded', { id: 'admin.loadFailed' })}>
          ${data.message}
          <button slot="actions" class="primary" type="button" @click=${() => this.load()}>${msg('Try again', { id: 'common.retry' })}</button>
        </tandem-empty-state>`;
      case 'ready':
        return html`
          <div class="toolbar">
            <div class="field">
              <label for="filter">${msg('Find a user', { id: 'admin.filter' })}</label>
              <input id="filter" type="search" .value=${this.filter} @input=${(e: Event) => (this.filter = (e.target as HTMLInputElement).value)} />
            </div>
            <div class="actions">
              <button class="primary" type="button" @click=${() => this.openDialog('user')}>${icons.plus}${msg('New user', { id: 'admin.newUser' })}</button>
            </div>
          </div>
          ${this.actionError ? html`<tandem-alert>${this.actionError}</tandem-alert>` : nothing}
          ${this.notice ? html`<tandem-alert kind="success">${this.notice}</tandem-alert>` : nothing}
          ${this.renderUsers(data.users, data.teams)}
          ${this.renderTeams(data.users, data.teams)}
          <tandem-workspace-security></tandem-workspace-security>
          <tandem-workspace-deals></tandem-workspace-deals>
          <tandem-dialog .open=${this.dialog === 'user'} heading=${msg('New user', { id: 'admin.newUser' })} @close=${() => (this.dialog = 'none')}>
            <tandem-user-create-form
              .teams=${data.teams}
              @user-created=${this.onUserCreated}
              @cancel=${() => (this.dialog = 'none')}
            ></tandem-user-create-form>
          </tandem-dialog>
          <tandem-dialog .open=${this.dialog === 'team'} heading=${msg('New team', { id: 'admin.newTeam' })} @close=${() => (this.dialog = 'none')}>
            <tandem-team-create-form @team-created=${this.onTeamCreated} @cancel=${() => (this.dialog = 'none')}></tandem-team-create-form>
          </tandem-dialog>
          ${this.renderDeactivate()} ${this.renderHandover(data.users)}
        `;
      default:
        return data satisfies never;
    }
  }
}

customElements.define('tandem-users-page', TandemUsersPage);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-users-page': TandemUsersPage;
  }
}
