/**
 * An inline message. Errors are announced at once (role=alert), other kinds
 * politely (role=status).
 */
import { css, html, LitElement } from 'lit';
import { icons } from './icons.ts';
import { base } from './styles.ts';

export type AlertKind = 'error' | 'info' | 'success';

export class TandemAlert extends LitElement {
  static override properties = { kind: { type: String, reflect: true } };
  static override styles = [
    base,
    css`
      div {
        display: flex;
        gap: var(--t-space-2);
        align-items: flex-start;
        padding: var(--t-space-3) var(--t-space-4);
        border-radius: var(--t-radius-sm);
        border: 1px solid transparent;
      }
      svg {
        flex: none;
        margin-top: 2px;
      }
      :host([kind='error']) div {
        background: var(--t-danger-soft);
        color: var(--t-danger);
        border-color: rgba(192, 54, 44, 0.25);
      }
      :host([kind='info']) div {
        background: var(--t-primary-soft);
        color: var(--t-text);
      }
      :host([kind='success']) div {
        background: var(--t-success-soft);
        color: var(--t-success);
      }
      ::slotted(*) {
        margin: 0;
      }
    `,
  ];
  declare kind: AlertKind;

  constructor() {
    super();
    this.kind = 'error';
  }

  /** The role sits on the host, so the announced region holds the slotted text itself. */
  protected override willUpdate(): void {
    this.setAttribute('role', this.kind === 'error' ? 'alert' : 'status');
  }

  override render() {
    return html`<div>${icons.alert}<span><slot></slot></span></div>`;
  }
}

customElements.define('tandem-alert', TandemAlert);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-alert': TandemAlert;
  }
}
