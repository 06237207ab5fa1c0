/**
 * "Opportunities" on the customer 360° page: each of the customer's opportunities
 * with its stage, amount and expected close, linked to its card on the board, and
 * its quotes; a button starts a new one here (the board's opportunity dialog, with
 * this customer fixed and a pipeline and stage to choose). A teammate's change
 * (`opportunity:changed` naming this customer) refetches the list.
 */
import { msg, str, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, nothing, type PropertyValues } from 'lit';
import type { OpportunityDto, QuoteDto } from '../../../schema/wire/opportunity.ts';
import type { PipelineDto } from '../../../schema/wire/pipeline.ts';
import type { UserDto } from '../../../schema/wire/user.ts';
import { customerOpportunities } from '../api/customers.ts';
import { listQuotes } from '../api/opportunities.ts';
import { listPipelines } from '../api/pipelines.ts';
import { currentLocale } from '../app/localization.ts';
import { formatMoney } from '../pipeline/board-format.ts';
import { stageName } from '../pipeline/board-model.ts';
import { quoteStatusLabel } from '../pipeline/tandem-opportunity-panel.ts';
import '../pipeline/tandem-opportunity-dialog.ts';
import { LiveListController } from '../realtime/live-list-controller.ts';
import { SocketController } from '../realtime/socket-controller.ts';
import { errorMessage } from '../ui/error-message.ts';
import { badges, base, buttons, liveRows } from '../ui/styles.ts';
import '../ui/tandem-alert.ts';
import { formatDate } from './customer-labels.ts';

interface Row {
  opportunity: OpportunityDto;
  quotes: QuoteDto[];
}

type Load = { kind: 'loading' } | { kind: 'failed'; error: unknown } | { kind: 'ready'; rows: Row[] };

export class TandemCustomerOpportunities extends LitElement {
  static override properties = {
    customerId: { type: String, attribute: 'customer-id' },
    customerName: { type: String, attribute: 'customer-name' },
    teamId: { type: String, attribute: 'team-id' },
    users: { attribute: false },
    selfId: { type: String, attribute: 'self-id' },
    canCreate: { type: Boolean, attribute: 'can-create' },
    canAssign: { type: Boolean, attribute: 'can-assign' },
    load: { state: true },
    pipelines: { state: true },
    creating: { state: true },
  };
  static override styles = [
    base,
    buttons,
    badges,
    liveRows,
    css`
      :host {
        display: grid;
        gap: var(--t-space-3);
      }
      .bar {
        display: flex;
        justify-content: flex-end;
      }
      ul {
        list-style: none;
        margin: 0;
        padding: 0;
        display: grid;
        gap: var(--t-space-2);
      }
      li.opp {
        display: grid;
        gap: var(--t-space-1);
        padding: var(--t-space-2) 0;
        border-bottom: 1px solid var(--t-border);
      }
      .head {
        display: flex;
        flex-wrap: wrap;
        justify-content: space-between;
        gap: var(--t-space-2);
      }
      .head a {
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .meta,
      .quotes {
        color: var(--t-muted);
        font-size: var(--t-font-size-sm);
      }
      .quotes li {
        display: flex;
        flex-wrap: wrap;
        gap: var(--t-space-2);
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
  declare users: UserDto[];
  declare selfId: string;
  declare canCreate: boolean;
  declare canAssign: boolean;
  declare load: Load;
  declare pipelines: PipelineDto[];
  declare creating: boolean;
  private loadSeq = 0;
  private readonly live = new LiveListController(this, {
    events: ['opportunity:changed'],
    accept: (e) => e.customerId === this.customerId,
    refresh: () => this.reload(),
  });

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    // A teammate's quote on one of these opportunities (written in its panel) refetches the list.
    new SocketController(this, {
      on: {
        'deal:changed': (e) => {
          if (e.customerId === this.customerId && e.kind === 'quote') void this.reload();
        },
      },
    });
    this.customerId = '';
    this.customerName = '';
    this.teamId = '';
    this.users = [];
    this.selfId = '';
    this.canCreate = false;
    this.canAssign = false;
    this.load = { kind: 'loading' };
    this.pipelines = [];
    this.creating = false;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('customerId') && this.customerId) void this.reload();
  }

  async reload(): Promise<void> {
    const seq = ++this.loadSeq;
    try {
      const [opportunities, pipelines] = await Promise.all([customerOpportunities(this.customerId), listPipelines()]);
      // Quotes follow their opportunity: a customer has few, each asked for once.
      const rows = await Promise.all(opportunities.map(async (opportunity) => ({ opportunity, quotes: await listQuotes(opportunity.id) })));
      if (seq !== this.loadSeq) return;
      this.pipelines = pipelines;
      this.load = { kind: 'ready', rows };
    } catch (error) {
      if (seq === this.loadSeq) this.load = { kind: 'failed', error };
    }
  }

  /** The pipelines the customer's team uses: a new opportunity goes on one of them. */
  private teamPipelines(): PipelineDto[] {
    return this.pipelines.filter((p) => p.teamIds.includes(this.teamId));
  }

  private stageLabel(o: OpportunityDto): string {
    const stage = this.pipelines.find((p) => p.id === o.pipelineId)?.stages.find((s) => s.id === o.stageId);
    return stage ? stageName(stage, currentLocale()) : '';
  }

  private onCreated(): void {
    this.creating = false;
    void this.reload();
  }

  private renderRow({ opportunity: o, quotes }: Row) {
    const locale = currentLocale();
    const status =
      o.status === 'won'
        ? html`<span class="badge success">${msg('Won', { id: 'customer.opportunityWon' })}</span>`
        : o.status === 'lost'
          ? html`<span class="badge danger">${msg('Lost', { id: 'customer.opportunityLost' })}</span>`
          : nothing;
    return html`<li class="opp ${this.live.isFresh(o.id) ? 'changed' : ''}" data-opportunity-id=${o.id}>
      <div class="head">
        <a href="/pipeline/${o.pipelineId}?card=${encodeURIComponent(o.id)}">${o.name}</a>
        <span>${formatMoney(o.amount, o.currency, locale)}</span>
      </div>
      <div class="meta">
        <span class="badge stage">${this.stageLabel(o)}</span> ${status}
        ${o.expectedCloseDate ? msg(str`Expected close ${formatDate(o.expectedCloseDate)}`, { id: 'customer.opportunityClose' }) : nothing}
      </div>
      ${quotes.length > 0
        ? html`<ul class="quotes" aria-label=${msg('Quotes', { id: 'customer.quotes' })}>
            ${quotes.map(
              (q) => html`<li>
                <span>${q.title}</span><span>${quoteStatusLabel(q.status)}</span><span>${formatMoney(q.total, q.currency, locale)}</span>
              </li>`,
            )}
          </ul>`
        : nothing}
    </li>`;
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
        return load.rows.length === 0
          ? html`<p class="muted">${msg('No opportunities yet. Start one here once talks turn commercial.', { id: 'customer.noOpportunitiesHere' })}</p>`
          : html`<ul>
              ${load.rows.map((r) => this.renderRow(r))}
            </ul>`;
      default:
        return load satisfies never;
    }
  }

  override render() {
    const pipelines = this.teamPipelines();
    return html`${this.canCreate
        ? html`<div class="bar">
            <button type="button" class="primary new-opportunity" ?disabled=${this.load.kind !== 'ready' || pipelines.length === 0} @click=${() => (this.creating = true)}>
              ${msg('New opportunity', { id: 'board.new' })}
            </button>
          </div>`
        : nothing}
      ${this.renderBody()}
      ${this.canCreate
        ? html`<tandem-opportunity-dialog
            .open=${this.creating}
            .customer=${{ id: this.customerId, name: this.customerName, teamId: this.teamId }}
            .pipelines=${pipelines}
            .users=${this.users}
            .canAssign=${this.canAssign}
            .selfId=${this.selfId}
            @created=${() => this.onCreated()}
            @close=${() => (this.creating = false)}
          ></tandem-opportunity-dialog>`
        : nothing}`;
  }
}

customElements.define('tandem-customer-opportunities', TandemCustomerOpportunities);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-customer-opportunities': TandemCustomerOpportunities;
  }
}
