/**
 * "Feedback & service records" on the customer 360° page: the customer's records, newest
 * first, with a button to add one and "Update" on each. A `serviceRecord:changed` event about
 * this customer refetches the list, so a teammate's change shows without a reload.
 */
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { ServiceRecordDto } from '../../../schema/wire/service-records.ts';
import type { UserDto } from '../../../schema/wire/user.ts';
import { customerServiceRecords } from '../api/service-records.ts';
import { SocketController } from '../realtime/socket-controller.ts';
import { errorMessage } from '../ui/error-message.ts';
import { icons } from '../ui/icons.ts';
import { base, buttons } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import './tandem-service-record-dialog.ts';
import './tandem-service-record-list.ts';

type Load = { kind: 'loading' } | { kind: 'failed'; error: unknown } | { kind: 'ready'; items: ServiceRecordDto[] };
type Editing = { kind: 'closed' } | { kind: 'new' } | { kind: 'edit'; record: ServiceRecordDto };

export class TandemServiceRecordsSection extends LitElement {
  static override properties = {
    customerId: { type: String, attribute: 'customer-id' },
    customerName: { type: String, attribute: 'customer-name' },
    teamId: { type: String, attribute: 'team-id' },
    users: { attribute: false },
    readonly: { type: Boolean },
    load: { state: true },
    editing: { state: true },
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
        justify-content: flex-end;
      }
      .muted {
        color: var(--t-muted);
        margin: 0;
      }
    `,
  ];
  declare customerId: string;
  declare customerName: string;
  declare teamId: string;
  declare users: readonly UserDto[];
  declare readonly: boolean;
  declare load: Load;
  declare editing: Editing;
  private loadSeq = 0;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.customerId = '';
    this.customerName = '';
    this.teamId = '';
    this.users = [];
    this.readonly = false;
    this.load = { kind: 'loading' };
    this.editing = { kind: 'closed' };
    new SocketController(this, {
      on: {
        'serviceRecord:changed': (e) => {
          if (e.customerId === this.customerId) void this.reload();
        },
      },
      onConnect: (_socket, reconnected) => {
        if (reconnected) void this.reload();
      },
    });
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('customerId') && this.customerId) void this.reload();
  }

  async reload(): Promise<void> {
    const seq = ++this.loadSeq;
    try {
      const items = await customerServiceRecords(this.customerId);
      if (seq === this.loadSeq) this.load = { kind: 'ready', items };
    } catch (error) {
      if (seq === this.loadSeq) this.load = { kind: 'failed', error };
    }
  }

  private onSaved(): void {
    this.editing = { kind: 'closed' };
    void this.reload();
  }

  private renderBody() {
    const load = this.load;
    switch (load.kind) {
      case 'loading':
        return html`<p class="muted">${msg('Loading…', { id: 'common.loading' })}</p>`;
      case 'failed':
        return html`<tandem-alert kind="error">${errorMessage(load.error)}</tandem-alert>
          <button type="button" @click=${() => this.reload()}>${msg('Try again', { id: 'common.retry' })}</button>`;
      case 'ready':
        return load.items.length === 0
          ? html`<p class="muted">${msg('No feedback or service records yet.', { id: 'service.customerEmpty' })}</p>`
          : html`<tandem-service-record-list .records=${load.items} .users=${this.users} ?readonly=${this.readonly}
              @edit-record=${(e: CustomEvent<ServiceRecordDto>) => (this.editing = { kind: 'edit', record: e.detail })}></tandem-service-record-list>`;
      default:
        return load satisfies never;
    }
  }

  override render() {
    const editing = this.editing;
    return html`${this.readonly
        ? nothing
        : html`<div class="bar">
            <button type="button" @click=${() => (this.editing = { kind: 'new' })}>${icons.plus}${msg('Add record', { id: 'service.add' })}</button>
          </div>`}
      ${this.renderBody()}
      <tandem-service-record-dialog
        .open=${editing.kind !== 'closed'}
        .record=${editing.kind === 'edit' ? editing.record : null}
        customer-id=${this.customerId}
        customer-name=${this.customerName}
        team-id=${this.teamId}
        .users=${this.users}
        @close=${() => (this.editing = { kind: 'closed' })}
        @record-saved=${this.onSaved}
      ></tandem-service-record-dialog>`;
  }
}

customElements.define('tandem-service-records-section', TandemServiceRecordsSection);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-service-records-section': TandemServiceRecordsSection;
  }
}
