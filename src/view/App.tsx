// The explorer's layout: top bar; editor on the left; the four views; narration and timeline below.

import { lazy, Suspense, useEffect } from 'react';
import { useExplorer } from '../store/explorer';
import { Editor } from './Editor';
import { TopBar } from './TopBar';
import { useFileDrop, usePlayback, useKeyboard, useUrlSync } from './hooks';
import { PageTablesPanel } from './pagetables/PageTablesPanel';
import { MemoryPanel } from './memory/MemoryPanel';
import { RefGraphPanel } from './graph/RefGraphPanel';
import { BlockIoPanel } from './blockio/BlockIoPanel';
import { Timeline } from './timeline/Timeline';
import { Narration } from './narration/Narration';
import { FindingsPanel } from './findings/FindingsPanel';
import { installTestApi } from './testApi';
import { PanelBoundary } from './common/PanelBoundary';
import { DraftBar } from './DraftBar';
import { RunProgress } from './RunProgress';
import { useRealTrace } from '../store/realtraceStore';
import { loadExportPopover } from './export/ExportMenu';
import { NewerVersionNotice } from './offline/NewerVersionNotice';
import { useTracePaste } from './realtrace/importTrace';
import { useMailPaste } from './share/mailPaste';
import { usePrefs } from './prefs';
import { useViewZoom } from './common/useViewZoom';
import { PresentChrome } from './present/PresentChrome';
import { usePresentation } from './present/usePresentation';
import { usePresent } from './present/presentStore';
import { useShownViews } from './present/shownViews';

// What the first picture does not need is loaded just after it (the first-picture budget,
// scripts/bundle-budget.mjs): the compare view, the "why" panel, the real-trace panel, the help overlay. They
// are fetched while the page is still loading (warmLaterViews), so nothing is fetched once it has loaded.
const loadCompare = () => import('./compare/ComparePanel');
const loadWhy = () => import('./why/WhyPanel');
const loadRealTrace = () => import('./realtrace/RealTracePanel');
const loadHelp = () => import('./HelpOverlay');
const ComparePanel = lazy(() => loadCompare().then((m) => ({ default: m.ComparePanel })));
const WhyPanel = lazy(() => loadWhy().then((m) => ({ default: m.WhyPanel })));
const RealTracePanel = lazy(() => loadRealTrace().then((m) => ({ default: m.RealTracePanel })));
const HelpOverlay = lazy(() => loadHelp().then((m) => ({ default: m.HelpOverlay })));

let warmed = false;
/** Fetch the views loaded on demand, once the first picture is drawn. */
function warmLaterViews(): void {
  if (warmed) return;
  warmed = true;
  for (const load of [loadCompare, loadWhy, loadRealTrace, loadHelp, loadExportPopover]) void load().catch(() => {});
}

installTestApi();

export function App() {
  useUrlSync();
  useKeyboard();
  usePlayback();
  useFileDrop();
  useTracePaste();
  useMailPaste();
  useViewZoom();
  usePresentation();
  const presenting = usePresent((p) => p.presenting);
  const editorCollapsed = usePrefs((p) => p.editorCollapsed);
  const notice = useExplorer((s) => s.notice);
  const hasRun = useExplorer((s) => s.run !== null);
  const comparing = useExplorer((s) => s.compareSpec !== null);
  const folioSelected = useExplorer((s) => s.selectedFolio !== null);
  const shown = useShownViews();
  const traceShown = useRealTrace((t) => t.trace !== null && t.pick !== null);
  const helpOpen = useExplorer((s) => s.helpOpen);
  useEffect(() => {
    if (hasRun) setTimeout(warmLaterViews, 0);
  }, [hasRun]);
  return (
    <div className={`app${presenting ? ' presenting' : ''}`}>
      <TopBar />
      <div className="notices">
        <RunProgress />
        <NewerVersionNotice />
        {notice && (
          <div className="notice" role="alert">
            <span>{notice}</span>
            <button type="button" className="link" onClick={() => useExplorer.getState().setNotice(null)}>
              dismiss
            </button>
          </div>
        )}
        <DraftBar />
        {traceShown && (
          <Suspense fallback={null}>
            <RealTracePanel />
          </Suspense>
        )}
      </div>
      <main className={`workspace${editorCollapsed ? ' editor-collapsed' : ''}`}>
        <PanelBoundary name="Scenario editor">
          <Editor />
        </PanelBoundary>
        <div className="views" {...shown}>
          {hasRun && comparing ? (
            <PanelBoundary name="Compare">
              <Suspense fallback={<p className="loading">Loading the comparison…</p>}>
                <ComparePanel />
              </Suspense>
            </PanelBoundary>
          ) : hasRun ? (
            <>
              <PanelBoundary name="Page tables">
                <PageTablesPanel />
              </PanelBoundary>
              <PanelBoundary name="Memory">
                <MemoryPanel />
              </PanelBoundary>
              <PanelBoundary name="Refcount graph">
                <RefGraphPanel />
              </PanelBoundary>
              <PanelBoundary name="Block I/O">
                <BlockIoPanel />
              </PanelBoundary>
            </>
          ) : (
            <p className="loading">Running the scenario…</p>
          )}
        </div>
        {folioSelected ? (
          <PanelBoundary name="Ask why">
            <Suspense fallback={null}>
              <WhyPanel />
            </Suspense>
          </PanelBoundary>
        ) : (
          <PanelBoundary name="Findings">
            <FindingsPanel />
          </PanelBoundary>
        )}
      </main>
      <footer className="bottom">
        <PanelBoundary name="Narration">
          <Narration />
        </PanelBoundary>
        <PanelBoundary name="Timeline">
          <Timeline />
        </PanelBoundary>
      </footer>
      {presenting && <PresentChrome />}
      {helpOpen && (
        <Suspense fallback={null}>
          <HelpOverlay />
        </Suspense>
      )}
    </div>
  );
}
