/**
 * Watches one pipeline's board document (`board:<pipelineId>`) without
 * editing it, and fires `board-change` — at most once per BOARD_CHANGE_DEBOUNCE_MS
 * of quiet — whenever the board changes after it has loaded (a card moved,
 * added, closed or edited by anyone). The Reports screen refetches its funnel
 * on it. Renders nothing; re-create it (keyed) to watch another pipeline.
 */
import { LitElement, type PropertyValues } from 'lit';
import type * as Y from 'yjs';
import { boardDocName } from '../../../schema/wire/docs.ts';
import { DocController } from '../realtime/doc-controller.ts';

/** Quiet time after the last board update before `board-change` fires. */
export const BOARD_CHANGE_DEBOUNCE_MS = 300;

export class TandemBoardWatch extends LitElement {
  static override properties = { pipelineId: { type: String, attribute: 'pipeline-id' } };

  declare pipelineId: string;
  private controller: DocController | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private boundDoc: Y.Doc | null = null;
  private lastStatus = '';

  constructor() {
    super();
    this.pipelineId = '';
  }

  /** 'connecting' | 'synced' | 'offline' | 'refused', or '' before a pipeline is set. */
  get status(): string {
    return this.controller?.status ?? '';
  }

  protected override createRenderRoot() {
    return this;
  }

  override render() {
    return null;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('pipelineId') && this.pipelineId && !this.controller) {
      this.controller = new DocController(this, {
        docName: boardDocName(this.pipelineId),
        // No user and no awareness state: someone reading reports is not "on the board".
        user: null,
        onDoc: (doc) => this.bind(doc),
      });
      this.bind(this.controller.doc);
      // addController connects at once when the host is already connected.
    }
  }

  protected override updated(): void {
    const status = this.status;
    this.dataset.status = status;
    // (Re)synced: whatever changed since the funnel was fetched (before the connection
    // was up, or while it was down) arrived with the sync, so fetch it once more.
    if (status === 'synced' && this.lastStatus !== 'synced') this.schedule();
    this.lastStatus = status;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private bind(doc: Y.Doc): void {
    this.boundDoc?.off('update', this.onUpdate);
    this.boundDoc = doc;
    doc.on('update', this.onUpdate);
  }

  private onUpdate = () => {
    // The first sync (and a reconnection's) loads the board as it is: that is no change.
    if (this.controller?.status === 'synced') this.schedule();
  };

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.dispatchEvent(new CustomEvent('board-change', { bubbles: true, composed: true }));
    }, BOARD_CHANGE_DEBOUNCE_MS);
  }
}

customElements.define('tandem-board-watch', TandemBoardWatch);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-board-watch': TandemBoardWatch;
  }
}
