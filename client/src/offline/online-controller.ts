/**
 * The browser's network state for an element: `online` follows the window's
 * online/offline events (false: certainly offline; true: maybe online), and
 * `onOnline` runs when the network returns, e.g. to fetch again what was drawn
 * from local data (docs/offline.md).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

const browserOnline = () => typeof navigator === 'undefined' || navigator.onLine !== false;

export class OnlineController implements ReactiveController {
  online = browserOnline();

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly onOnline?: () => void,
  ) {
    host.addController(this);
  }

  hostConnected(): void {
    this.online = browserOnline();
    window.addEventListener('online', this.onChange);
    window.addEventListener('offline', this.onChange);
  }

  hostDisconnected(): void {
    window.removeEventListener('online', this.onChange);
    window.removeEventListener('offline', this.onChange);
  }

  private readonly onChange = (e: Event) => {
    this.online = e.type === 'online';
    this.host.requestUpdate();
    if (this.online) this.onOnline?.();
  };
}
