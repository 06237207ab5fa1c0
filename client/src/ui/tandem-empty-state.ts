/** What a screen shows when it has nothing to list: an icon, a heading, a sentence, maybe an action. */
import { css, html, LitElement } from 'lit';
import { type IconName, icons } from './icons.ts';
import { base } from './styles.ts';

export class TandemEmptyState extends LitElement {
  static override properties = { heading: { type: String }, icon: { type: String } };
  static override styles = [
    base,
    css`
      :host {
        display: grid;
        justify-items: center;
        text-align: center;
        gap: var(--t-space-3);
        padding: calc(var(--t-space-6) * 2) var(--t-space-5);
        background: var(--t-surface);
        border: 1px dashed var(--t-border-strong);
        border-radius: var(--t-radius);
      }
      .icon {
        display: grid;
        place-items: center;
        width: 52px;
        height: 52px;
        border-radius: 50%;
        background: var(--t-primary-soft);
        color: var(--t-primary);
      }
      .icon svg {
        width: 26px;
        height: 26px;
      }
      h2 {
        font-size: calc(var(--t-font-size) + 3px);
      }
      .text {
        color: var(--t-muted);
        max-width: 44ch;
      }
    `,
  ];
  declare heading: string;
  declare icon: IconName;

  constructor() {
    super();
    this.heading = '';
    this.icon = 'compass';
  }

  override render() {
    return html`<span class="icon">${icons[this.icon]}</span>
      <h2>${this.heading}</h2>
      <div class="text"><slot></slot></div>
      <slot name="actions"></slot>`;
  }
}

customElements.define('tandem-empty-state', TandemEmptyState);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-empty-state': TandemEmptyState;
  }
}
