/**
 * "Attachments" of a record (customer 360° page, opportunity panel): its files with name, size,
 * uploader and date, a download link each, an upload button (a real file input, so the keyboard
 * and screen readers work) with a progress bar, and archive behind an in-app confirmation. The
 * server decides (type from the bytes, size, access); the client only pre-checks the size so a
 * 200 MB video is refused before it is sent.
 */
import { ContextConsumer } from '@lit/context';
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import { mayArchiveAttachment } from '../../../schema/policy/attachments.ts';
import { ATTACHMENT_ACCEPT, ATTACHMENT_MAX_BYTES, type AttachmentDto, type AttachmentParentType } from '../../../schema/wire/attachments.ts';
import { archiveAttachment, downloadUrl, listAttachments, uploadAttachment } from '../api/attachments.ts';
import { ApiError } from '../api/http.ts';
import { sessionContext } from '../app/contexts.ts';
import { errorMessage } from '../ui/error-message.ts';
import { base, buttons } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import '../ui/tandem-dialog.ts';
import { formatDate, formatSize } from './attachment-format.ts';

type Load = { kind: 'loading' } | { kind: 'failed'; error: unknown } | { kind: 'ready'; items: AttachmentDto[] };
type Upload = { kind: 'idle' } | { kind: 'sending'; name: string; fraction: number };

const MAX_MB = ATTACHMENT_MAX_BYTES / 1024 / 1024;

/** Upload refusals in words the user can act on. */
function uploadErrorText(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.status === 413) return msg(str`The file is larger than ${MAX_MB} MB.`, { id: 'attachments.tooLarge' });
    if (error.status === 415)
      return msg('This type of file is not accepted. Use PDF, images (PNG, JPEG, GIF, WebP), Word, Excel, PowerPoint, plain text or CSV.', {
        id: 'attachments.typeRefused',
      });
  }
  return errorMessage(error);
}

export class TandemAttachments extends LitElement {
  static override properties = {
    parentType: { type: String, attribute: 'parent-type' },
    parentId: { type: String, attribute: 'parent-id' },
    teamId: { type: String, attribute: 'team-id' },
    readonly: { type: Boolean },
    load: { state: true },
    upload: { state: true },
    problem: { state: true },
    confirming: { state: true },
    archiving: { state: true },
  };
  static override styles = [
    base,
    buttons,
    css`
      :host {
        display: grid;
        gap: var(--t-space-3);
      }
      .bar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        justify-content: space-between;
        gap: var(--t-space-2);
      }
      .hint {
        font-size: var(--t-font-size-sm);
        color: var(--t-muted);
      }
      label.button:focus-within {
        box-shadow: var(--t-focus-ring);
      }
      label.button[aria-disabled='true'] {
        opacity: 0.6;
        cursor: progress;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--t-space-2);
      }
      li {
        display: flex;
        align-items: center;
        gap: var(--t-space-3);
        padding: var(--t-space-2) 0;
        border-bottom: 1px solid var(--t-border);
        min-width: 0;
      }
      li:last-child {
        border-bottom: none;
      }
      .file {
        flex: 1;
        min-width: 0;
        display: grid;
        gap: 2px;
      }
      .file a {
        font-weight: 550;
        overflow-wrap: anywhere;
      }
      .meta {
        font-size: var(--t-font-size-sm);
        color: var(--t-muted);
        overflow-wrap: anywhere;
      }
      progress {
        width: 100%;
      }
      .actions {
        display: flex;
        justify-content: flex-end;
        gap: var(--t-space-2);
        margin-top: var(--t-space-4);
      }
    `,
  ];
  declare parentType: AttachmentParentType;
  declare parentId: string;
  declare teamId: string;
  declare readonly: boolean;
  declare load: Load;
  declare upload: Upload;
  declare problem: string;
  declare confirming: AttachmentDto | null;
  declare archiving: boolean;
  private readonly session = new ContextConsumer(this, { context: sessionContext, subscribe: true });
  private loadSeq = 0;
  private abort: AbortController | null = null;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.parentType = 'customer';
    this.parentId = '';
    this.teamId = '';
    this.readonly = false;
    this.load = { kind: 'loading' };
    this.upload = { kind: 'idle' };
    this.problem = '';
    this.confirming = null;
    this.archiving = false;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.abort?.abort();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('parentId') || changed.has('parentType')) && this.parentId) void this.reload();
  }

  async reload(): Promise<void> {
    const seq = ++this.loadSeq;
    if (this.load.kind !== 'ready') this.load = { kind: 'loading' };
    try {
      const items = await listAttachments(this.parentType, this.parentId);
      if (seq === this.loadSeq) this.load = { kind: 'ready', items };
    } catch (error) {
      if (seq === this.loadSeq) this.load = { kind: 'failed', error };
    }
  }

  private async onFile(e: Event): Promise<void> {
    const input = e.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file || this.upload.kind === 'sending') return;
    this.problem = '';
    if (file.size > ATTACHMENT_MAX_BYTES) {
      this.problem = msg(str`The file is larger than ${MAX_MB} MB.`, { id: 'attachments.tooLarge' });
      return;
    }
    this.upload = { kind: 'sending', name: file.name, fraction: 0 };
    this.abort = new AbortController();
    try {
      await uploadAttachment(this.parentType, this.parentId, file, (fraction) => (this.upload = { kind: 'sending', name: file.name, fraction }), this.abort.signal);
      await this.reload();
    } catch (error) {
      if ((error as Error).name !== 'AbortError') this.problem = uploadErrorText(error);
    } finally {
      this.upload = { kind: 'idle' };
      this.abort = null;
    }
  }

  private async confirmArchive(): Promise<void> {
    const target = this.confirming;
    if (!target) return;
    this.archiving = true;
    try {
      await archiveAttachment(target.id);
      this.confirming = null;
      await this.reload();
    } catch (error) {
      this.confirming = null;
      this.problem = errorMessage(error);
    } finally {
      this.archiving = false;
    }
  }

  private mayArchive(a: AttachmentDto): boolean {
    const user = this.session.value?.user;
    return !!user && mayArchiveAttachment(user, { teamId: this.teamId, uploadedBy: a.uploadedBy }, !this.readonly);
  }

  private renderItem(a: AttachmentDto) {
    const who = a.uploaderName ?? msg('Unknown', { id: 'attachments.unknownUploader' });
    return html`<li data-attachment-id=${a.id}>
      <div class="file">
        <a href=${downloadUrl(a.id)} download=${a.fileName}>${a.fileName}</a>
        <span class="meta">${formatSize(a.size)} · ${who} · <time datetime=${a.createdAt}>${formatDate(a.createdAt)}</time></span>
      </div>
      ${this.mayArchive(a)
        ? html`<button type="button" class="link" aria-label=${msg(str`Remove ${a.fileName}`, { id: 'attachments.removeOne' })} @click=${() => (this.confirming = a)}>
            ${msg('Remove', { id: 'attachments.remove' })}
          </button>`
        : nothing}
    </li>`;
  }

  private renderList() {
    const load = this.load;
    switch (load.kind) {
      case 'loading':
        return html`<p class="muted" role="status">${msg('Loading…', { id: 'common.loading' })}</p>`;
      case 'failed':
        return html`<tandem-alert kind="error">${errorMessage(load.error)}</tandem-alert>
          <div><button type="button" @click=${() => this.reload()}>${msg('Try again', { id: 'common.retry' })}</button></div>`;
      case 'ready':
        return load.items.length === 0
          ? html`<p class="muted">${msg('No files yet.', { id: 'attachments.empty' })}</p>`
          : html`<ul>
              ${load.items.map((a) => this.renderItem(a))}
            </ul>`;
      default:
        return load satisfies never;
    }
  }

  private renderUpload() {
    if (this.readonly) return nothing;
    const sending = this.upload.kind === 'sending';
    return html`<div class="bar">
        <label class="button" aria-disabled=${sending ? 'true' : 'false'}>
          <input class="visually-hidden" type="file" accept=${ATTACHMENT_ACCEPT} ?disabled=${sending} @change=${this.onFile} />
          ${sending ? msg('Uploading…', { id: 'attachments.uploading' }) : msg('Add file', { id: 'attachments.add' })}
        </label>
        <span class="hint">${msg(str`PDF, images, Office files, text or CSV; up to ${MAX_MB} MB`, { id: 'attachments.hint' })}</span>
      </div>
      ${this.upload.kind === 'sending'
        ? html`<div role="status">
            <span class="meta">${this.upload.name}</span>
            <progress max="1" value=${this.upload.fraction} aria-label=${msg(str`Uploading ${this.upload.name}`, { id: 'attachments.progress' })}></progress>
          </div>`
        : nothing}`;
  }

  override render() {
    const target = this.confirming;
    return html`${this.renderUpload()}
      ${this.problem
        ? html`<tandem-alert kind="error"
            >${this.problem} <button type="button" class="link" @click=${() => (this.problem = '')}>${msg('Dismiss', { id: 'common.dismiss' })}</button></tandem-alert
          >`
        : nothing}
      ${this.renderList()}
      <tandem-dialog
        .open=${target !== null}
        heading=${msg('Remove file?', { id: 'attachments.confirmHeading' })}
        @close=${() => {
          if (!this.archiving) this.confirming = null;
        }}
      >
        <p>
          ${target
            ? msg(str`${target.fileName} leaves this record. Nothing is deleted: it stays in the audit trail.`, { id: 'attachments.confirmText' })
            : nothing}
        </p>
        <div class="actions">
          <button type="button" @click=${() => (this.confirming = null)} ?disabled=${this.archiving}>${msg('Cancel', { id: 'common.cancel' })}</button>
          <button type="button" class="danger" data-autofocus aria-disabled=${this.archiving ? 'true' : 'false'} @click=${() => !this.archiving && this.confirmArchive()}>
            ${msg('Remove', { id: 'attachments.remove' })}
          </button>
        </div>
      </tandem-dialog>`;
  }
}

customElements.define('tandem-attachments', TandemAttachments);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-attachments': TandemAttachments;
  }
}
