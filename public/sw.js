// pinscope's service worker: after the first visit the site works offline, and a newer deployment is announced
// instead of silently replacing the one on screen. Written by hand; the build stamps its version and asset
// list into the copy in dist/ (vite.config.ts, serviceWorkerStamp), so every build is a new worker to the browser.
//
// - install: cache this build's files under `pinscope-<version>`; a newer worker then waits until a page asks it
//   to take over (the page shows "a newer pinscope is available — reload").
// - activate: drop the caches of older builds, and take the pages that have none.
// - fetch: the site's own files from the cache (they are named by their content, so a cached one is right);
//   a page itself from the network when there is one (a newer page is seen), else from the cache.

const VERSION = '__PINSCOPE_BUILD__';
const ASSETS = ['__PINSCOPE_ASSETS__'];
const CACHE = `pinscope-${VERSION}`;
const PAGE = new URL('./', self.location.href).href;

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll([PAGE, ...ASSETS.map((a) => new URL(a, PAGE).href)])));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('pinscope-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('message', (event) => {
  if (event.data === 'pinscope-take-over') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET' || !request.url.startsWith(PAGE)) return;
  if (request.mode === 'navigate') {
    event.respondWith(
      fetch(request).catch(() => caches.open(CACHE).then((cache) => cache.match(PAGE, { ignoreVary: true })).then((page) => page ?? Response.error())),
    );
    return;
  }
  event.respondWith(
    caches
      .open(CACHE)
      .then((cache) => cache.match(request, { ignoreSearch: true, ignoreVary: true }))
      .then((hit) => hit ?? fetch(request)),
  );
});
