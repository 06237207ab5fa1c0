/**
 * Custom fields (/admin/custom-fields, admins): the fields of one entity (customers, contacts
 * or opportunities, chosen by the switch at the top and kept in `?entity=`) defined for every
 * team or for one, in their order. Add, edit, move up or down, archive and restore; archived
 * fields are hidden unless asked for. Another admin's change arrives as `customFields:changed`
 * and the list is fetched again.
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing } from 'lit';
import { CUSTOM_FIELD_ENTITIES, type CustomFieldDto, type CustomFieldEntity } from '../../../schema/wire/custom-fields.ts';
import type { TeamDto } from '../../../schema/wire/user.ts';
import { listCustomFields, setCustomFieldArchived, updateCustomField } from '../api/custom-fields.ts';
import { listTeams } from '../api/teams.ts';
import { SocketController } from '../realtime/socket-controller.ts';
import { errorMessage } from '../ui/error-message.ts';
import { icons } from '../ui/icons.ts';
import { badges, base, buttons, cards, forms } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import '../ui/tandem-empty-state.ts';
import '../ui/tandem-loading.ts';
import { entityLabel, localized, typeLabel } from './custom-field-labels.ts';
import './tandem-custom-field-editor.ts';

type Load = { kind: 'loading' } | { kind: 'failed'; error: unknown } | { kind: 'ready'; fields: CustomFieldDto[] };
type Editing = { kind: 'closed' } | { kind: 'new' } | { kind: 'edit'; field: CustomFieldDto };

/** Gap between positions written on a reorder, so a later insert rarely renumbers. */
const POSITION_STEP = 10;

/** The entity named by the address (`?entity=contact`), customers by default. */
function entityFromUrl(): CustomFieldEntity {
  const e = new URLSearchParams(location.search).get('entity');
  return (CUSTOM_FIELD_ENTITIES as readonly string[]).includes(e ?? '') ? (e as CustomFieldEntity) : 'customer';
}

function introText(entity: CustomFieldEntity): string {
  switch (entity) {
    case 'customer':
      return msg('Fields admins add to every customer, in both languages.', { id: 'customFields.intro' });
    case 'contact':
      return msg('Fields admins add to every contact of a customer, in both languages.', { id: 'customFields.intro.contact' });
    case 'opportunity':
      return msg('Fields admins add to every opportunity, in both languages.', { id: 'customFields.intro.opportunity' });
    default:
      return entity satisfies never;
  }
}

function emptyText(entity: CustomFieldEntity): string {
  switch (entity) {
    case 'customer':
      return msg('Add fields your teams need on every customer, such as a contract tier or a renewal date.', { id: 'customFields.emptyText' });
    case 'contact':
      return msg('Add fields your teams need on every contact, such as a buying role or a birthday.', { id: 'customFields.emptyText.contact' });
    case 'opportunity':
      return msg('Add fields your teams need on every opportunity, such as a competitor or a lead source.', { id: 'customFields.emptyText.opportunity' });
    default:
      return entity satisfies never;
  }
}

export class TandemCustomFieldsPage extends LitElement {
  static override properties = {
    entity: { state: true },
    load: { state: true },
    teams: { state: true },
    editing: { state: true },
    showArchived: { state: true },
    notice: { state: true },
    busy: { state: true },
  };
  static override styles = [
    base,
    buttons,
    forms,
    cards,
    badges,
    css`
      :host {
        display: grid;
        gap: var(--t-space-4);
        max-width: 960px;
      }
      .head {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--t-space-3);
      }
      .head .spacer {
        flex: 1;
      }
      ol {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--t-space-2);
      }
      li {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: var(--t-space-2) var(--t-space-3);
        padding: var(--t-space-3) var(--t-space-4);
      }
      li.archived {
        opacity: 0.7;
      }
      .name {
        flex: 1 1 220px;
        min-width: 0;
      }
      .name strong {
        overflow-wrap: anywhere;
      }
      code {
        font-size: var(--t-font-size-sm);
        color: var(--t-muted);
      }
      .row-actions {
        display: flex;
        flex-wrap: wrap;
        gap: var(--t-space-1);
      }
      .icon-button {
        min-width: var(--t-control-height);
      }
      .entities {
        display: flex;
        flex-wrap: wrap;
        gap: var(--t-space-1);
        border-bottom: 1px solid var(--t-border);
      }
      .entities button {
        border: none;
        border-bottom: 2px solid transparent;
        border-radius: 0;
        background: none;
        font-weight: 550;
        color: var(--t-muted);
      }
      .entities button[aria-pressed='true'] {
        color: var(--t-text);
        border-bottom-color: var(--t-primary);
      }
    `,
  ];
  /** Whose fields are shown and added. */
  declare entity: CustomFieldEntity;
  declare load: Load;
  declare teams: readonly TeamDto[];
  declare editing: Editing;
  declare showArchived: boolean;
  declare notice: { kind: 'error' | 'success'; text: string } | null;
  declare busy: boolean;
  private loadSeq = 0;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.entity = entityFromUrl();
    this.load = { kind: 'loading' };
    this.teams = [];
    this.editing = { kind: 'closed' };
    this.showArchived = false;
    this.notice = null;
    this.busy = false;
    new SocketController(this, {
      on: { 'customFields:changed': (e) => e.entity === this.entity && void this.reload() },
      onConnect: (_s, reconnected) => reconnected && void this.reload(),
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    void this.reload();
    void listTeams().then(
      (teams) => (this.teams = teams),
      () => undefined,
    );
  }

  async reload(): Promise<void> {
    const seq = ++this.loadSeq;
    try {
      const fields = await listCustomFields(this.entity, { archived: true });
      if (seq === this.loadSeq) this.load = { kind: 'ready', fields };
    } catch (error) {
      if (seq === this.loadSeq) this.load = { kind: 'failed', error };
    }
  }

  /** Shows another entity's fields (the address keeps the choice, for a reload or a link). */
  private chooseEntity(entity: CustomFieldEntity): void {
    if (entity === this.entity) return;
    this.entity = entity;
    this.editing = { kind: 'closed' };
    this.notice = null;
    this.showArchived = false;
    this.load = { kind: 'loading' };
    const url = new URL(location.href);
    url.searchParams.set('entity', entity);
    history.replaceState(history.state, '', url);
    void this.reload();
  }

  private renderEntities() {
    return html`<div class="entities" role="group" aria-label=${msg('Fields of', { id: 'customFields.entity' })}>
      ${CUSTOM_FIELD_ENTITIES.map(
        (e) => html`<button type="button" data-entity=${e} aria-pressed=${e === this.entity ? 'true' : 'false'} @click=${() => this.chooseEntity(e)}>
          ${entityLabel(e)}
        </button>`,
      )}
    </div>`;
  }

  private teamName(teamId: string | null): string {
    if (teamId === null) return msg('Every team', { id: 'customFields.workspace' });
    return this.teams.find((t) => t.id === teamId)?.name ?? msg('One team', { id: 'customFields.oneTeam' });
  }

  private async act(run: () => Promise<unknown>, done: string): Promise<void> {
    this.busy = true;
    this.notice = null;
    try {
      await run();
      this.notice = { kind: 'success', text: done };
      await this.reload();
    } catch (err) {
      this.notice = { kind: 'error', text: errorMessage(err) };
    } finally {
      this.busy = false;
    }
  }

  /** Moves a field one place up or down among the active ones; positions are rewritten in steps. */
  private move(fields: readonly CustomFieldDto[], index: number, by: -1 | 1): void {
    const order = [...fields];
    const [moved] = order.splice(index, 1);
    order.splice(index + by, 0, moved!);
    const changes = order.map((f, i) => ({ f, position: (i + 1) * POSITION_STEP })).filter(({ f, position }) => f.position !== position);
    void this.act(async () => {
      for (const { f, position } of changes) await updateCustomField(f.id, { position });
      // Focus follows the moved field's button, so moving again is one more key press.
      await this.updateComplete;
    }, msg(str`Moved ${localized(moved!.label)}.`, { id: 'customFields.moved' })).then(() => {
      this.renderRoot.querySelector<HTMLButtonElement>(`li[data-id="${moved!.id}"] button[data-move="${by}"]`)?.focus();
    });
  }

  private renderField(f: CustomFieldDto, index: number, active: readonly CustomFieldDto[]) {
    const name = localized(f.label);
    const archived = f.archivedAt !== null;
    return html`<li class="card ${archived ? 'archived' : ''}" data-id=${f.id}>
      <div class="name">
        <strong>${name}</strong> <span class="muted" lang=${name === f.label.en ? 'zh-CN' : 'en'}>${name === f.label.en ? f.label.zh : f.label.en}</span><br />
        <code>custom.${f.key}</code>
      </div>
      <span class="badge">${typeLabel(f.type)}</span>
      <span class="badge">${this.teamName(f.teamId)}</span>
      ${f.required ? html`<span class="badge">${msg('Required', { id: 'customFields.required' })}</span>` : nothing}
      ${archived ? html`<span class="badge danger">${msg('Archived', { id: 'customers.archived' })}</span>` : nothing}
      <div class="row-actions">
        ${archived
          ? nothing
          : html`<button
                type="button"
                class="icon-button"
                data-move="-1"
                ?disabled=${this.busy || index === 0}
                aria-label=${msg(str`Move ${name} up`, { id: 'customFields.moveUp' })}
                title=${msg(str`Move ${name} up`, { id: 'customFields.moveUp' })}
                @click=${() => this.move(active, index, -1)}
              >
                <span aria-hidden="true">↑</span>
              </button>
              <button
                type="button"
                class="icon-button"
                data-move="1"
                ?disabled=${this.busy || index === active.length - 1}
                aria-label=${msg(str`Move ${name} down`, { id: 'customFields.moveDown' })}
                title=${msg(str`Move ${name} down`, { id: 'customFields.moveDown' })}
                @click=${() => this.move(active, index, 1)}
              >
                <span aria-hidden="true">↓</span>
              </button>
              <button type="button" ?disabled=${this.busy} @click=${() => (this.editing = { kind: 'edit', field: f })}>${msg('Edit', { id: 'common.edit' })}</button>`}
        <button
          type="button"
          class=${archived ? '' : 'danger'}
          ?disabled=${this.busy}
          @click=${() =>
            this.act(
              () => setCustomFieldArchived(f.id, !archived),
              archived ? msg('Restored.', { id: 'customer.restoredNotice' }) : msg('Archived.', { id: 'customer.archivedNotice' }),
            )}
        >
          ${archived ? msg('Restore', { id: 'customer.restore' }) : msg('Archive', { id: 'common.archive' })}
        </button>
      </div>
    </li>`;
  }

  private renderList() {
    const load = this.load;
    switch (load.kind) {
      case 'loading':
        return html`<tandem-loading></tandem-loading>`;
      case 'failed':
        return html`<tandem-empty-state icon="alert" heading=${msg('The custom fields could not be loaded', { id: 'customFields.loadFailed' })}>
          ${errorMessage(load.error)}
          <button slot="actions" class="primary" type="button" @click=${() => this.reload()}>${msg('Try again', { id: 'common.retry' })}</button>
        </tandem-empty-state>`;
      case 'ready': {
        const active = load.fields.filter((f) => f.archivedAt === null);
        const archived = load.fields.filter((f) => f.archivedAt !== null);
        if (load.fields.length === 0) {
          return html`<tandem-empty-state icon="customers" heading=${msg('No custom fields yet', { id: 'customFields.empty' })}>
            ${emptyText(this.entity)}
          </tandem-empty-state>`;
        }
        return html`<ol aria-label=${msg('Custom fields', { id: 'customFields.title' })}>
            ${active.map((f, i) => this.renderField(f, i, active))}
          </ol>
          ${archived.length > 0
            ? html`<label class="choice"
                ><input type="checkbox" .checked=${this.showArchived} @change=${(e: Event) => (this.showArchived = (e.target as HTMLInputElement).checked)} />${msg(
                  str`Show archived fields (${archived.length})`,
                  { id: 'customFields.showArchived' },
                )}</label
              >`
            : nothing}
          ${this.showArchived ? html`<ol>${archived.map((f, i) => this.renderField(f, i, archived))}</ol>` : nothing}`;
      }
      default:
        return load satisfies never;
    }
  }

  override render() {
    const editing = this.editing;
    return html`${this.renderEntities()}
      <div class="head">
        <div>
          <p class="muted">${introText(this.entity)}</p>
        </div>
        <span class="spacer"></span>
        ${editing.kind === 'closed'
          ? html`<button type="button" class="primary" @click=${() => (this.editing = { kind: 'new' })}>${icons.plus}${msg('Add field', { id: 'customFields.add' })}</button>`
          : nothing}
      </div>
      ${this.notice ? html`<tandem-alert kind=${this.notice.kind} role="status">${this.notice.text}</tandem-alert>` : nothing}
      ${editing.kind === 'closed'
        ? nothing
        : html`<tandem-custom-field-editor
            .field=${editing.kind === 'edit' ? editing.field : null}
            .teams=${this.teams}
            .entity=${this.entity}
            @cancel=${() => (this.editing = { kind: 'closed' })}
            @field-saved=${() => {
              this.editing = { kind: 'closed' };
              this.notice = { kind: 'success', text: msg('Saved.', { id: 'customFields.saved' }) };
              void this.reload();
            }}
          ></tandem-custom-field-editor>`}
      ${this.renderList()}`;
  }
}

customElements.define('tandem-custom-fields-page', TandemCustomFieldsPage);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-custom-fields-page': TandemCustomFieldsPage;
  }
}
