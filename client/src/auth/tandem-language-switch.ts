/**
 * Language choice before sign-in: a pair of toggle buttons. Fires
 * `locale-change` with the chosen locale; signed-in users pick theirs in Settings.
 */
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement } from 'lit';
import type { Locale } from '../../../schema/wire/user.ts';
import { currentLocale } from '../app/localization.ts';
import { base, buttons } from '../ui/styles.ts';

/** Each language is named in itself, so anyone can find their own. */
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文' };

export class TandemLanguageSwitch extends LitElement {
  static override styles = [
    base,
    buttons,
    css`
      div {
        display: flex;
        gap: var(--t-space-2);
        justify-content: center;
      }
      button.link[aria-pressed='true'] {
        color: var(--t-text);
        font-weight: 650;
        text-decoration: none;
        cursor: default;
      }
    `,
  ];

  constructor() {
    super();
    updateWhenLocaleChanges(this);
  }

  override render() {
    const active = currentLocale();
    return html`<div role="group" aria-label=${msg('Language', { id: 'settings.language' })}>
      ${(Object.keys(LOCALE_NAMES) as Locale[]).map(
        (l) => html`<button
          type="button"
          class="link"
          lang=${l}
          aria-pressed=${l === active ? 'true' : 'false'}
          @click=${() => this.dispatchEvent(new CustomEvent<Locale>('locale-change', { detail: l, bubbles: true, composed: true }))}
        >
          ${LOCALE_NAMES[l]}
        </button>`,
      )}
    </div>`;
  }
}

customElements.define('tandem-language-switch', TandemLanguageSwitch);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-language-switch': TandemLanguageSwitch;
  }
}
