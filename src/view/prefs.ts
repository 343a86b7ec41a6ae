// View preferences that outlive a visit (kept in localStorage): whether the editor is collapsed.

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
}));
