/**
 * The workspace's tags with how many customers carry each (admins): rename one, merge one
 * into another, delete one. The server rewrites every customer document that carries the tag,
 * so open customer pages change live.
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { html, LitElement, nothing } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import type { TagUsageDto } from '../../../schema/wire/admin-lists.ts';
import { TAG_MAX } from '../../../schema/wire/customer.ts';
import { deleteTag, mergeTags, renameTag, tagUsage } from '../api/admin-lists.ts';
import { errorMessage } from '../ui/error-message.ts';
import { badges, base, buttons, cards, forms } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import '../ui/tandem-dialog.ts';
import '../ui/tandem-empty-state.ts';
import '../ui/tandem-loading.ts';
import { adminListStyles } from './admin-list.styles.ts';

type Data = { kind: 'loading' } | { kind: 'failed'; message: string } | { kind: 'ready'; items: TagUsageDto[] };
type Dialog = { kind: 'none' } | { kind: 'rename' | 'merge' | 'delete'; tag: TagUsageDto };

export class TandemTagsAdmin extends LitElement {
  static override properties = {
    data: { state: true },
    dialog: { state: true },
    busy: { state: true },
    error: { state: true },
    notice: { state: true },
    fieldError: { state: true },
    filter: { state: true },
  };
  static override styles = [base, buttons, forms, cards, badges, adminListStyles];
  declare data: Data;
  declare dialog: Dialog;
  declare busy: boolean;
  declare error: string;
  declare notice: string;
  declare fieldError: string;
  declare filter: string;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.data = { kind: 'loading' };
    this.dialog = { kind: 'none' };
    this.busy = false;
    this.error = '';
    this.notice = '';
    this.fieldError = '';
    this.filter = '';
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    if (this.data.kind !== 'ready') this.data = { kind: 'loading' };
    try {
      this.data = { kind: 'ready', items: await tagUsage() };
    } catch (err) {
      this.data = { kind: 'failed', message: errorMessage(err) };
    }
  }

  private open(kind: 'rename' | 'merge' | 'delete', tag: TagUsageDto): void {
    this.fieldError = '';
    this.error = '';
    this.dialog = { kind, tag };
  }

  private async submit(e: SubmitEvent): Promise<void> {
    e.preventDefault();
    const d = this.dialog;
    if (d.kind === 'none' || this.busy) return;
    const input = this.renderRoot.querySelector<HTMLInputElement | HTMLSelectElement>('#tag-target');
    const target = input?.value.trim() ?? '';
    if (d.kind !== 'delete') {
      if (!target) {
        this.fieldError = msg('Enter the tag to keep.', { id: 'lists.tags.targetRequired' });
        input?.focus();
        return;
      }
      if (/[,\n\r\t]/.test(target)) {
        this.fieldError = msg('A tag cannot contain commas or line breaks.', { id: 'lists.tags.targetBad' });
        input?.focus();
        return;
      }
      if (target === d.tag.tag) {
        this.fieldError = msg('Choose a different tag.', { id: 'lists.tags.targetSame' });
        input?.focus();
        return;
      }
    }
    this.busy = true;
    try {
      const result =
        d.kind === 'rename' ? await renameTag(d.tag.tag, target) : d.kind === 'merge' ? await mergeTags([d.tag.tag], target) : await deleteTag(d.tag.tag);
      this.dialog = { kind: 'none' };
      this.notice = msg(str`Updated ${result.updated} customers.`, { id: 'lists.tags.done' });
      await this.load();
    } catch (err) {
      this.fieldError = errorMessage(err);
    } finally {
      this.busy = false;
    }
  }

  private renderDialog(items: TagUsageDto[]) {
    const d = this.dialog;
    const heading =
      d.kind === 'rename'
        ? msg(str`Rename the tag ${d.tag.tag}`, { id: 'lists.tags.renameHeading' })
        : d.kind === 'merge'
          ? msg(str`Merge the tag ${d.tag.tag} into another`, { id: 'lists.tags.mergeHeading' })
          : d.kind === 'delete'
            ? msg(str`Delete the tag ${d.tag.tag}?`, { id: 'lists.tags.deleteHeading' })
            : '';
    const others = d.kind === 'none' ? [] : items.filter((t) => t.tag !== d.tag.tag);
    return html`<tandem-dialog .open=${d.kind !== 'none'} heading=${heading} @close=${() => (this.dialog = { kind: 'none' })}>
      <form novalidate @submit=${this.submit}>
        ${d.kind === 'none'
          ? nothing
          : html`<p class="muted">${msg(str`${d.tag.count} customers carry it; each is updated, and open pages change at once.`, { id: 'lists.tags.affects' })}</p>`}
        ${d.kind === 'rename'
          ? html`<div class="field">
              <label for="tag-target">${msg('New name', { id: 'lists.tags.newName' })}</label>
              <input id="tag-target" maxlength=${TAG_MAX} .value=${d.tag.tag} data-autofocus aria-invalid=${this.fieldError ? 'true' : 'false'} aria-describedby="tag-error" />
            </div>`
          : d.kind === 'merge'
            ? html`<div class="field">
                <label for="tag-target">${msg('Tag to keep', { id: 'lists.tags.keep' })}</label>
                <select id="tag-target" data-autofocus aria-invalid=${this.fieldError ? 'true' : 'false'} aria-describedby="tag-error">
                  <option value="">${msg('Choose a tag…', { id: 'lists.tags.choose' })}</option>
                  ${others.map((t) => html`<option value=${t.tag}>${t.tag} (${t.count})</option>`)}
                </select>
              </div>`
            : nothing}
        ${this.fieldError ? html`<span id="tag-error" class="field-error" role="alert">${this.fieldError}</span>` : nothing}
        <div class="actions end">
          <button type="button" @click=${() => (this.dialog = { kind: 'none' })}>${msg('Cancel', { id: 'common.cancel' })}</button>
          <button type="submit" class=${d.kind === 'delete' ? 'danger' : 'primary'} ?disabled=${this.busy}>
            ${d.kind === 'rename'
              ? msg('Rename', { id: 'lists.rename' })
              : d.kind === 'merge'
                ? msg('Merge', { id: 'lists.tags.merge' })
                : msg('Delete', { id: 'lists.tags.delete' })}
          </button>
        </div>
      </form>
    </tandem-dialog>`;
  }

  private renderList(items: TagUsageDto[]) {
    const q = this.filter.trim().toLowerCase();
    const visible = q ? items.filter((t) => t.tag.toLowerCase().includes(q)) : items;
    if (items.length === 0) {
      return html`<tandem-empty-state icon="lists" heading=${msg('No tags yet', { id: 'lists.tags.empty' })}>
        ${msg('Tags appear here once customers carry them.', { id: 'lists.tags.emptyText' })}
      </tandem-empty-state>`;
    }
    return html`<div class="field">
        <label for="tag-filter">${msg('Find a tag', { id: 'lists.tags.filter' })}</label>
        <input id="tag-filter" type="search" .value=${this.filter} @input=${(e: Event) => (this.filter = (e.target as HTMLInputElement).value)} />
      </div>
      <ul class="rows">
        ${repeat(
          visible,
          (t) => t.tag,
          (t) => html`<li data-tag=${t.tag}>
            <div class="labels"><span>${t.tag}</span></div>
            <span class="badge">${msg(str`${t.count} customers`, { id: 'lists.tags.count' })}</span>
            <div class="row-actions">
              <button type="button" @click=${() => this.open('rename', t)}>${msg('Rename', { id: 'lists.rename' })}<span class="visually-hidden"> ${t.tag}</span></button>
              <button type="button" ?disabled=${items.length < 2} @click=${() => this.open('merge', t)}>${msg('Merge', { id: 'lists.tags.merge' })}<span class="visually-hidden"> ${t.tag}</span></button>
              <button type="button" class="danger" @click=${() => this.open('delete', t)}>${msg('Delete', { id: 'lists.tags.delete' })}<span class="visually-hidden"> ${t.tag}</span></button>
            </div>
          </li>`,
        )}
      </ul>`;
  }

  override render() {
    const data = this.data;
    return html`<section class="card" aria-labelledby="tags-heading">
      <header>
        <div>
          <h2 id="tags-heading">${msg('Tags', { id: 'lists.tags.title' })}</h2>
          <p class="muted">${msg('Every tag in use, with the customers that carry it.', { id: 'lists.tags.intro' })}</p>
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
          : html`${this.renderList(data.items)} ${this.renderDialog(data.items)}`}
    </section>`;
  }
}

customElements.define('tandem-tags-admin', TandemTagsAdmin);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-tags-admin': TandemTagsAdmin;
  }
}
