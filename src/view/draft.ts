// The user's own text is never thrown away without a way back: what they type is kept in localStorage as a
// draft (the editor saves it; offered back on the next visit when something else opens), and replacing edited text (another scenario, a dropped file) can be
// undone. Dropped files that are not text are refused and change nothing.

import { create } from 'zustand';
import { useExplorer } from '../store/explorer';

const KEY = 'pinscope.draft';
export const MAX_DROP_BYTES = 400_000;

export interface Draft {
  text: string;
  kernel: string | null;
  savedAt: number;
}

export function readDraft(): Draft | null {
  try {
    const raw = globalThis.localStorage?.getItem(KEY);
    if (!raw) return null;
    const d = JSON.parse(raw) as Partial<Draft>;
    return typeof d.text === 'string' && d.text.trim() !== '' ? { text: d.text, kernel: typeof d.kernel === 'string' ? d.kernel : null, savedAt: Number(d.savedAt) || 0 } : null;
  } catch {
    return null;
  }
}

export function saveDraft(text: string, kernel: string | null): void {
  try {
    globalThis.localStorage?.setItem(KEY, JSON.stringify({ text, kernel, savedAt: Date.now() }));
  } catch {
    // Storage full or refused: the draft lasts for this visit only.
  }
}

export function clearDraft(): void {
  try {
    globalThis.localStorage?.removeItem(KEY);
  } catch {
    // nothing kept
  }
}

interface Undoable {
  text: string;
  kernel: string | null;
  compare: string | null;
  /** What replaced it, for the message. */
  by: string;
}

interface DraftState {
  /** A draft from an earlier visit, offered back until restored or dismissed. */
  offered: Draft | null;
  /** Edited text that was just replaced, with a way back. */
  undo: Undoable | null;
  offer(d: Draft | null): void;
  setUndo(u: Undoable | null): void;
}

export const useDrafts = create<DraftState>()((set) => ({
  offered: null,
  undo: null,
  offer: (d) => set({ offered: d }),
  setUndo: (u) => set({ undo: u }),
}));

/** Whether the text on screen is the user's own (edited, or from a file or link), not a built-in one as shipped. */
export function isEdited(): boolean {
  const s = useExplorer.getState();
  return s.scenarioId === null && s.source.trim() !== '';
}

/** Replace the text (another scenario, a dropped file); edited text can be had back with Undo. */
export function replaceText(by: string, load: () => void): void {
  const s = useExplorer.getState();
  const before: Undoable | null = isEdited() ? { text: s.source, kernel: s.kernelSpec, compare: s.compareSpec, by } : null;
  load();
  useDrafts.getState().setUndo(before);
}

export function undoReplace(): void {
  const u = useDrafts.getState().undo;
  if (!u) return;
  const store = useExplorer.getState();
  store.load(u.text, { kernel: u.kernel });
  store.setCompare(u.compare);
  useDrafts.getState().setUndo(null);
}

export function restoreDraft(): void {
  const d = useDrafts.getState().offered;
  if (!d) return;
  replaceText('your draft', () => useExplorer.getState().load(d.text, { kernel: d.kernel }));
  useDrafts.getState().offer(null);
}

/** Why a dropped file cannot be opened as a scenario, or null when it is text. */
export async function refuseDrop(file: File): Promise<string | null> {
  if (file.size > MAX_DROP_BYTES) return `"${file.name}" is too large for a scenario (${file.size.toLocaleString('en-US')} bytes)`;
  if (/^(image|audio|video|font)\//.test(file.type) || /^application\/(pdf|zip|gzip|octet-stream|x-)/.test(file.type)) return `"${file.name}" is not a text file (${file.type})`;
  const bytes = new Uint8Array(await file.arrayBuffer());
  if (bytes.includes(0)) return `"${file.name}" is not a text file (it has NUL bytes)`;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return `"${file.name}" is not UTF-8 text`;
  }
  return null;
}
