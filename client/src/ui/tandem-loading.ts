/** A spinner with a text label, announced politely to screen readers. */
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement } from 'lit';
import { base } from './styles.ts';

export class TandemLoading extends LitElement {
  static override properties = { label: { type: String } };
  static override styles = [
    base,
    css`
      :host {
        display: flex;
        justify-content: center;
        padding: var(--t-space-6);
        color: var(--t-muted);
      }
      div {
        display: flex;
        align-items: center;
        gap: var(--t-space-3);
      }
      .spinner {
        width: 18px;
        height: 18px;
        border-radius: 50%;
        border: 2px solid var(--t-border-strong);
        border-top-color: var(--t-primary);
        animation: spin 0.8s linear infinite;
      }
      @keyframes spin {
        to {
          transform: rotate(360deg);
        }
      }
      @media (prefers-reduced-motion: reduce) {
        .spinner {
          animation-duration: 3s;
        }
      }
    `,
  ];
  declare label: string;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.label = '';
  }

  override render() {
    return html`<div role="status"><span class="spinner" aria-hidden="true"></span>${this.label || msg('Loading…', { id: 'common.loading' })}</div>`;
  }
}

customElements.define('tandem-loading', TandemLoading);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-loading': TandemLoading;
  }
}
