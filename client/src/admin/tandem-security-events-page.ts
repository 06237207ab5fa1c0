/**
 * The security events, for admins: failed sign-ins, sign-in limits reached and the other
 * kinds of schema/wire/security-events.ts, newest first, filtered by kind (kept in the
 * address as `?kind=`), a page at a time. On a phone each event is a card.
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { html, LitElement, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { SECURITY_EVENT_KINDS, type SecurityEventDto, type SecurityEventKind } from '../../../schema/wire/security-events.ts';
import { listSecurityEvents } from '../api/security-events.ts';
import { currentLocale } from '../app/localization.ts';
import { navigate } from '../app/router.ts';
import { errorMessage } from '../ui/error-message.ts';
import { badges, base, buttons, forms, tables } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import '../ui/tandem-empty-state.ts';
import '../ui/tandem-loading.ts';
import { securityEventsPageStyles } from './security-events-page.styles.ts';
import { securityEventDetailText, securityEventKindLabel, securityEventTone } from './security-event-labels.ts';

type Data =
  | { kind: 'loading' }
  | { kind: 'failed'; message: string }
  | { kind: 'ready'; items: SecurityEventDto[]; nextCursor: string | null };
type More = { kind: 'idle' } | { kind: 'loading' } | { kind: 'failed'; message: string };

export const SECURITY_EVENTS_PATH = '/admin/security';

function isKind(v: string | null): v is SecurityEventKind {
  return v !== null && (SECURITY_EVENT_KINDS as readonly string[]).includes(v);
}

export class TandemSecurityEventsPage extends LitElement {
  static override properties = { data: { state: true }, more: { state: true }, filter: { state: true } };
  static override styles = [base, buttons, forms, tables, badges, securityEventsPageStyles];
  declare data: Data;
  declare more: More;
  declare filter: SecurityEventKind | '';
  private abort: AbortController | null = null;
  private timeFormat: { locale: string; format: Intl.DateTimeFormat } | null = null;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.data = { kind: 'loading' };
    this.more = { kind: 'idle' };
    const kind = new URLSearchParams(location.search).get('kind');
    this.filter = isKind(kind) ? kind : '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort?.abort();
  }

  /** The first page, for the current filter; an answer to an older filter is dropped. */
  private async load(): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    this.data = { kind: 'loading' };
    this.more = { kind: 'idle' };
    try {
      const page = await listSecurityEvents({ kind: this.filter || undefined, signal: abort.signal });
      this.data = { kind: 'ready', items: page.items, nextCursor: page.nextCursor };
    } catch (err) {
      if (abort.signal.aborted) return;
      this.data = { kind: 'failed', message: errorMessage(err) };
    }
  }

  private async loadMore(): Promise<void> {
    const data = this.data;
    if (data.kind !== 'ready' || !data.nextCursor || this.more.kind === 'loading') return;
    const abort = new AbortController();
    this.abort = abort;
    this.more = { kind: 'loading' };
    try {
      const page = await listSecurityEvents({ kind: this.filter || undefined, cursor: data.nextCursor, signal: abort.signal });
      this.data = { kind: 'ready', items: [...data.items, ...page.items], nextCursor: page.nextCursor };
      this.more = { kind: 'idle' };
      // Reading goes on at the first new event (the button may be gone: it was the last page).
      await this.updateComplete;
      const first = page.items[0];
      if (first) this.renderRoot.querySelector<HTMLElement>(`tr[data-id="${first.id}"]`)?.focus();
    } catch (err) {
      if (abort.signal.aborted) return;
      this.more = { kind: 'failed', message: errorMessage(err) };
    }
  }

  private setFilter(value: string): void {
    this.filter = isKind(value) ? value : '';
    navigate(this.filter ? `${SECURITY_EVENTS_PATH}?kind=${this.filter}` : SECURITY_EVENTS_PATH, { replace: true });
    void this.load();
  }

  private time(iso: string): string {
    const locale = currentLocale();
    if (this.timeFormat?.locale !== locale) {
      this.timeFormat = { locale, format: new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }) };
    }
    return this.timeFormat.format.format(new Date(iso));
  }

  private renderRow(e: SecurityEventDto) {
    const detail = securityEventDetailText(e);
    const tone = securityEventTone(e.kind);
    return html`<tr data-id=${e.id} tabindex="-1">
      <td data-label=${msg('When', { id: 'security.when' })}><time datetime=${e.at}>${this.time(e.at)}</time></td>
      <td data-label=${msg('Event', { id: 'security.event' })}>
        <div class="stack">
          <span><span class="badge ${tone}">${securityEventKindLabel(e.kind)}</span></span>
          ${detail ? html`<span class="sub">${detail}</span>` : nothing}
        </div>
      </td>
      <td data-label=${msg('Account', { id: 'security.account' })}>
        ${e.user
          ? html`<div class="stack"><span>${e.user.name}</span><span class="sub">${e.user.email}</span></div>`
          : html`<span class=${e.email ? '' : 'sub'}>${e.email ?? msg('Not an account', { id: 'security.noAccount' })}</span>`}
      </td>
      <td data-label=${msg('From', { id: 'security.from' })}>
        <div class="stack">
          <span>${e.address ?? '—'}</span>
          ${e.userAgent ? html`<span class="sub agent" title=${e.userAgent}>${e.userAgent}</span>` : nothing}
        </div>
      </td>
    </tr>`;
  }

  private renderList(items: SecurityEventDto[], nextCursor: string | null) {
    if (items.length === 0) {
      return html`<tandem-empty-state icon="shield" heading=${this.filter
        ? msg('No events of this kind', { id: 'security.emptyKind' })
        : msg('No security events yet', { id: 'security.empty' })}>
        ${this.filter
          ? msg('Choose another kind of event, or all events.', { id: 'security.emptyKindText' })
          : msg('Failed sign-ins and sign-in limits reached will be listed here.', { id: 'security.emptyText' })}
      </tandem-empty-state>`;
    }
    const more = this.more;
    return html`<div class="table-wrap">
        <table>
          <caption class="visually-hidden">${msg('Security events', { id: 'security.title' })}</caption>
          <thead>
            <tr>
              <th scope="col">${msg('When', { id: 'security.when' })}</th>
              <th scope="col">${msg('Event', { id: 'security.event' })}</th>
              <th scope="col">${msg('Account', { id: 'security.account' })}</th>
              <th scope="col">${msg('From', { id: 'security.from' })}</th>
            </tr>
          </thead>
          <tbody>
            ${repeat(
              items,
              (e) => e.id,
              (e) => this.renderRow(e),
            )}
          </tbody>
        </table>
      </div>
      ${more.kind === 'failed' ? html`<tandem-alert>${more.message}</tandem-alert>` : nothing}
      <div class="footer">
        <span class="muted" role="status">${msg(str`Events shown: ${items.length}`, { id: 'security.count' })}</span>
        ${nextCursor
          ? html`<button type="button" aria-disabled=${more.kind === 'loading' ? 'true' : 'false'} @click=${() => this.loadMore()}>
              ${more.kind === 'loading' ? msg('Loading…', { id: 'common.loading' }) : msg('Show older events', { id: 'security.more' })}
            </button>`
          : nothing}
      </div>`;
  }

  private renderBody() {
    const data = this.data;
    switch (data.kind) {
      case 'loading':
        return html`<tandem-loading></tandem-loading>`;
      case 'failed':
        return html`<tandem-empty-state icon="alert" heading=${msg('Security events could not be loaded', { id: 'security.loadFailed' })}>
          ${data.message}
          <button slot="actions" class="primary" type="button" @click=${() => this.load()}>${msg('Try again', { id: 'common.retry' })}</button>
        </tandem-empty-state>`;
      case 'ready':
        return this.renderList(data.items, data.nextCursor);
      default:
        return data satisfies never;
    }
  }

  override render() {
    return html`<p class="muted">
        ${msg('Failed sign-ins, sign-in limits reached and other security events, newest first. Passwords are never recorded.', {
          id: 'security.intro',
        })}
      </p>
      <div class="toolbar">
        <div class="field">
          <label for="kind">${msg('Kind of event', { id: 'security.kindFilter' })}</label>
          <select id="kind" @change=${(e: Event) => this.setFilter((e.target as HTMLSelectElement).value)}>
            <option value="" ?selected=${this.filter === ''}>${msg('All events', { id: 'security.allKinds' })}</option>
            ${SECURITY_EVENT_KINDS.map((k) => html`<option value=${k} ?selected=${this.filter === k}>${securityEventKindLabel(k)}</option>`)}
          </select>
        </div>
        <button type="button" @click=${() => this.load()}>${msg('Refresh', { id: 'security.refresh' })}</button>
      </div>
      ${this.renderBody()}`;
  }
}

customElements.define('tandem-security-events-page', TandemSecurityEventsPage);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-security-events-page': TandemSecurityEventsPage;
  }
}
