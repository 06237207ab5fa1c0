// @ts-check
/**
 * Tandem's service worker (docs/offline.md): the app shell opens without a
 * network. The build (scripts/vite-service-worker.ts) writes it to
 * dist/client/sw.js, replacing VERSION and PRECACHE with the build's hash
 * and asset list, so every deploy installs a new worker and drops the old
 * shell. A separate same-origin script: the CSP (`script-src 'self'`) allows
 * it, and served from / it controls the whole app without
 * `Service-Worker-Allowed`.
 *
 * - Navigations: the network first, the cached index.html when it fails
 *   (client-side routes all render from it).
 * - /assets/* (hashed names, never changed in place): the cache first.
 * - /api, /yjs, /socket.io: never touched. No user data is cached here; live
 *   documents are kept in IndexedDB per user (offline/local-data.ts).
 */
const VERSION = 'dev';
/** @type {string[]} */
const PRECACHE = /* PRECACHE */ [];
const CACHE_PREFIX = 'tandem-shell-';
const CACHE = `${CACHE_PREFIX}${VERSION}`;
const SHELL = '/index.html';
const PASS_THROUGH = ['/api/', '/yjs/', '/socket.io/'];

const worker = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));

worker.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll([SHELL, ...PRECACHE]))
      .then(() => worker.skipWaiting()),
  );
});

worker.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith(CACHE_PREFIX) && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => worker.clients.claim()),
  );
});

worker.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== worker.location.origin) return;
  if (PASS_THROUGH.some((p) => url.pathname.startsWith(p))) return;
  if (request.mode === 'navigate') {
    event.respondWith(fetch(request).catch(() => caches.match(SHELL).then((r) => r ?? Response.error())));
    return;
  }
  event.respondWith(
    caches.match(request).then(
      (cached) =>
        cached ??
        fetch(request).then((response) => {
          // A chunk of another build, fetched now: keep it for the next time offline.
          if (response.ok && url.pathname.startsWith('/assets/')) {
            const copy = response.clone();
            void caches.open(CACHE).then((cache) => cache.put(request, copy));
          }
          return response;
        }),
    ),
  );
});
