// View preferences: whether the editor is collapsed (kept in localStorage, it outlives a visit) and whether the
// findings column is open (for this visit, and in links).

import { create } from 'zustand';

const KEY = 'pinscope.editorCollapsed';

function read(): boolean {
  try {
    return globalThis.localStorage?.getItem(KEY) === '1';
  } catch {
    return false;
  }
}

interface Prefs {
  editorCollapsed: boolean;
  setEditorCollapsed(collapsed: boolean): void;
  /** The findings column: opened or closed by the user (or a link); null until then. Not stored. */
  findingsOpen: boolean | null;
  setFindingsOpen(open: boolean | null): void;
}

export const usePrefs = create<Prefs>()((set) => ({
  editorCollapsed: read(),
  setEditorCollapsed(collapsed) {
    try {
      globalThis.localStorage?.setItem(KEY, collapsed ? '1' : '0');
    } catch {
      // Private windows may refuse storage: the choice then lasts for this visit.
    }
    set({ editorCollapsed: collapsed });
  },
  findingsOpen: null,
  setFindingsOpen(open) {
    set({ findingsOpen: open });
  },
}));
