/**
 * The follow-up timeline of a customer, read live from the document's
 * `followups` array (newest first: author, time, type, outcome, text, next
 * date; filtered by type; archived entries hidden), with a form that appends
 * an entry: a Y.Map {id, type, authorId, at, nextAt, outcome, text: Y.Text}
 * written in one transaction. Its author, or a manager or admin, corrects an
 * entry in place or deletes it (sets `archived`, after an in-app
 * confirmation); the server enforces the same rule. A follow-up change the server
 * refused is explained above the list (`refusal`; the entry itself is undone
 * by the server's compensation); dismissing it fires `refusal-dismiss`
 * ('followups').
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import * as Y from 'yjs';
import { CUSTOMER_ROOTS, FOLLOWUP_OUTCOME_MAX, FOLLOWUP_TEXT_MAX_CHARS, FOLLOWUPS_MAX } from '../../../schema/wire/docs.ts';
import type { Role, UserDto } from '../../../schema/wire/user.ts';
import { isManagerOrAdmin } from '../../../schema/policy/access.ts';
import { badges, base, buttons, forms } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import '../ui/tandem-dialog.ts';
import { FOLLOWUP_TYPE_VALUES, followupTypeLabel, formatDateTime } from './customer-labels.ts';
import { mentionListStyles, MentionSuggestController } from './mention-suggest-controller.ts';
import { mentionText, type MentionUser } from './mention-suggest.ts';

export interface FollowupView {
  id: string;
  /** As written: possibly a type newer than this build's list. */
  type: string;
  authorId: string;
  at: string;
  nextAt: string | null;
  outcome: string;
  text: string;
  archived: boolean;
}

function readFollowup(m: unknown): FollowupView | null {
  if (!(m instanceof Y.Map)) return null;
  const id = m.get('id');
  const at = m.get('at');
  if (typeof id !== 'string' || typeof at !== 'string') return null;
  const type = m.get('type');
  const text = m.get('text');
  const nextAt = m.get('nextAt');
  const outcome = m.get('outcome');
  return {
    id,
    type: typeof type === 'string' ? type : 'other',
    authorId: String(m.get('authorId') ?? ''),
    at,
    nextAt: typeof nextAt === 'string' ? nextAt : null,
    outcome: typeof outcome === 'string' ? outcome : '',
    archived: m.get('archived') === true,
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
    role: { type: String },
    readonly: { type: Boolean },
    typeFilter: { state: true },
    editing: { state: true },
    confirming: { state: true },
    refusal: { type: String },
    items: { state: true },
    error: { state: true },
  };
  static override styles = [
    base,
    buttons,
    forms,
    badges,
    mentionListStyles,
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
      .outcome {
        margin-top: var(--t-space-1);
      }
      .item-actions {
        margin-left: auto;
        display: inline-flex;
        gap: var(--t-space-2);
      }
      .filter {
        display: flex;
        align-items: center;
        gap: var(--t-space-2);
      }
      .filter select {
        width: auto;
      }
      form.edit {
        display: grid;
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
  /** The signed-in user's role: managers and admins correct anyone's follow-ups. */
  declare role: Role | '';
  declare readonly: boolean;
  /** Only follow-ups of this type are listed ('' = all). */
  declare typeFilter: string;
  /** The follow-up being corrected in place. */
  declare editing: string | null;
  /** The follow-up waiting for the delete confirmation. */
  declare confirming: FollowupView | null;
  /** Why the server refused our last follow-up change, or ''. */
  declare refusal: string;
  declare items: FollowupView[];
  declare error: string;
  private unobserve: (() => void) | null = null;
  /** @mention suggestions for the follow-up text being typed (`mentionIn`: that textarea's id). */
  private readonly mentions = new MentionSuggestController(this, () => this.users.filter((u) => u.active));
  private mentionIn = '';

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.doc = null;
    this.users = [];
    this.userId = '';
    this.role = '';
    this.readonly = false;
    this.typeFilter = '';
    this.editing = null;
    this.confirming = null;
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
    let first = true;
    const read = () => {
      const wasArchived = new Set(this.items.filter((f) => f.archived).map((f) => f.id));
      this.items = array
        .toArray()
        .map(readFollowup)
        .filter((f): f is FollowupView => f !== null)
        .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.id.localeCompare(b.id)));
      // Someone (here or elsewhere) deleted a follow-up: the history gains an entry for it.
      if (!first && this.items.some((f) => f.archived && !wasArchived.has(f.id))) {
        this.dispatchEvent(new CustomEvent('followup-archived', { bubbles: true, composed: true }));
      }
    };
    read();
    first = false;
    array.observeDeep(read);
    this.unobserve = () => array.unobserveDeep(read);
  }

  private authorName(id: string): string {
    return this.users.find((u) => u.id === id)?.name ?? msg('Former member', { id: 'followups.unknownAuthor' });
  }

  /** Who may correct or delete this follow-up: its author, or a manager or admin (as the server checks). */
  private mayChange(f: FollowupView): boolean {
    return !this.readonly && (f.authorId === this.userId || (this.role !== '' && isManagerOrAdmin({ role: this.role })));
  }

  /** The form's values, or why they cannot be written. */
  private readForm(form: HTMLFormElement): { type: string; at: Date; next: Date | null; outcome: string; text: string } | string {
    const get = (name: string) => (form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement).value;
    const text = get('text').trim();
    const outcome = get('outcome').trim();
    const at = new Date(get('at'));
    const nextRaw = get('nextAt');
    const next = nextRaw ? new Date(nextRaw) : null;
    if (!text) return msg('Write what happened.', { id: 'followups.textRequired' });
    if (text.length > FOLLOWUP_TEXT_MAX_CHARS) return msg('This note is too long.', { id: 'followups.textLong' });
    if (outcome.length > FOLLOWUP_OUTCOME_MAX) return msg(str`The outcome is at most ${FOLLOWUP_OUTCOME_MAX} characters.`, { id: 'followups.outcomeLong' });
    if (Number.isNaN(at.getTime()) || (next && Number.isNaN(next.getTime()))) return msg('Enter valid dates.', { id: 'followups.badDate' });
    return { type: get('type'), at, next, outcome, text };
  }

  private onSubmit(e: SubmitEvent): void {
    e.preventDefault();
    const doc = this.doc;
    if (!doc || this.readonly) return;
    const form = e.target as HTMLFormElement;
    const values = this.readForm(form);
    if (typeof values === 'string') {
      this.error = values;
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
    body.insert(0, values.text);
    doc.transact(() => {
      entry.set('id', crypto.randomUUID());
      entry.set('type', values.type);
      entry.set('authorId', this.userId);
      entry.set('at', values.at.toISOString());
      entry.set('nextAt', values.next ? values.next.toISOString() : null);
      if (values.outcome) entry.set('outcome', values.outcome);
      entry.set('text', body);
      array.push([entry]);
    });
    form.reset();
    (form.elements.namedItem('at') as HTMLInputElement).value = localInputValue(new Date());
  }

  private entry(id: string): Y.Map<unknown> | undefined {
    return this.doc
      ?.getArray<unknown>(CUSTOMER_ROOTS.followups)
      .toArray()
      .find((m): m is Y.Map<unknown> => m instanceof Y.Map && m.get('id') === id);
  }

  /** Writes the corrected values: only the keys that changed, the text replaced in place. */
  private onEditSubmit(e: SubmitEvent, f: FollowupView): void {
    e.preventDefault();
    const entry = this.entry(f.id);
    if (!entry || !this.doc || !this.mayChange(f)) return;
    const values = this.readForm(e.target as HTMLFormElement);
    if (typeof values === 'string') {
      this.error = values;
      return;
    }
    this.error = '';
    this.dispatchEvent(new CustomEvent('refusal-dismiss', { detail: CUSTOMER_ROOTS.followups, bubbles: true, composed: true }));
    this.doc.transact(() => {
      const set = (key: string, value: unknown) => {
        if ((entry.get(key) ?? null) !== value) entry.set(key, value);
      };
      set('type', values.type);
      set('at', values.at.toISOString());
      set('nextAt', values.next ? values.next.toISOString() : null);
      set('outcome', values.outcome);
      const text = entry.get('text');
      if (text instanceof Y.Text) {
        if (text.toString() !== values.text) {
          text.delete(0, text.length);
          text.insert(0, values.text);
        }
      } else {
        const body = new Y.Text();
        body.insert(0, values.text);
        entry.set('text', body);
      }
    });
    this.editing = null;
  }

  /** Deleting keeps the entry for the record: it is archived, and leaves the timeline. */
  private archive(f: FollowupView): void {
    this.confirming = null;
    const entry = this.entry(f.id);
    if (!entry || !this.mayChange(f)) return;
    entry.set('archived', true);
  }

  private readonly onTextCaret = (e: Event): void => {
    const area = e.currentTarget as HTMLTextAreaElement;
    this.mentionIn = area.id;
    this.mentions.update(area.value.slice(0, area.selectionStart ?? area.value.length));
  };

  private readonly onTextKeydown = (e: KeyboardEvent): void => {
    const picked = this.mentions.keydown(e);
    if (!picked) return;
    e.preventDefault();
    if (picked !== 'handled') this.insertMention(e.currentTarget as HTMLTextAreaElement, picked);
  };

  /** Replaces the `@query` before the caret with the teammate's mention. */
  private insertMention(area: HTMLTextAreaElement | null, u: MentionUser): void {
    const query = this.mentions.query;
    if (!area || !query) return;
    const caret = area.selectionStart ?? area.value.length;
    area.setRangeText(mentionText(u), query.start, caret, 'end');
    this.mentions.close(false);
    area.focus();
  }

  private renderFields(prefix: string, f: FollowupView | null) {
    const id = (name: string) => `${prefix}-${name}`;
    return html`<div class="row">
        <div class="field">
          <label for=${id('type')}>${msg('Type', { id: 'customers.field.kind' })}</label>
          <select id=${id('type')} name="type">
            ${FOLLOWUP_TYPE_VALUES.map((t) => html`<option value=${t} ?selected=${f?.type === t}>${followupTypeLabel(t)}</option>`)}
          </select>
        </div>
        <div class="field">
          <label for=${id('at')}>${msg('When', { id: 'followups.at' })}</label>
          <input id=${id('at')} name="at" type="datetime-local" .value=${localInputValue(f ? new Date(f.at) : new Date())} required />
        </div>
        <div class="field">
          <label for=${id('next')}>${msg('Next follow-up', { id: 'customers.nextFollowup' })}</label>
          <input id=${id('next')} name="nextAt" type="datetime-local" .value=${f?.nextAt ? localInputValue(new Date(f.nextAt)) : ''} />
        </div>
      </div>
      <div class="field">
        <label for=${id('text')}>${msg('What happened', { id: 'followups.text' })}<span class="required" aria-hidden="true">*</span></label>
        <div class="mention-anchor">
          <textarea
            id=${id('text')}
            name="text"
            maxlength=${FOLLOWUP_TEXT_MAX_CHARS}
            .value=${f?.text ?? ''}
            aria-autocomplete="list"
            aria-expanded=${this.mentionIn === id('text') && this.mentions.open ? 'true' : 'false'}
            aria-controls=${this.mentions.listId}
            aria-activedescendant=${(this.mentionIn === id('text') && this.mentions.activeId) || nothing}
            @input=${this.onTextCaret}
            @click=${this.onTextCaret}
            @keyup=${(e: KeyboardEvent) => (e.key === 'ArrowLeft' || e.key === 'ArrowRight' || e.key === 'Home' || e.key === 'End') && this.onTextCaret(e)}
            @keydown=${this.onTextKeydown}
            @blur=${() => this.mentions.close(false)}
          ></textarea>
          ${this.mentionIn === id('text') ? this.mentions.render((u) => this.insertMention(this.renderRoot.querySelector<HTMLTextAreaElement>(`#${id('text')}`), u)) : nothing}
        </div>
      </div>
      <div class="field">
        <label for=${id('outcome')}>${msg('Outcome', { id: 'followups.outcome' })}</label>
        <input id=${id('outcome')} name="outcome" maxlength=${FOLLOWUP_OUTCOME_MAX} .value=${f?.outcome ?? ''} />
      </div>`;
  }

  private renderItem(f: FollowupView) {
    if (this.editing === f.id) {
      return html`<li data-followup-id=${f.id}>
        <form novalidate class="edit" @submit=${(e: SubmitEvent) => this.onEditSubmit(e, f)} aria-label=${msg('Edit follow-up', { id: 'followups.editForm' })}>
          ${this.renderFields(`fu-${f.id}`, f)} ${this.error ? html`<tandem-alert>${this.error}</tandem-alert>` : nothing}
          <div class="actions end">
            <button type="button" @click=${() => {
              this.editing = null;
              this.error = '';
            }}>${msg('Cancel', { id: 'common.cancel' })}</button>
            <button class="primary" type="submit">${msg('Save', { id: 'followups.save' })}</button>
          </div>
        </form>
      </li>`;
    }
    const mayChange = this.mayChange(f);
    return html`<li data-followup-id=${f.id} data-type=${f.type}>
      <div class="meta">
        <span class="badge primary">${followupTypeLabel(f.type)}</span>
        <strong>${this.authorName(f.authorId)}</strong>
        <span>${formatDateTime(f.at)}</span>
        ${f.nextAt ? html`<span>${msg(str`Next: ${formatDateTime(f.nextAt)}`, { id: 'followups.next' })}</span>` : nothing}
        ${mayChange
          ? html`<span class="item-actions">
              <button type="button" class="link edit" @click=${() => (this.editing = f.id)}>${msg('Edit', { id: 'followups.edit' })}</button>
              <button type="button" class="link delete" @click=${() => (this.confirming = f)}>${msg('Delete', { id: 'followups.delete' })}</button>
            </span>`
          : nothing}
      </div>
      ${f.outcome ? html`<div class="outcome"><strong>${msg('Outcome', { id: 'followups.outcome' })}:</strong> ${f.outcome}</div>` : nothing}
      <div class="text">${f.text}</div>
    </li>`;
  }

  override render() {
    const live = this.items.filter((f) => !f.archived);
    const shown = this.typeFilter ? live.filter((f) => f.type === this.typeFilter) : live;
    return html`${this.readonly
        ? nothing
        : html`<form novalidate @submit=${this.onSubmit} aria-label=${msg('Add a follow-up', { id: 'followups.add' })}>
            ${this.renderFields('fu', null)} ${this.error && this.editing === null ? html`<tandem-alert>${this.error}</tandem-alert>` : nothing}
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
      ${live.length > 0
        ? html`<div class="filter">
            <label for="fu-filter">${msg('Show', { id: 'followups.filter' })}</label>
            <select id="fu-filter" @change=${(e: Event) => (this.typeFilter = (e.target as HTMLSelectElement).value)}>
              <option value="" ?selected=${this.typeFilter === ''}>${msg('All types', { id: 'followups.filterAll' })}</option>
              ${FOLLOWUP_TYPE_VALUES.map((t) => html`<option value=${t} ?selected=${this.typeFilter === t}>${followupTypeLabel(t)}</option>`)}
            </select>
          </div>`
        : nothing}
      ${live.length === 0
        ? html`<p class="muted">${msg('No follow-ups yet. Log calls, e-mails, meetings and visits here.', { id: 'followups.empty' })}</p>`
        : shown.length === 0
          ? html`<p class="muted">${msg('No follow-ups of this type.', { id: 'followups.filterEmpty' })}</p>`
          : html`<ol>
              ${repeat(
                shown,
                (f) => f.id,
                (f) => this.renderItem(f),
              )}
            </ol>`}
      <tandem-dialog .open=${this.confirming !== null} heading=${msg('Delete this follow-up?', { id: 'followups.deleteHeading' })} @close=${() => (this.confirming = null)}>
        <p>${msg('It leaves the timeline and the reports; the change history keeps a record of it.', { id: 'followups.deleteText' })}</p>
        <div class="actions end">
          <button type="button" @click=${() => (this.confirming = null)}>${msg('Cancel', { id: 'common.cancel' })}</button>
          <button type="button" class="danger confirm-delete" @click=${() => this.confirming && this.archive(this.confirming)}>
            ${msg('Delete', { id: 'followups.delete' })}
          </button>
        </div>
      </tandem-dialog>`;
  }
}

customElements.define('tandem-followups', TandemFollowups);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-followups': TandemFollowups;
  }
}
