/**
 * My day (`/tasks`): the signed-in user's open tasks in three sections —
 * overdue, today, upcoming — computed by the server in the browser's time
 * zone. Create, edit, mark done and reopen; managers can switch to their
 * team's open tasks. `/tasks/:id` (the link of a task notification) opens
 * that task. A new notification about a task refreshes the lists, and so does
 * `task:changed` (a teammate's create, edit, hand-over or completion), the
 * changed rows flashing briefly.
 *
 * Offline (docs/offline.md, "Lists"): each view's last answer, with the names
 * of its customers, is kept on this device (offline/kept-lists.ts) and drawn
 * under "Offline — showing the list as of …" when the server cannot be
 * reached; marking done, reopening and editing need the server and are
 * disabled, a new task waits in the outbox and is listed "waiting to send".
 */
import { ContextConsumer } from '@lit/context';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { MyDayDto, TaskDto } from '../../../schema/wire/tasks.ts';
import type { UserDto } from '../../../schema/wire/user.ts';
import { getCustomer } from '../api/customers.ts';
import { ApiError } from '../api/http.ts';
import { getTask, listTeamTasks, myDay, setTaskDone } from '../api/tasks.ts';
import { listUsers } from '../api/users.ts';
import { notificationsContext, sessionContext } from '../app/contexts.ts';
import { currentLocale } from '../app/localization.ts';
import { navigate } from '../app/router.ts';
import { formatDateTime } from '../customers/customer-labels.ts';
import { keepList, keptList } from '../offline/kept-lists.ts';
import { keptListText, needsNetworkText, notSentText, waitingToSendText } from '../offline/offline-messages.ts';
import { OnlineController } from '../offline/online-controller.ts';
import { OutboxController } from '../offline/outbox-controller.ts';
import type { OutboxEntry } from '../offline/outbox.ts';
import { queuedText } from '../offline/queued.ts';
import { LiveListController } from '../realtime/live-list-controller.ts';
import { errorMessage } from '../ui/error-message.ts';
import { icons } from '../ui/icons.ts';
import { badges, base, buttons, cards, liveRows } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import '../ui/tandem-empty-state.ts';
import '../ui/tandem-loading.ts';
import { dueText } from './task-time.ts';
import './tandem-task-dialog.ts';

type View = 'mine' | 'team';

type Load =
  | { kind: 'loading' }
  | { kind: 'failed'; error: unknown }
  | { kind: 'mine'; day: MyDayDto }
  | { kind: 'team'; items: TaskDto[]; dayStart: string; dayEnd: string };

type Loaded = Extract<Load, { kind: 'mine' | 'team' }>;

/** A view's answer as kept on this device, with the names of its customers (they come from other requests). */
interface KeptTasks {
  load: Loaded;
  customerNames: [string, string][];
}

const keptKey = (view: View) => `tasks:${view}`;

type Editing = { kind: 'closed' } | { kind: 'new' } | { kind: 'edit'; task: TaskDto };

type Section = 'overdue' | 'today' | 'upcoming';

function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

function todayBounds(): { dayStart: string; dayEnd: string } {
  const start = new Date();
  start.setHours(0, 0, 0, 0);
  const end = new Date(start);
  end.setDate(end.getDate() + 1);
  return { dayStart: start.toISOString(), dayEnd: end.toISOString() };
}

function tasksOf(load: Loaded): TaskDto[] {
  return load.kind === 'mine' ? [...load.day.overdue, ...load.day.today, ...load.day.upcoming] : load.items;
}

export class TandemTasksPage extends LitElement {
  static override properties = {
    taskId: { type: String, attribute: 'task-id' },
    view: { state: true },
    load: { state: true },
    users: { state: true },
    customerNames: { state: true },
    editing: { state: true },
    doneHere: { state: true },
    actionError: { state: true },
    notice: { state: true },
    keptAt: { state: true },
  };
  static override styles = [
    base,
    buttons,
    cards,
    badges,
    liveRows,
    css`
      :host {
        display: grid;
        gap: var(--t-space-5);
        max-width: 900px;
      }
      .toolbar {
        display: flex;
        flex-wrap: wrap;
        gap: var(--t-space-3);
        align-items: center;
        justify-content: space-between;
      }
      .views {
        display: inline-flex;
        gap: 0;
      }
      .views button {
        border-radius: 0;
      }
      .views button:first-child {
        border-radius: var(--t-radius-sm) 0 0 var(--t-radius-sm);
      }
      .views button:last-child {
        border-radius: 0 var(--t-radius-sm) var(--t-radius-sm) 0;
        margin-left: -1px;
      }
      .views button[aria-pressed='true'] {
        background: var(--t-primary-soft);
        color: var(--t-primary);
        border-color: var(--t-primary);
      }
      section {
        display: grid;
        gap: var(--t-space-2);
      }
      section h2 {
        display: flex;
        gap: var(--t-space-2);
        align-items: center;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        background: var(--t-surface);
        border: 1px solid var(--t-border);
        border-radius: var(--t-radius);
      }
      li {
        display: grid;
        grid-template-columns: minmax(0, 1fr) auto;
        gap: var(--t-space-3);
        align-items: center;
        padding: var(--t-space-3) var(--t-space-4);
        border-bottom: 1px solid var(--t-border);
      }
      li:last-child {
        border-bottom: none;
      }
      .task {
        display: grid;
        gap: 2px;
        min-width: 0;
      }
      .task .title {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      li.done .title {
        text-decoration: line-through;
        color: var(--t-muted);
      }
      .meta {
        display: flex;
        flex-wrap: wrap;
        gap: var(--t-space-3);
        color: var(--t-muted);
        font-size: var(--t-font-size-sm);
      }
      .meta .overdue {
        color: var(--t-danger);
        font-weight: 600;
      }
      .row-actions {
        display: flex;
        gap: var(--t-space-2);
      }
      .none {
        padding: var(--t-space-3) var(--t-space-4);
        color: var(--t-muted);
        background: var(--t-surface);
        border: 1px dashed var(--t-border-strong);
        border-radius: var(--t-radius);
      }
    `,
  ];
  declare taskId: string;
  declare view: View;
  declare load: Load;
  declare users: readonly UserDto[];
  declare customerNames: ReadonlyMap<string, string>;
  declare editing: Editing;
  /** Tasks completed on this page, kept visible so they can be reopened. */
  declare doneHere: readonly TaskDto[];
  declare actionError: string;
  /** A task created offline waits in the outbox: said above the list. */
  declare notice: string;
  /** When the list shown was fetched, if it comes from this device's copy; null for the server's answer. */
  declare keptAt: string | null;
  /** When the list shown was fetched from the server. */
  private fetchedAt: string | null = null;
  private readonly network = new OnlineController(this, () => {
    if (this.keptAt || this.load.kind === 'failed') void this.refresh();
  });
  /** Tasks created offline; once one is sent, the list shows the real task. */
  private readonly outbox = new OutboxController(this, 'task', () => void this.refresh());
  private readonly session = new ContextConsumer(this, { context: sessionContext, subscribe: true });
  /** The newest notification seen; a newer one about a task refreshes the lists. */
  private newestNotification: string | null | undefined = undefined;
  private loadSeq = 0;
  private readonly customerRequests = new Set<string>();
  private readonly live = new LiveListController(this, { events: ['task:changed'], refresh: () => this.refresh() });

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.taskId = '';
    this.view = 'mine';
    this.load = { kind: 'loading' };
    this.users = [];
    this.customerNames = new Map();
    this.editing = { kind: 'closed' };
    this.doneHere = [];
    this.actionError = '';
    this.notice = '';
    this.keptAt = null;
    // A new notification about a task (one assigned to me, say) refreshes the lists.
    new ContextConsumer(this, {
      context: notificationsContext,
      subscribe: true,
      callback: (api) => {
        const newest = api.items[0];
        const id = newest?.id ?? null;
        if (this.newestNotification !== undefined && id !== this.newestNotification && newest?.entity?.type === 'task') void this.refresh();
        this.newestNotification = id;
      },
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.refresh();
    listUsers().then(
      (users) => (this.users = users),
      () => undefined, // Names fall back to "a teammate"; the list itself still works.
    );
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('taskId') && this.taskId) void this.openTask(this.taskId);
  }

  private get isManager(): boolean {
    const role = this.session.value?.user.role;
    return role === 'manager' || role === 'admin';
  }

  private async refresh(): Promise<void> {
    const seq = ++this.loadSeq;
    const view = this.view;
    try {
      const load: Load =
        view === 'mine' ? { kind: 'mine', day: await myDay(browserTimeZone()) } : { kind: 'team', items: (await listTeamTasks()).items, ...todayBounds() };
      if (seq !== this.loadSeq) return;
      this.load = load;
      this.keptAt = null;
      const fetchedAt = new Date().toISOString();
      this.fetchedAt = fetchedAt;
      const tasks = tasksOf(load);
      await this.fetchCustomerNames(tasks);
      // Kept with the names of its customers, for a visit without a network.
      const names = new Set(tasks.map((t) => t.customerId));
      const customerNames = [...this.customerNames].filter(([id]) => names.has(id));
      if (seq !== this.loadSeq) return;
      void keepList(keptKey(view), { load, customerNames } satisfies KeptTasks, fetchedAt);
    } catch (error) {
      if (seq !== this.loadSeq) return;
      // No network: this view as this device last saw it, if it kept it.
      const kept = error instanceof ApiError && error.code === 'network' ? await keptList<KeptTasks>(keptKey(view)) : undefined;
      if (seq !== this.loadSeq) return;
      if (kept) {
        this.load = kept.value.load;
        this.keptAt = kept.savedAt;
        this.customerNames = new Map([...kept.value.customerNames, ...this.customerNames]);
      } else this.load = { kind: 'failed', error };
    }
  }

  /** Fetches the names of the tasks' customers not asked for yet; settles once every answer is in. */
  private async fetchCustomerNames(tasks: readonly TaskDto[]): Promise<void> {
    const requests: Promise<unknown>[] = [];
    for (const id of new Set(tasks.map((t) => t.customerId).filter((id): id is string => id !== null))) {
      if (this.customerRequests.has(id)) continue;
      this.customerRequests.add(id);
      requests.push(
        getCustomer(id).then(
          (c) => (this.customerNames = new Map(this.customerNames).set(id, c.name)),
          // The link still works; it reads "Customer". Without a network, asked again at the next refresh.
          (e) => e instanceof ApiError && e.code === 'network' && this.customerRequests.delete(id),
        ),
      );
    }
    await Promise.all(requests);
  }

  private async openTask(id: string): Promise<void> {
    try {
      const task = await getTask(id);
      if (task.customerId) void this.fetchCustomerNames([task]);
      this.editing = { kind: 'edit', task };
    } catch (error) {
      this.actionError = errorMessage(error);
    }
  }

  private switchView(view: View): void {
    if (view === this.view) return;
    this.view = view;
    this.load = { kind: 'loading' };
    void this.refresh();
  }

  private async toggleDone(task: TaskDto, done: boolean): Promise<void> {
    this.actionError = '';
    try {
      const saved = await setTaskDone(task.id, done);
      this.doneHere = done ? [saved, ...this.doneHere.filter((t) => t.id !== saved.id)] : this.doneHere.filter((t) => t.id !== saved.id);
      await this.refresh();
    } catch (error) {
      this.actionError = errorMessage(error);
    }
  }

  /** Created offline: the dialog closes, the task waits in the outbox (and above the list, "waiting to send"). */
  private onQueued(): void {
    this.closeDialog();
    this.notice = queuedText();
  }

  private closeDialog(): void {
    this.editing = { kind: 'closed' };
    if (this.taskId) navigate('/tasks', { replace: true });
  }

  private async onSaved(): Promise<void> {
    this.notice = '';
    this.closeDialog();
    await this.refresh();
  }

  private userName(id: string): string {
    return this.users.find((u) => u.id === id)?.name ?? msg('A teammate', { id: 'tasks.someone' });
  }

  private sectionHeading(section: Section): string {
    switch (section) {
      case 'overdue':
        return msg('Overdue', { id: 'tasks.overdue' });
      case 'today':
        return msg('Today', { id: 'tasks.today' });
      case 'upcoming':
        return msg('Upcoming', { id: 'tasks.upcoming' });
      default:
        return section satisfies never;
    }
  }

  private renderTask(task: TaskDto, bounds: { dayStart: string; dayEnd: string }, showAssignee: boolean) {
    const locale = currentLocale();
    const overdue = !task.done && task.dueAt !== null && Date.parse(task.dueAt) < Date.now();
    const customerName = task.customerId ? (this.customerNames.get(task.customerId) ?? msg('Customer', { id: 'tasks.customer' })) : '';
    // Marking done, reopening and editing need the server (only creates wait in the outbox).
    const offline = !this.network.online || this.keptAt !== null;
    const offlineTitle = offline ? needsNetworkText() : nothing;
    return html`<li class="${task.done ? 'done' : 'open'} ${this.live.isFresh(task.id) ? 'changed' : ''}" data-task-id=${task.id}>
      <div class="task">
        <span class="title">${task.title}</span>
        <div class="meta">
          ${task.dueAt
            ? html`<span class=${overdue ? 'overdue' : ''}>${msg(str`Due ${dueText(task.dueAt, locale, bounds.dayStart, bounds.dayEnd)}`, { id: 'tasks.dueAt' })}</span>`
            : html`<span>${msg('No due time', { id: 'tasks.noDue' })}</span>`}
          ${showAssignee ? html`<span>${this.userName(task.assigneeId)}</span>` : nothing}
          ${task.customerId ? html`<a href="/customers/${task.customerId}">${customerName}</a>` : nothing}
        </div>
      </div>
      <div class="row-actions">
        ${task.done
          ? html`<button type="button" ?disabled=${offline} title=${offlineTitle} @click=${() => this.toggleDone(task, false)}>${msg('Reopen', { id: 'tasks.reopen' })}</button>`
          : html`<button type="button" ?disabled=${offline} title=${offlineTitle} @click=${() => this.toggleDone(task, true)}>
              ${msg('Mark done', { id: 'tasks.markDone' })}
            </button>`}
        <button
          type="button"
          ?disabled=${offline}
          title=${offlineTitle}
          @click=${() => (this.editing = { kind: 'edit', task })}
          aria-label=${msg(str`Edit ${task.title}`, { id: 'tasks.editOne' })}
        >
          ${msg('Edit', { id: 'tasks.edit' })}
        </button>
      </div>
    </li>`;
  }

  private renderSection(section: Section, tasks: readonly TaskDto[], day: MyDayDto) {
    return html`<section aria-labelledby="h-${section}" data-section=${section}>
      <h2 id="h-${section}">${this.sectionHeading(section)} <span class="badge ${section === 'overdue' && tasks.length > 0 ? 'danger' : ''}">${tasks.length}</span></h2>
      ${tasks.length === 0
        ? html`<p class="none">${msg('Nothing here.', { id: 'tasks.sectionEmpty' })}</p>`
        : html`<ul>${tasks.map((t) => this.renderTask(t, day, false))}</ul>`}
    </section>`;
  }

  /** Tasks created offline, in the order they were made: title, due time, and whether the server refused one. */
  private renderWaiting(entries: readonly OutboxEntry[]) {
    if (entries.length === 0) return nothing;
    const locale = currentLocale();
    const { dayStart, dayEnd } = todayBounds();
    return html`<section aria-labelledby="h-waiting" data-section="waiting">
      <h2 id="h-waiting">${waitingToSendText()} <span class="badge">${entries.length}</span></h2>
      <ul>
        ${entries.map((e) => {
          const dueAt = typeof e.body.dueAt === 'string' ? e.body.dueAt : null;
          return html`<li class="waiting" data-outbox-seq=${e.seq} data-state=${e.state}>
            <div class="task">
              <span class="title">${e.label}</span>
              <div class="meta">
                ${dueAt
                  ? html`<span>${msg(str`Due ${dueText(dueAt, locale, dayStart, dayEnd)}`, { id: 'tasks.dueAt' })}</span>`
                  : html`<span>${msg('No due time', { id: 'tasks.noDue' })}</span>`}
              </div>
            </div>
            ${e.state === 'failed' ? html`<span class="badge danger">${notSentText()}</span>` : html`<span class="badge primary">${waitingToSendText()}</span>`}
          </li>`;
        })}
      </ul>
    </section>`;
  }

  /** "Offline — showing the list as of …": over the kept list, or over the server's once the network is gone. */
  private renderKeptBanner() {
    const at = this.keptAt ?? (this.network.online ? null : this.fetchedAt);
    if (this.load.kind === 'loading' || this.load.kind === 'failed' || !at) return nothing;
    return html`<tandem-alert kind="info" data-kept-list>${keptListText(formatDateTime(at))}</tandem-alert>`;
  }

  private renderBody() {
    const load = this.load;
    switch (load.kind) {
      case 'loading':
        return html`<tandem-loading></tandem-loading>`;
      case 'failed':
        return html`<tandem-empty-state icon="alert" heading=${msg('Tasks could not be loaded', { id: 'tasks.loadFailed' })}>
          ${errorMessage(load.error)}
          <button slot="actions" type="button" @click=${() => this.refresh()}>${msg('Try again', { id: 'common.retry' })}</button>
        </tandem-empty-state>`;
      case 'mine': {
        const { day } = load;
        if (day.overdue.length + day.today.length + day.upcoming.length === 0 && this.doneHere.length === 0 && this.outbox.entries.length === 0) {
          return html`<tandem-empty-state icon="tasks" heading=${msg('Nothing on your list today', { id: 'tasks.emptyHeading' })}>
            ${msg('Tasks assigned to you and follow-ups due today will be gathered here.', { id: 'tasks.emptyText' })}
          </tandem-empty-state>`;
        }
        return html`${this.renderSection('overdue', day.overdue, day)} ${this.renderSection('today', day.today, day)}
        ${this.renderSection('upcoming', day.upcoming, day)}
        ${this.doneHere.length > 0
          ? html`<section aria-labelledby="h-done" data-section="done">
              <h2 id="h-done">${msg('Done just now', { id: 'tasks.doneHere' })}</h2>
              <ul>${this.doneHere.map((t) => this.renderTask(t, day, false))}</ul>
            </section>`
          : nothing}`;
      }
      case 'team':
        return html`<section aria-labelledby="h-team" data-section="team">
          <h2 id="h-team">${msg('Open tasks in your team', { id: 'tasks.teamHeading' })} <span class="badge">${load.items.length}</span></h2>
          ${load.items.length === 0
            ? html`<p class="none">${msg('Your team has no open tasks.', { id: 'tasks.teamEmpty' })}</p>`
            : html`<ul>${load.items.map((t) => this.renderTask(t, load, true))}</ul>`}
        </section>`;
      default:
        return load satisfies never;
    }
  }

  override render() {
    const editing = this.editing;
    return html`<div class="toolbar">
        ${this.isManager
          ? html`<div class="views" role="group" aria-label=${msg('Whose tasks', { id: 'tasks.viewLabel' })}>
              <button type="button" aria-pressed=${this.view === 'mine' ? 'true' : 'false'} @click=${() => this.switchView('mine')}>
                ${msg('My day', { id: 'tasks.myDay' })}
              </button>
              <button type="button" aria-pressed=${this.view === 'team' ? 'true' : 'false'} @click=${() => this.switchView('team')}>
                ${msg('Team', { id: 'tasks.team' })}
              </button>
            </div>`
          : html`<span></span>`}
        <button class="primary" type="button" @click=${() => (this.editing = { kind: 'new' })}>${icons.plus}${msg('New task', { id: 'tasks.newHeading' })}</button>
      </div>
      ${this.renderKeptBanner()} ${this.notice ? html`<tandem-alert kind="info">${this.notice}</tandem-alert>` : nothing}
      ${this.actionError ? html`<tandem-alert kind="error">${this.actionError}</tandem-alert>` : nothing} ${this.renderWaiting(this.outbox.entries)} ${this.renderBody()}
      <tandem-task-dialog
        .open=${editing.kind !== 'closed'}
        .task=${editing.kind === 'edit' ? editing.task : null}
        .users=${this.users}
        .me=${this.session.value?.user ?? null}
        customerName=${editing.kind === 'edit' && editing.task.customerId ? (this.customerNames.get(editing.task.customerId) ?? '') : ''}
        @close=${this.closeDialog}
        @task-saved=${this.onSaved}
        @outbox-queued=${this.onQueued}
      ></tandem-task-dialog>`;
  }
}

customElements.define('tandem-tasks-page', TandemTasksPage);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-tasks-page': TandemTasksPage;
  }
}
