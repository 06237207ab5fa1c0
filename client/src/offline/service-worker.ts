/**
 * Registers the service worker that keeps the app shell for opening offline
 * (client/sw/sw.js, written by the build; docs/offline.md). Not under Vite's
 * dev server (recognised by the client script it injects), which has no
 * sw.js and serves modules that change on every edit. `import.meta.env.PROD`
 * would not do: a build made under another NODE_ENV (the browser tests build
 * under vitest's `test`) reports itself as not production.
 */
export function registerServiceWorker(): void {
  if (!('serviceWorker' in navigator) || document.querySelector('script[src="/@vite/client"]')) return;
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((e: unknown) => {
    // The app works without it (online); opening offline does not.
    console.warn('Tandem: the offline app shell is not available', e);
  });
}
