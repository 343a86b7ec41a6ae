// Opening a real trace from a dropped file or pasted text (the scenario drop in hooks.ts hands traces here).

import { useEffect } from 'react';
import { useExplorer } from '../../store/explorer';
import { looksLikeTrace } from '../../store/realtrace';
import { importTrace } from '../../store/realtraceStore';

/** Import trace text; a refusal is shown as the notice. */
export async function openTraceText(text: string, from: string): Promise<void> {
  const refused = await importTrace(text, from);
  if (refused) useExplorer.getState().setNotice(`Not opened: ${refused}.`);
}

/** Pasting a trace anywhere (even into the editor) imports it instead of inserting the JSON. */
export function useTracePaste(): void {
  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      const text = e.clipboardData?.getData('text/plain') ?? '';
      if (!looksLikeTrace(text)) return;
      e.preventDefault();
      e.stopPropagation();
      void openTraceText(text, 'the pasted trace');
    };
    window.addEventListener('paste', onPaste, true);
    return () => window.removeEventListener('paste', onPaste, true);
  }, []);
}
