/**
 * Settings → "Desktop notifications": opt in to system notifications on this
 * browser. Turning it on asks for the browser's permission; a denied
 * permission is explained (only the browser's site settings can undo it).
 */
import { msg, updateWhenLocaleChanges } from '@lit/localize';
import { css, html, LitElement } from 'lit';
import { base, cards, forms } from '../ui/styles.ts';
import { type DesktopSupport, desktopEnabled, desktopSupport, setDesktopEnabled } from './desktop-notifications.ts';

export class TandemDesktopNotificationsSetting extends LitElement {
  static override properties = { enabled: { state: true }, support: { state: true }, asking: { state: true } };
  static override styles = [
    base,
    cards,
    forms,
    css`
      header {
        margin-bottom: var(--t-space-3);
      }
    `,
  ];
  declare enabled: boolean;
  declare support: DesktopSupport;
  declare asking: boolean;

  constructor() {
    super();
    updateWhenLocaleChanges(this);
    this.support = desktopSupport();
    this.enabled = desktopEnabled() && this.support === 'granted';
    this.asking = false;
  }

  private async change(e: Event): Promise<void> {
    const on = (e.target as HTMLInputElement).checked;
    this.asking = true;
    try {
      this.enabled = await setDesktopEnabled(on);
    } finally {
      this.support = desktopSupport();
      this.asking = false;
    }
  }

  private statusText(): string {
    switch (this.support) {
      case 'unsupported':
        return msg('This browser cannot show desktop notifications.', { id: 'notifications.desktopUnsupported' });
      case 'denied':
        return msg('The browser blocks notifications from Tandem. Allow them in the site settings, then turn this on.', { id: 'notifications.desktopDenied' });
      case 'default':
      case 'granted':
        return msg('Shown only while Tandem is in a background tab; this browser only.', { id: 'notifications.desktopHint' });
      default:
        return this.support satisfies never;
    }
  }

  override render() {
    return html`<section class="card" aria-labelledby="desktop-heading">
      <header>
        <h2 id="desktop-heading">${msg('Desktop notifications', { id: 'notifications.desktopHeading' })}</h2>
      </header>
      <label class="choice">
        <input
          type="checkbox"
          .checked=${this.enabled}
          ?disabled=${this.asking || this.support === 'unsupported'}
          aria-describedby="desktop-hint"
          @change=${this.change}
        />${msg('Show a system notification for new notifications', { id: 'notifications.desktopToggle' })}
      </label>
      <p class="hint muted" id="desktop-hint" role="status">${this.statusText()}</p>
    </section>`;
  }
}

customElements.define('tandem-desktop-notifications-setting', TandemDesktopNotificationsSetting);
declare global {
  interface HTMLElementTagNameMap {
    'tandem-desktop-notifications-setting': TandemDesktopNotificationsSetting;
  }
}
