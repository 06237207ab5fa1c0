/**
 * A modal dialog on the native <dialog>: focus is kept inside while open,
 * Escape closes it, and focus returns to where it was. Content is slotted, so
 * forms inside stay in the caller's shadow root (labels and ids work there).
 * Set `open` to show or hide; listen for `close` to learn it was dismissed.
 */
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement, type PropertyValues } from 'lit';
import { icons } from './icons.ts';
import { base, buttons } from './styles.ts';

const FOCUSABLE = 'input:not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled])';

export class TandemDialog extends LitElement {
  static override properties = { open: { type: Boolean, reflect: true }, heading: { type: String } };
  static override styles = [
    base,
    buttons,
    css`
      dialog {
        width: min(var(--t-dialog-width, 520px), calc(100vw - 32px));
        max-height: calc(100vh - 48px);
        padding: 0;
        border: 1px solid var(--t-border);
        border-radius: var(--t-radius);
        box-shadow: var(--t-shadow-lg);
        background: var(--t-surface);
        color: var(--t-text);
      }
      dialog::backdrop {
        background: rgba(17, 24, 39, 0.45);
      }
      header {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: var(--t-space-3);
        padding: var(--t-space-4) var(--t-space-5);
        border-bottom: 1px solid var(--t-border);
      }
      .body {
        padding: var(--t-space-5);
      }
      button.close {
        border: none;
        padding: 0;
        width: var(--t-control-height);
        color: var(--t-muted);
      }
    `,
  ];
  declare open: boolean;
  declare heading: string;
  private returnFocusTo: HTMLElement | null = null;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.open = false;
    this.heading = '';
  }

  private get dialog(): HTMLDialogElement {
    return this.renderRoot.querySelector('dialog')!;
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (!changed.has('open')) return;
    const dialog = this.dialog;
    if (this.open && !dialog.open) {
      this.returnFocusTo = deepActiveElement();
      dialog.showModal();
      this.focusFirst();
    } else if (!this.open && dialog.open) {
      dialog.close();
    }
  }

  /**
   * Focuses the slotted element marked `data-autofocus` (or `autofocus`), else the first
   * focusable one, looking into slotted elements' shadow roots too.
   */
  private focusFirst(): void {
    const slot = this.renderRoot.querySelector('slot');
    const nodes = slot?.assignedElements({ flatten: true }) ?? [];
    for (const selector of ['[data-autofocus]', '[autofocus]', FOCUSABLE]) {
      for (const node of nodes) {
        const target = findIn(node, selector);
        if (target) {
          target.focus();
          return;
        }
      }
    }
  }

  private onClose = () => {
    this.open = false;
    this.returnFocusTo?.focus();
    this.returnFocusTo = null;
    this.dispatchEvent(new Event('close'));
  };

  override render() {
    return html`<dialog aria-labelledby="heading" @close=${this.onClose}>
      <header>
        <h2 id="heading">${this.heading}</h2>
        <button class="close" type="button" aria-label=${msg('Close', { id: 'common.close' })} @click=${() => this.dialog.close()}>
          ${icons.close}
        </button>
      </header>
      <div class="body"><slot></slot></div>
    </dialog>`;
  }
}

function findIn(node: Element, selector: string): HTMLElement | null {
  if (node.matches(selector) && node instanceof HTMLElement) return node;
  const found = node.shadowRoot?.querySelector(selector) ?? node.querySelector(selector);
  return found instanceof HTMLElement ? found : null;
}

/** The focused element, looking through open shadow roots. */
export function deepActiveElement(): HTMLElement | null {
  let active = document.activeElement;
  while (active?.shadowRoot?.activeElement) active = active.shadowRoot.activeElement;
  return active instanceof HTMLElement ? active : null;
}

customElements.define('tandem-dialog', TandemDialog);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-dialog': TandemDialog;
  }
}
