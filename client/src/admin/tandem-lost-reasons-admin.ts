/**
 * The lost-reason list (admins): add a reason in both languages, reorder, archive and restore,
 * and whether the lost dialog also accepts a free-text reason.
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { html, LitElement, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { LOST_REASON_LABEL_MAX, type LostReasonDto } from '../../../schema/wire/admin-lists.ts';
import { createLostReason, listLostReasons, setLostReasonFreeText, updateLostReason } from '../api/admin-lists.ts';
import { ApiError } from '../api/http.ts';
import { SubmissionKey } from '../api/idempotency.ts';
import { errorMessage } from '../ui/error-message.ts';
import { icons } from '../ui/icons.ts';
import { badges, base, buttons, cards, forms } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import '../ui/tandem-empty-state.ts';
import '../ui/tandem-loading.ts';
import { adminListStyles } from './admin-list.styles.ts';

type Data = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'ready'; items: LostReasonDto[]; freeText: boolean };

export class TandemLostReasonsAdmin extends LitElement {
  static override properties = { data: { state: true }, busy: { state: true }, error: { state: true }, fieldErrors: { state: true } };
  static override styles = [base, buttons, forms, cards, badges, adminListStyles];
  declare data: Data;
  declare busy: boolean;
  declare error: string;
  declare fieldErrors: { en?: string; zh?: string };
  private readonly submission = new SubmissionKey();

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.data = { kind: 'loading' };
    this.busy = false;
    this.error = '';
    this.fieldErrors = {};
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    this.data = { kind: 'loading' };
    try {
      const list = await listLostReasons({ archived: true });
      this.data = { kind: 'ready', items: list.items, freeText: list.freeText };
    } catch (err) {
      this.data = { kind: 'failed', message: errorMessage(err) };
    }
  }

  private async run(action: () => Promise<void>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = '';
    try {
      await action();
    } catch (err) {
      this.error = errorMessage(err);
    } finally {
      this.busy = false;
    }
  }

  private async add(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const form = e.target as HTMLFormElement;
    const en = (form.elements.namedItem('labelEn') as HTMLInputElement).value.trim();
    const zh = (form.elements.namedItem('labelZh') as HTMLInputElement).value.trim();
    const required = msg('Enter the reason in this language.', { id: 'lists.lost.required' });
    // Every missing field at once, not one per attempt.
    this.fieldErrors = { ...(en ? {} : { en: required }), ...(zh ? {} : { zh: required }) };
    if (!en || !zh) return;
    await this.run(async () => {
      try {
        await createLostReason({ labelEn: en, labelZh: zh }, { idempotencyKey: this.submission.for(`${en}\u0000${zh}`) });
        this.submission.settled();
      } catch (err) {
        this.submission.settled(err);
        if (err instanceof ApiError && (err.field === 'labelEn' || err.field === 'labelZh')) {
          this.fieldErrors = { [err.field === 'labelEn' ? 'en' : 'zh']: err.message };
          return;
        }
        throw err;
      }
      form.reset();
      await this.load();
    });
  }

  private move(items: LostReasonDto[], index: number, by: -1 | 1): void {
    const other = items[index + by];
    const item = items[index];
    if (!item || !other) return;
    void this.run(async () => {
      await updateLostReason(item.id, { position: index + by });
      await updateLostReason(other.id, { position: index });
      await this.load();
      this.renderRoot.querySelector<HTMLButtonElement>(`[data-reason="${item.id}"] button[data-move="${by}"]`)?.focus();
    });
  }

  private renderItem(items: LostReasonDto[], r: LostReasonDto, i: number) {
    return html`<li data-reason=${r.id} class=${r.archived ? 'archived' : ''}>
      <div class="labels">
        <span lang="en">${r.labelEn}</span>
        <span lang="zh-CN" class="muted">${r.labelZh}</span>
      </div>
      ${r.archived ? html`<span class="badge">${msg('Archived', { id: 'lists.archived' })}</span>` : nothing}
      <div class="row-actions">
        <button type="button" class="icon-only" data-move="-1" ?disabled=${i === 0 || this.busy} @click=${() => this.move(items, i, -1)}
          aria-label=${msg(str`Move ${r.labelEn} up`, { id: 'lists.moveUp' })}>↑</button>
        <button type="button" class="icon-only" data-move="1" ?disabled=${i === items.length - 1 || this.busy} @click=${() => this.move(items, i, 1)}
          aria-label=${msg(str`Move ${r.labelEn} down`, { id: 'lists.moveDown' })}>↓</button>
        <button type="button" ?disabled=${this.busy} @click=${() => this.run(async () => {
          await updateLostReason(r.id, { archived: !r.archived });
          await this.load();
        })}>
          ${r.archived ? msg('Restore', { id: 'lists.restore' }) : msg('Archive', { id: 'lists.archive' })}
          <span class="visually-hidden">${r.labelEn}</span>
        </button>
      </div>
    </li>`;
  }

  override render() {
    const data = this.data;
    const body = (() => {
      switch (data.kind) {
        case 'loading':
          return html`<tandem-loading></tandem-loading>`;
        case 'failed':
          return html`<tandem-empty-state icon="alert" heading=${msg('The list could not be loaded', { id: 'lists.loadFailed' })}>
            ${data.message}
            <button slot="actions" class="primary" type="button" @click=${() => this.load()}>${msg('Try again', { id: 'common.retry' })}</button>
          </tandem-empty-state>`;
        case 'ready':
          return html`
            <label class="choice">
              <input type="checkbox" .checked=${data.freeText} ?disabled=${this.busy} @change=${(e: Event) => {
                const on = (e.target as HTMLInputElement).checked;
                void this.run(async () => {
                  const list = await setLostReasonFreeText(on);
                  this.data = { kind: 'ready', items: list.items, freeText: list.freeText };
                });
              }} />
              ${msg('Also allow a reason in free text', { id: 'lists.lost.freeText' })}
            </label>
            ${data.items.length === 0
              ? html`<tandem-empty-state icon="lists" heading=${msg('No lost reasons yet', { id: 'lists.lost.empty' })}>
                  ${msg('Reps then write each reason in their own words.', { id: 'lists.lost.emptyText' })}
                </tandem-empty-state>`
              : html`<ol class="rows">${repeat(data.items, (r) => r.id, (r, i) => this.renderItem(data.items, r, i))}</ol>`}
            <form class="add" novalidate @submit=${this.add}>
              <div class="field">
                <label for="lost-en">${msg('Reason in English', { id: 'lists.lost.en' })}<span class="required" aria-hidden="true">*</span></label>
                <input id="lost-en" name="labelEn" lang="en" maxlength=${LOST_REASON_LABEL_MAX} required aria-invalid=${this.fieldErrors.en ? 'true' : 'false'} aria-describedby="lost-en-error" />
                ${this.fieldErrors.en ? html`<span id="lost-en-error" class="field-error">${this.fieldErrors.en}</span>` : nothing}
              </div>
              <div class="field">
                <label for="lost-zh">${msg('Reason in Chinese', { id: 'lists.lost.zh' })}<span class="required" aria-hidden="true">*</span></label>
                <input id="lost-zh" name="labelZh" lang="zh-CN" maxlength=${LOST_REASON_LABEL_MAX} required aria-invalid=${this.fieldErrors.zh ? 'true' : 'false'} aria-describedby="lost-zh-error" />
                ${this.fieldErrors.zh ? html`<span id="lost-zh-error" class="field-error">${this.fieldErrors.zh}</span>` : nothing}
              </div>
              <div class="add-actions">
                <button type="submit" ?disabled=${this.busy}>${icons.plus}${msg('Add reason', { id: 'lists.lost.add' })}</button>
              </div>
            </form>`;
        default:
          return data satisfies never;
      }
    })();
    return html`<section class="card" aria-labelledby="lost-heading">
      <header>
        <div>
          <h2 id="lost-heading">${msg('Lost reasons', { id: 'lists.lost.title' })}</h2>
          <p class="muted">${msg('Offered when a deal moves to a lost stage.', { id: 'lists.lost.intro' })}</p>
        </div>
      </header>
      ${this.error ? html`<tandem-alert>${this.error}</tandem-alert>` : nothing}
      ${body}
    </section>`;
  }
}

customElements.define('tandem-lost-reasons-admin', TandemLostReasonsAdmin);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-lost-reasons-admin': TandemLostReasonsAdmin;
  }
}
