// The explorer's side of the service worker (public/sw.js): register it on the served site so the site works
// offline after the first visit, and notice when a newer build has been deployed (its worker installs and
// waits); the reader reloads when it suits them. Never in the single-file copy (file://, nothing to cache),
// the dev server, or a browser driven by automation (each test's fresh profile would install one) unless a
// test asks for it with localStorage `pinscope-sw` = `on`.

import { create } from 'zustand';

export const useNewerVersion = create<{ waiting: ServiceWorker | null; dismissed: boolean }>()(() => ({ waiting: null, dismissed: false }));

function wanted(): boolean {
  if (import.meta.env.DEV || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return false;
  if (window.location.protocol !== 'http:' && window.location.protocol !== 'https:') return false;
  // The single-file copy runs its code inline; it has no files to cache.
  if (document.querySelector('script[type="module"][src]') === null) return false;
  let asked = false;
  try {
    asked = window.localStorage.getItem('pinscope-sw') === 'on';
  } catch {
    // Storage may be refused (a sandboxed frame): automation then never registers.
  }
  return !navigator.webdriver || asked;
}

async function register(): Promise<void> {
  // Keep the script the page is already controlled by (the same sw.js, maybe with a query): registering
  // another URL would itself install a "newer" worker and announce it on every visit.
  const ours = new URL('sw.js', document.baseURI);
  const current = navigator.serviceWorker.controller?.scriptURL;
  const script = current && new URL(current).pathname === ours.pathname ? current : ours.href;
  const registration = await navigator.serviceWorker.register(script, { scope: './' });
  const announce = (worker: ServiceWorker) => useNewerVersion.setState({ waiting: worker, dismissed: false });
  // A page already controlled by a worker that sees another one installed has a newer build to offer (on the
  // first visit the first worker installs with no controller: nothing to announce).
  if (registration.waiting && navigator.serviceWorker.controller) announce(registration.waiting);
  registration.addEventListener('updatefound', () => {
    const installing = registration.installing;
    installing?.addEventListener('statechange', () => {
      if (installing.state === 'installed' && navigator.serviceWorker.controller) announce(installing);
    });
  });
}

export function registerServiceWorker(): void {
  if (!wanted()) return;
  const start = () => void register().catch((err: unknown) => console.warn('pinscope: the offline service worker could not be registered', err));
  if (document.readyState === 'complete') start();
  else window.addEventListener('load', start, { once: true });
}

/** Let the newer build's worker take over, then reload onto it. */
export function reloadOntoNewerVersion(): void {
  const waiting = useNewerVersion.getState().waiting;
  if (!waiting) return window.location.reload();
  navigator.serviceWorker.addEventListener('controllerchange', () => window.location.reload(), { once: true });
  // A service worker's postMessage takes a transfer list, not a target origin.
  waiting.postMessage('pinscope-take-over', []);
}
