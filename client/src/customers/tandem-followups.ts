/**
 * The follow-up timeline of a customer, read live from the document's
 * `followups` array (newest first: author, time, type, text, next date), with
 * a form that appends an entry: a Y.Map {id, type, authorId, at, nextAt,
 * text: Y.Text} written in one transaction. A follow-up change the server
 * refused is explained above the list (`refusal`; the entry itself is undone
 * by the server's compensation); dismissing it fires `refusal-dismiss`
 * ('followups').
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import * as Y from 'yjs';
import { CUSTOMER_ROOTS, FOLLOWUP_TEXT_MAX_CHARS, FOLLOWUPS_MAX } from '../../../schema/wire/docs.ts';
import type { UserDto } from '../../../schema/wire/user.ts';
import { badges, base, buttons, forms } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import { FOLLOWUP_TYPE_VALUES, followupTypeLabel, formatDateTime } from './customer-labels.ts';

export interface FollowupView {
  id: string;
  /** As written: possibly a type newer than this build's list. */
  type: string;
  authorId: string;
  at: string;
  nextAt: string | null;
  text: string;
}

function readFollowup(m: unknown): FollowupView | null {
  if (!(m instanceof Y.Map)) return null;
  const id = m.get('id');
  const at = m.get('at');
  if (typeof id !== 'string' || typeof at !== 'string') return null;
  const type = m.get('type');
  const text = m.get('text');
  const nextAt = m.get('nextAt');
  return {
    id,
    type: typeof type === 'string' ? type : 'other',
    authorId: String(m.get('authorId') ?? ''),
    at,
    nextAt: typeof nextAt === 'string' ? nextAt : null,
    text: text instanceof Y.Text ? text.toString() : typeof text === 'string' ? text : '',
  };
}

/** `<input type="datetime-local">` value for a Date, in local time. */
function localInputValue(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export class TandemFollowups extends LitElement {
  static override properties = {
    doc: { attribute: false },
    users: { attribute: false },
    userId: { type: String },
    readonly: { type: Boolean },
    refusal: { type: String },
    items: { state: true },
    error: { state: true },
  };
  static override styles = [
    base,
    buttons,
    forms,
    badges,
    css`
      :host {
        display: grid;
        gap: var(--t-space-4);
      }
      form {
        gap: var(--t-space-3);
        padding: var(--t-space-3);
        border: 1px solid var(--t-border);
        border-radius: var(--t-radius-sm);
        background: var(--t-surface-2);
      }
      .row {
        display: grid;
        grid-template-columns: 140px minmax(0, 1fr) minmax(0, 1fr);
        gap: var(--t-space-3);
      }
      .row > *,
      input {
        min-width: 0;
      }
      textarea {
        min-height: 64px;
        padding: var(--t-space-2) var(--t-space-3);
        resize: vertical;
      }
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--t-space-3);
      }
      li {
        border-left: 3px solid var(--t-primary);
        padding: var(--t-space-1) var(--t-space-3);
      }
      .meta {
        display: flex;
        flex-wrap: wrap;
        gap: var(--t-space-2);
        align-items: center;
        font-size: var(--t-font-size-sm);
        color: var(--t-muted);
      }
      .text {
        white-space: pre-wrap;
        margin-top: var(--t-space-1);
      }
      @media (max-width: 640px) {
        .row {
          grid-template-columns: 1fr;
        }
      }
    `,
  ];
  declare doc: Y.Doc | null;
  declare users: readonly UserDto[];
  declare userId: string;
  declare readonly: boolean;
  /** Why the server refused our last follow-up change, or ''. */
  declare refusal: string;
  declare items: FollowupView[];
  declare error: string;
  private unobserve: (() => void) | null = null;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.doc = null;
    this.users = [];
    this.userId = '';
    this.readonly = false;
    this.refusal = '';
    this.items = [];
    this.error = '';
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.unobserve?.();
    this.unobserve = null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.hasUpdated) this.observe();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('doc')) this.observe();
  }

  private observe(): void {
    this.unobserve?.();
    this.unobserve = null;
    const doc = this.doc;
    if (!doc) {
      this.items = [];
      return;
    }
    const array = doc.getArray<unknown>(CUSTOMER_ROOTS.followups);
    const read = () => {
      this.items = array
        .toArray()
        .map(readFollowup)
        .filter((f): f is FollowupView => f !== null)
        .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.id.localeCompare(b.id)));
    };
    read();
    array.observeDeep(read);
    this.unobserve = () => array.unobserveDeep(read);
  }

  private authorName(id: string): string {
    return this.users.find((u) => u.id === id)?.name ?? msg('Former member', { id: 'followups.unknownAuthor' });
  }

  private onSubmit(e: SubmitEvent): void {
    e.preventDefault();
    const doc = this.doc;
    if (!doc || this.readonly) return;
    const form = e.target as HTMLFormElement;
    const get = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement).value;
    const text = get('text').trim();
    const at = new Date(get('at'));
    const nextRaw = get('nextAt');
    const next = nextRaw ? new Date(nextRaw) : null;
    if (!text) {
      this.error = msg('Write what happened.', { id: 'followups.textRequired' });
      return;
    }
    if (text.length > FOLLOWUP_TEXT_MAX_CHARS) {
      this.error = msg('This note is too long.', { id: 'followups.textLong' });
      return;
    }
    if (Number.isNaN(at.getTime()) || (next && Number.isNaN(next.getTime()))) {
      this.error = msg('Enter valid dates.', { id: 'followups.badDate' });
      return;
    }
    const array = doc.getArray<Y.Map<unknown>>(CUSTOMER_ROOTS.followups);
    if (array.length >= FOLLOWUPS_MAX) {
      this.error = msg(str`A customer keeps at most ${FOLLOWUPS_MAX} follow-ups.`, { id: 'followups.tooMany' });
      return;
    }
    this.error = '';
    const entry = new Y.Map<unknown>();
    const body = new Y.Text();
    body.insert(0, text);
    doc.transact(() => {
      entry.set('id', crypto.randomUUID());
      entry.set('type', get('type'));
      entry.set('authorId', this.userId);
      entry.set('at', at.toISOString());
      entry.set('nextAt', next ? next.toISOString() : null);
      entry.set('text', body);
      array.push([entry]);
    });
    form.reset();
    (form.elements.namedItem('at') as HTMLInputElement).value = localInputValue(new Date());
  }

  override render() {
    return html`${this.readonly
        ? nothing
        : html`<form novalidate @submit=${this.onSubmit} aria-label=${msg('Add a follow-up', { id: 'followups.add' })}>
            <div class="row">
              <div class="field">
                <label for="fu-type">${msg('Type', { id: 'customers.field.kind' })}</label>
                <select id="fu-type" name="type">${FOLLOWUP_TYPE_VALUES.map((t) => html`<option value=${t}>${followupTypeLabel(t)}</option>`)}</select>
              </div>
              <div class="field">
                <label for="fu-at">${msg('When', { id: 'followups.at' })}</label>
                <input id="fu-at" name="at" type="datetime-local" .value=${localInputValue(new Date())} required />
              </div>
              <div class="field">
                <label for="fu-next">${msg('Next follow-up', { id: 'customers.nextFollowup' })}</label>
                <input id="fu-next" name="nextAt" type="datetime-local" />
              </div>
            </div>
            <div class="field">
              <label for="fu-text">${msg('What happened', { id: 'followups.text' })}<span class="required" aria-hidden="true">*</span></label>
              <textarea id="fu-text" name="text" maxlength=${FOLLOWUP_TEXT_MAX_CHARS}></textarea>
            </div>
            ${this.error ? html`<tandem-alert>${this.error}</tandem-alert>` : nothing}
            <div class="actions end"><button class="primary" type="submit">${msg('Add follow-up', { id: 'followups.addButton' })}</button></div>
          </form>`}
      ${this.refusal
        ? html`<tandem-alert
            >${this.refusal}
            <button
              type="button"
              class="link"
              @click=${() => this.dispatchEvent(new CustomEvent('refusal-dismiss', { detail: CUSTOMER_ROOTS.followups, bubbles: true, composed: true }))}
            >
              ${msg('Dismiss', { id: 'common.dismiss' })}
            </button></tandem-alert
          >`
        : nothing}
      ${this.items.length === 0
        ? html`<p class="muted">${msg('No follow-ups yet. Log calls, e-mails, meetings and visits here.', { id: 'followups.empty' })}</p>`
        : html`<ol>
            ${this.items.map(
              (f) => html`<li data-followup-id=${f.id}>
                <div class="meta">
                  <span class="badge primary">${followupTypeLabel(f.type)}</span>
                  <strong>${this.authorName(f.authorId)}</strong>
                  <span>${formatDateTime(f.at)}</span>
                  ${f.nextAt ? html`<span>${msg(str`Next: ${formatDateTime(f.nextAt)}`, { id: 'followups.next' })}</span>` : nothing}
                </div>
                <div class="text">${f.text}</div>
              </li>`,
            )}
          </ol>`}`;
  }
}

customElements.define('tandem-followups', TandemFollowups);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-followups': TandemFollowups;
  }
}
