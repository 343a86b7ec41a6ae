// Imported first by src/main.tsx, before anything draws. Two jobs for "Save a copy with this scenario":
// - In the single-file copy (all its code inline), keep the page's own HTML as it was parsed, before React
//   fills it: that text is the copy to save (the page may not fetch anything, not even itself).
// - In a saved copy opened without a link (double-clicked from a file manager, so no #hash), take the moment it
//   was saved with from its `<meta name="pinscope-open">` and put it in the address, where the explorer reads it.

export const OPEN_META = 'pinscope-open';

let pristine: string | null = null;

/** The single-file copy runs its code inline; the served build loads it from files. */
function isSingleFile(): boolean {
  return typeof document !== 'undefined' && document.querySelector('script[type="module"]:not([src])') !== null && document.querySelector('script[type="module"][src]') === null;
}

if (typeof document !== 'undefined') {
  if (isSingleFile()) pristine = `<!doctype html>\n${document.documentElement.outerHTML}`;
  const saved = document.querySelector(`meta[name="${OPEN_META}"]`)?.getAttribute('content');
  if (saved?.startsWith('#') && window.location.hash.length <= 1) {
    window.history.replaceState(null, '', `${window.location.pathname}${window.location.search}${saved}`);
  }
}

/** This page's HTML as parsed, when it is the single-file copy; null in the served build. */
export function ownSingleFileHtml(): string | null {
  return pristine;
}
