// Pasting scenario text that carries pinscope's `# pinscope |` header (what Copy text gives, as sent by mail)
// opens it at the moment the header names, even when pasted into the editor: the header says it is a whole
// scenario, not a fragment to insert. Anything else pastes as usual.

import { useEffect } from 'react';
import { openLinkState } from '../../store/urlOpen';
import { readMailText } from '../../store/urlText';
import { replaceText } from '../draft';

export function useMailPaste(): void {
  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      const mailed = readMailText(e.clipboardData?.getData('text/plain') ?? '');
      if (!mailed) return;
      e.preventDefault();
      e.stopPropagation();
      replaceText('the pasted scenario', () => openLinkState(mailed));
    };
    window.addEventListener('paste', onPaste, true);
    return () => window.removeEventListener('paste', onPaste, true);
  }, []);
}
