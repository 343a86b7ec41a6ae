// For DOM tests of views (happy-dom): a fresh host element and React root for each test, unmounted after it.
import { act } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach } from 'vitest';

export interface DomHost {
  /** The element the view is mounted in (attached to document.body). */
  readonly host: HTMLDivElement;
  readonly root: Root;
}

/** Registers the per-test set-up and tear-down; read `host` and `root` inside tests. */
export function useDomHost(): DomHost {
  let host: HTMLDivElement | undefined;
  let root: Root | undefined;
  beforeEach(() => {
    host = document.createElement('div');
    document.body.append(host);
    root = createRoot(host);
  });
  afterEach(() => {
    act(() => root!.unmount());
    host!.remove();
  });
  return {
    get host() {
      return host!;
    },
    get root() {
      return root!;
    },
  };
}
