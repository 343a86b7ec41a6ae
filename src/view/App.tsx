// The explorer's layout: top bar; editor on the left; the four views; narration and timeline below.

import { useExplorer } from '../store/explorer';
import { Editor } from './Editor';
import { HelpOverlay } from './HelpOverlay';
import { TopBar } from './TopBar';
import { useFileDrop, usePlayback, useKeyboard, useUrlSync } from './hooks';
import { PageTablesPanel } from './pagetables/PageTablesPanel';
import { MemoryPanel } from './memory/MemoryPanel';
import { RefGraphPanel } from './graph/RefGraphPanel';
import { BlockIoPanel } from './blockio/BlockIoPanel';
import { Timeline } from './timeline/Timeline';
import { Narration } from './narration/Narration';
import { WhyPanel } from './why/WhyPanel';
import { ComparePanel } from './compare/ComparePanel';
import { FindingsPanel } from './findings/FindingsPanel';
import { installTestApi } from './testApi';
import { usePrefs } from './prefs';
import { useViewZoom } from './common/useViewZoom';

installTestApi();

export function App() {
  useUrlSync();
  useKeyboard();
  usePlayback();
  useFileDrop();
  useViewZoom();
  const editorCollapsed = usePrefs((p) => p.editorCollapsed);
  const notice = useExplorer((s) => s.notice);
  const hasRun = useExplorer((s) => s.run !== null);
  const comparing = useExplorer((s) => s.compareSpec !== null);
  const folioSelected = useExplorer((s) => s.selectedFolio !== null);
  return (
    <div className="app">
      <TopBar />
      {notice && (
        <div className="notice" role="alert">
          <span>{notice}</span>
          <button type="button" className="link" onClick={() => useExplorer.getState().setNotice(null)}>
            dismiss
          </button>
        </div>
      )}
      <main className={`workspace${editorCollapsed ? ' editor-collapsed' : ''}`}>
        <Editor />
        <div className="views">
          {hasRun && comparing ? (
            <ComparePanel />
          ) : hasRun ? (
            <>
              <PageTablesPanel />
              <MemoryPanel />
              <RefGraphPanel />
              <BlockIoPanel />
            </>
          ) : (
            <p className="loading">Running the scenario…</p>
          )}
        </div>
        {folioSelected ? <WhyPanel /> : <FindingsPanel />}
      </main>
      <footer className="bottom">
        <Narration />
        <Timeline />
      </footer>
      <HelpOverlay />
    </div>
  );
}
