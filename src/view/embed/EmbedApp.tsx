// Embed mode (`mode=embed`): the picture only, for an iframe in a slide deck, a course page or a blog post.
// Read-only (no editor), stepping bounded by `start`/`end`, optional autoplay and loop, keys by the `keys`
// option, a postMessage API for the host (bridge.ts), and an "open in pinscope" link with the full state.
// It never takes the focus on load and never scrolls the host page: nothing here calls focus() or
// scrollIntoView, and keys are only read once the reader has clicked inside (the frame then has the focus).

import { useEffect, useRef, useState } from 'react';
import { useExplorer } from '../../store/explorer';
import { decodeLink, encodeLink, readEmbed, type EmbedView } from '../../store/url';
import { currentLinkState, openLinkState } from '../../store/urlOpen';
import { runsSettled } from '../../store/simRuns';
import { DEFAULT_SCENARIO, findBuiltin, findLibrary } from '../../store/scenarios';
import { PanelBoundary } from '../common/PanelBoundary';
import { PageTablesPanel } from '../pagetables/PageTablesPanel';
import { MemoryPanel } from '../memory/MemoryPanel';
import { RefGraphPanel } from '../graph/RefGraphPanel';
import { BlockIoPanel } from '../blockio/BlockIoPanel';
import { installBridge, loadIntoEmbed, postToHost } from './bridge';
import { applyEmbedOptions, embedGoto, embedMove, embedPlay, embedTick, useEmbed } from './embedStore';
import '../present/present.css';
import './embed.css';

const PANELS: Record<EmbedView, { name: string; Panel: () => React.JSX.Element | null }> = {
  pagetables: { name: 'Page tables', Panel: PageTablesPanel },
  memory: { name: 'Memory', Panel: MemoryPanel },
  graph: { name: 'Refcount graph', Panel: RefGraphPanel },
  blockio: { name: 'Block I/O', Panel: BlockIoPanel },
};

/** Open what the embed's link says: a hash link, or `?scenario=<id>` with the options in the query. */
async function openEmbed(): Promise<void> {
  const decoded = await decodeLink(window.location.hash);
  const query = new URLSearchParams(window.location.search);
  const store = useExplorer.getState();
  let step: number | undefined;
  let autoplay = false;
  if (decoded.ok === true) {
    const options = decoded.link.embed ?? readEmbed(query);
    applyEmbedOptions(options);
    await openLinkState(decoded.link);
    step = decoded.link.step;
    autoplay = options.autoplay === true;
  } else {
    const options = readEmbed(query);
    applyEmbedOptions(options);
    autoplay = options.autoplay === true;
    const id = query.get('scenario');
    const chosen = (id && (findLibrary(id) ?? findBuiltin(id))) || DEFAULT_SCENARIO;
    store.load(chosen.text, { scenarioId: chosen.id, ...(decoded.ok === false ? { notice: `This link could not be opened: ${decoded.reason}.` } : {}) });
    // The run may come from the worker: bounds and the first step need it.
    await runsSettled('main');
  }
  const { start } = useEmbed.getState();
  embedGoto(step ?? start ?? useExplorer.getState().step);
  if (autoplay) embedPlay();
}

function useFullLink(): string {
  const [href, setHref] = useState('');
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const update = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (!useExplorer.getState().run) return;
        void encodeLink(currentLinkState()).then((hash) => setHref(`${window.location.pathname}${hash}`));
      }, 150);
    };
    update();
    const unsubscribe = useExplorer.subscribe((s, prev) => {
      if (s.step !== prev.step || s.run !== prev.run) update();
    });
    return () => {
      clearTimeout(timer);
      unsubscribe();
    };
  }, []);
  return href;
}

function useEmbedKeys(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const { keys } = useEmbed.getState();
      if (keys === 'none' || e.altKey || e.ctrlKey || e.metaKey) return;
      if (keys === 'host') {
        // A slide deck decides what keys mean; the embed only passes them on.
        postToHost({ type: 'key', key: e.key });
        return;
      }
      const moves: Record<string, () => void> = {
        ArrowRight: () => embedMove(e.shiftKey ? 'chapter' : 'event', 1),
        ArrowLeft: () => embedMove(e.shiftKey ? 'chapter' : 'event', -1),
        PageDown: () => embedMove('chapter', 1),
        PageUp: () => embedMove('chapter', -1),
        Home: () => embedGoto(0),
        End: () => embedGoto(Number.MAX_SAFE_INTEGER),
        ' ': () => (useEmbed.getState().playing ? useEmbed.setState({ playing: false }) : embedPlay()),
      };
      const move = moves[e.key];
      if (!move) return;
      e.preventDefault();
      move();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}

function useEmbedPlayback(): void {
  const playing = useEmbed((e) => e.playing);
  const speed = useExplorer((s) => s.speed);
  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(embedTick, 1000 / speed);
    return () => clearInterval(timer);
  }, [playing, speed]);
}

export function EmbedApp() {
  const started = useRef(false);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    void openEmbed();
  }, []);
  useEffect(() => installBridge(), []);
  useEmbedKeys();
  useEmbedPlayback();
  useEffect(() => {
    const el = root.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    let last = -1;
    const observer = new ResizeObserver(() => {
      const height = Math.ceil(el.scrollHeight);
      if (height !== last) postToHost({ type: 'resize', height });
      last = height;
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  const views = useEmbed((e) => e.views);
  const caption = useEmbed((e) => e.caption);
  const theme = useEmbed((e) => e.theme);
  const pending = useEmbed((e) => e.pendingLoad);
  const playing = useEmbed((e) => e.playing);
  const hasRun = useExplorer((s) => s.run !== null);
  const step = useExplorer((s) => s.step);
  const steps = useExplorer((s) => s.run?.lastStep ?? 0);
  const event = useExplorer((s) => s.snapshot?.event);
  const notice = useExplorer((s) => s.notice);
  const href = useFullLink();
  useEffect(() => {
    const el = document.documentElement;
    if (theme === 'projector') el.setAttribute('data-theme', 'projector');
    else el.removeAttribute('data-theme');
  }, [theme]);
  return (
    <div className="embed" ref={root} data-views={views.length}>
      {notice && <p className="embed-notice" role="status">{notice}</p>}
      <div className="embed-views">
        {hasRun
          ? views.map((v) => {
              const { name, Panel } = PANELS[v];
              return (
                <PanelBoundary key={v} name={name}>
                  <Panel />
                </PanelBoundary>
              );
            })
          : <p className="loading">Running the scenario…</p>}
      </div>
      {caption && <p className="embed-caption" aria-live="polite">{event ? event.text : step === 0 ? 'Before the first event.' : ''}</p>}
      <div className="embed-bar">
        <button type="button" aria-label="Previous event" onClick={() => embedMove('event', -1)}>◀</button>
        <button type="button" aria-label={playing ? 'Pause' : 'Play'} onClick={() => (playing ? useEmbed.setState({ playing: false }) : embedPlay())}>
          {playing ? '❚❚' : '▶︎'}
        </button>
        <button type="button" aria-label="Next event" onClick={() => embedMove('event', 1)}>▶</button>
        <span className="embed-step">
          step {step} of {steps}
        </span>
        {href && (
          <a className="embed-open" href={href} target="_blank" rel="noopener noreferrer">
            open in pinscope
          </a>
        )}
      </div>
      {pending && (
        <div className="embed-consent" role="dialog" aria-label="Load a scenario from the host page">
          <p>
            The page at <strong>{pending.origin}</strong> asks to show another scenario here ({pending.text.split('\n').length} lines).
          </p>
          <button type="button" onClick={() => void loadIntoEmbed(pending.text, pending.kernel, pending.origin)}>
            Show it
          </button>
          <button type="button" onClick={() => useEmbed.setState({ pendingLoad: null })}>
            Ignore
          </button>
        </div>
      )}
    </div>
  );
}
