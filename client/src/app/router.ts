/**
 * Client routing on the History API. `navigate()` changes the URL; the
 * RouterController keeps its host's `path` in step with it (links, back and
 * forward), and same-origin <a href> clicks anywhere — inside shadow roots
 * too — become in-app navigations.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

const LOCATION_CHANGED = 'tandem-location-changed';

export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === currentPath() + location.search + location.hash) return;
  if (opts.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.dispatchEvent(new Event(LOCATION_CHANGED));
}

export function currentPath(): string {
  return location.pathname;
}

/** A link the router should handle: left click, no modifier, same origin, not the API, not a download. */
function inAppLink(e: MouseEvent): HTMLAnchorElement | null {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return null;
  const anchor = e.composedPath().find((n): n is HTMLAnchorElement => n instanceof HTMLAnchorElement);
  if (!anchor?.href || (anchor.target && anchor.target !== '_self') || anchor.hasAttribute('download')) return null;
  const url = new URL(anchor.href);
  if (url.origin !== location.origin || url.pathname.startsWith('/api/')) return null;
  return anchor;
}

export class RouterController implements ReactiveController {
  path = currentPath();

  constructor(private readonly host: ReactiveControllerHost) {
    host.addController(this);
  }

  hostConnected(): void {
    window.addEventListener('popstate', this.sync);
    window.addEventListener(LOCATION_CHANGED, this.sync);
    document.addEventListener('click', this.onClick);
    this.sync();
  }

  hostDisconnected(): void {
    window.removeEventListener('popstate', this.sync);
    window.removeEventListener(LOCATION_CHANGED, this.sync);
    document.removeEventListener('click', this.onClick);
  }

  private sync = () => {
    const path = currentPath();
    if (path !== this.path) {
      this.path = path;
      this.host.requestUpdate();
    }
  };

  private onClick = (e: MouseEvent) => {
    const anchor = inAppLink(e);
    if (!anchor) return;
    e.preventDefault();
    const url = new URL(anchor.href);
    navigate(url.pathname + url.search + url.hash);
  };
}

/** A compiled path pattern such as `/customers/:id`. */
export interface PathPattern {
  regex: RegExp;
  keys: string[];
}

export function compilePath(pattern: string): PathPattern {
  const keys: string[] = [];
  const source = pattern
    .split('/')
    .map((segment) => {
      if (segment.startsWith(':')) {
        keys.push(segment.slice(1));
        return '([^/]+)';
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return { regex: new RegExp(`^${source}/?$`), keys };
}

/** The parameters of `path` under `pattern`, or null when it does not match. */
export function matchPath(pattern: PathPattern, path: string): Record<string, string> | null {
  const m = pattern.regex.exec(path);
  if (!m) return null;
  const params: Record<string, string> = {};
  pattern.keys.forEach((key, i) => {
    try {
      params[key] = decodeURIComponent(m[i + 1] ?? '');
    } catch {
      params[key] = m[i + 1] ?? '';
    }
  });
  return params;
}
