// The top bar: scenario picker, kernel selector (preset and toggles), sharing, and the shortcut list.

import { useEffect, useRef, useState } from 'react';
import { PRESETS, TOGGLES, parseKernelSpec, resolveKernel, type ResolvedKernel } from '../core';
import { useExplorer } from '../store/explorer';
import './compare/topbar.css';
import { BUILTIN_SCENARIOS, LIBRARY_SCENARIOS, comparePair, findBuiltin, findLibrary } from '../store/scenarios';
import { replaceText } from './draft';
import { textAsShown, type ShownKernel } from './share/exportText';
import { mailMomentOf, withMailHeader } from '../store/urlText';
import { PresentButton, SpeakerButton } from './present/PresentChrome';
import { ExportMenu } from './export/ExportMenu';

export function TopBar() {
  // Compare mode adds its selector and toggles: the bar then draws some labels shorter to stay on one line.
  const comparing = useExplorer((s) => s.compareSpec !== null);
  return (
    <header className={`topbar${comparing ? ' comparing' : ''}`}>
      <h1 className="brand">
        pin<span>scope</span>
      </h1>
      <ScenarioPicker />
      <KernelSelector />
      <CompareSelector />
      <div className="spacer" />
      <ShareMenu />
      <ExportMenu />
      <PresentButton />
      <SpeakerButton className="icon-button present-enter" short />
      <button type="button" className="icon-button" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onClick={() => useExplorer.getState().setHelpOpen(true)}>
        ?
      </button>
    </header>
  );
}

function ScenarioPicker() {
  const scenarioId = useExplorer((s) => s.scenarioId);
  const title = useExplorer((s) => s.run?.title);
  const chosen = scenarioId ? (findBuiltin(scenarioId) ?? findLibrary(scenarioId)) : undefined;
  const open = (id: string) => {
    const store = useExplorer.getState();
    const builtin = findBuiltin(id);
    if (builtin) {
      replaceText(`"${builtin.title}"`, () => store.load(builtin.text, { scenarioId: builtin.id }));
      return;
    }
    const library = findLibrary(id);
    if (!library) return;
    // Opens at its first chapter; with its compare pair, under kernel A compared with B.
    replaceText(`"${library.title}"`, () => {
      store.load(library.text, { scenarioId: library.id, ...(library.compare ? { kernel: library.compare[0] } : {}) });
      if (library.compare) store.setCompare(library.compare[1]);
    });
  };
  return (
    <div className="picker-stack">
      <label className="picker">
        <span className="label">Scenario</span>
        <select value={scenarioId ?? ''} onChange={(e) => open(e.target.value)} aria-label="Scenario" title={chosen?.description}>
          {scenarioId === null && <option value="">{title ? `Edited: ${title}` : 'Your scenario'}</option>}
          <optgroup label="Built-in">
            {BUILTIN_SCENARIOS.map((s) => (
              <option key={s.id} value={s.id} title={s.description}>
                {s.title}
              </option>
            ))}
          </optgroup>
          {LIBRARY_SCENARIOS.length > 0 && (
            <optgroup label="Library">
              {LIBRARY_SCENARIOS.map((s) => (
                <option key={s.id} value={s.id} title={s.description}>
                  {s.title}
                </option>
              ))}
            </optgroup>
          )}
        </select>
      </label>
      {chosen?.description && (
        <span className="picker-hint" title={chosen.description} data-testid="scenario-hint">
          {chosen.description}
        </span>
      )}
    </div>
  );
}

/** "Compare with [preset] [toggles]", off by default; a one-click pair when the scenario names one. */
function CompareSelector() {
  const compareSpec = useExplorer((s) => s.compareSpec);
  const compareRun = useExplorer((s) => s.compareRun);
  const source = useExplorer((s) => s.source);
  const mainLabel = useExplorer((s) => s.run?.kernel.label ?? '');
  const [open, setOpen] = useState(false);
  const pair = comparePair(source);
  const parsed = compareSpec ? parseKernelSpec(compareSpec) : null;
  const resolved = parsed ? resolveKernel(parsed) : null;
  const current = resolved?.ok ? resolved.kernel : (compareRun?.kernel ?? null);
  const presetName = current?.preset.name ?? '';
  const overrides: Record<string, string> = { ...(current?.overrides as Record<string, string> | undefined) };
  const apply = (preset: string, toggles: Record<string, string>) => {
    if (!preset) {
      useExplorer.getState().setCompare(null);
      setOpen(false);
      return;
    }
    const spec = [preset, ...Object.entries(toggles).map(([k, v]) => `${k}=${v}`)].join(' ');
    if (resolveKernel(parseKernelSpec(spec)).ok) useExplorer.getState().setCompare(spec);
  };
  const pairActive = pair !== null && compareSpec !== null && sameKernel(compareSpec, pair[1]) && sameKernel(mainLabel, pair[0]);
  return (
    <div className="kernel compare-control">
      <label className="picker">
        <span className="label">
          Compare<span className="topbar-long"> with</span>
        </span>
        <select value={presetName} onChange={(e) => apply(e.target.value, e.target.value ? overrides : {})} aria-label="Compare with kernel">
          <option value="">off</option>
          {PRESETS.map((p) => (
            <option key={p.name} value={p.name} title={p.description}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      {current && (
        <button type="button" className={`toggle-button${Object.keys(overrides).length ? ' active' : ''}`} aria-expanded={open} aria-label="Compare kernel toggles" onClick={() => setOpen(!open)}>
          {Object.keys(overrides).length ? Object.entries(overrides).map(([k, v]) => `${k}=${v}`).join(' ') : 'toggles'}
        </button>
      )}
      {pair && !pairActive && (
        <button
          type="button"
          className="small compare-pair"
          title={`Run the scenario under ${pair[0]} and compare it with ${pair[1]} (the pair the scenario names)`}
          onClick={() => {
            const store = useExplorer.getState();
            store.setKernel(pair[0]);
            store.setCompare(pair[1]);
          }}
        >
          {`Compare ${pair[0]} / ${pair[1]}`}
        </button>
      )}
      {open && current && (
        <TogglePopover
          label="Compare kernel toggles"
          intro={`${current.preset.name}: ${current.preset.description}. The compare run uses this kernel; a toggle overrides one behaviour.`}
          kernel={current}
          onChoose={(next) => apply(presetName, next)}
          onClose={() => setOpen(false)}
        />
      )}
    </div>
  );
}

function sameKernel(a: string, b: string): boolean {
  const x = resolveKernel(parseKernelSpec(a));
  const y = resolveKernel(parseKernelSpec(b));
  return x.ok && y.ok && x.kernel.label === y.kernel.label;
}

function KernelSelector() {
  const run = useExplorer((s) => s.run);
  const kernelSpec = useExplorer((s) => s.kernelSpec);
  const setKernel = useExplorer((s) => s.setKernel);
  const [open, setOpen] = useState(false);
  const current = run?.kernel;
  const presetName = current?.preset.name ?? 'latest';
  const overrides: Record<string, string> = { ...(current?.overrides as Record<string, string> | undefined) };
  const apply = (preset: string, toggles: Record<string, string>) => {
    const spec = [preset, ...Object.entries(toggles).map(([k, v]) => `${k}=${v}`)].join(' ');
    if (resolveKernel(parseKernelSpec(spec)).ok) setKernel(spec);
  };
  return (
    <div className="kernel">
      <label className="picker">
        <span className="label">Kernel</span>
        <select value={presetName} onChange={(e) => apply(e.target.value, overrides)} aria-label="Kernel release">
          {PRESETS.map((p) => (
            <option key={p.name} value={p.name} title={p.description}>
              {p.name}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className={`toggle-button${Object.keys(overrides).length ? ' active' : ''}`} aria-expanded={open} onClick={() => setOpen(!open)}>
        {Object.keys(overrides).length ? Object.entries(overrides).map(([k, v]) => `${k}=${v}`).join(' ') : 'toggles'}
      </button>
      {kernelSpec !== null && (
        <button type="button" className="link small" onClick={() => setKernel(null)} title="Use the kernel line of the scenario">
          reset
        </button>
      )}
      {open && current && (
        <TogglePopover
          label="Kernel behaviour toggles"
          intro={`${current.preset.name}: ${current.preset.description}. A toggle overrides one behaviour, to model a stable backport or a what-if.`}
          kernel={current}
          onChoose={(next) => apply(presetName, next)}
          onClose={() => setOpen(false)}
        />
      )}
    </div>
  );
}

function shown(k: ResolvedKernel): ShownKernel {
  return { preset: k.preset.name, toggles: { ...(k.overrides as Record<string, string>) } };
}

/** The scenario text as it runs on screen: the selected kernel and toggles, and the compare kernel. */
export function shownText(): string {
  const s = useExplorer.getState();
  const comparing = s.compareSpec !== null && s.compareRun !== null;
  const kernel = s.run && (s.kernelSpec !== null || comparing) ? shown(s.run.kernel) : null;
  const text = textAsShown(s.source, kernel, comparing ? shown(s.compareRun!.kernel) : null);
  // The `# pinscope |` header names the kernels and the moment, so pasting the text back opens the same picture.
  return s.run ? withMailHeader(text, mailMomentOf(s.run, s.step, comparing ? s.compareRun : null)) : text;
}

function ShareMenu() {
  const [status, setStatus] = useState('');
  const copy = async (what: 'link' | 'text') => {
    try {
      if (what === 'link') await navigator.clipboard.writeText(window.location.href);
      else await navigator.clipboard.writeText(shownText());
      setStatus(what === 'link' ? 'Link copied' : 'Scenario text copied');
    } catch {
      setStatus('Copy failed: select the address bar instead');
    }
    setTimeout(() => setStatus(''), 2500);
  };
  const download = () => {
    const s = useExplorer.getState();
    const blob = new Blob([shownText()], { type: 'text/plain' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${(s.run?.title || 'scenario').replace(/[^\w-]+/g, '-').slice(0, 60)}.scn`;
    a.click();
    URL.revokeObjectURL(a.href);
  };
  return (
    <div className="share">
      {/* "Copy " may be hidden in a crowded bar; the name stays the whole label. */}
      <button type="button" aria-label="Copy link" onClick={() => void copy('link')}>
        <span className="topbar-long">Copy </span>link
      </button>
      <button type="button" aria-label="Copy text" onClick={() => void copy('text')}>
        <span className="topbar-long">Copy </span>text
      </button>
      <button type="button" onClick={download}>
        Download
      </button>
      <span className="share-status" role="status">
        {status}
      </span>
    </div>
  );
}

/** The toggle chips of one kernel setting: each toggle's values, what they mean, and the commits that set them. */
function TogglePopover(props: {
  label: string;
  intro: string;
  kernel: ResolvedKernel;
  onChoose(overrides: Record<string, string>): void;
  onClose(): void;
}) {
  const { kernel, onClose } = props;
  const overrides: Record<string, string> = { ...(kernel.overrides as Record<string, string>) };
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    // Escape closes it (before the global Escape, which closes the folio details) and gives focus back to
    // its button; a press outside it and its button closes it too.
    const owner = () => ref.current?.parentElement ?? null;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape') return;
      e.preventDefault();
      e.stopImmediatePropagation();
      owner()?.querySelector<HTMLButtonElement>('.toggle-button')?.focus();
      onClose();
    };
    const onDown = (e: PointerEvent | MouseEvent) => {
      const el = owner();
      if (el && e.target instanceof Node && !el.contains(e.target)) onClose();
    };
    window.addEventListener('keydown', onKey, true);
    document.addEventListener('mousedown', onDown, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      document.removeEventListener('mousedown', onDown, true);
    };
  }, [onClose]);
  return (
    <div className="toggle-popover" role="dialog" aria-label={props.label} ref={ref}>
      <p className="hint">{props.intro}</p>
      {TOGGLES.map((t) => {
        const value = kernel.policy[t.name];
        return (
          <div key={t.name} className="toggle-row">
            <div>
              <code>{t.name}</code> <span className="hint">{t.summary}</span>
            </div>
            <div className="toggle-values">
              {t.values.map((v) => (
                <button
                  key={v}
                  type="button"
                  className={`chip${v === value ? ' on' : ''}`}
                  title={(t.meanings as Record<string, string>)[v]}
                  onClick={() => {
                    const next = { ...overrides };
                    if (v === kernel.preset.policy[t.name]) delete next[t.name];
                    else next[t.name] = v;
                    props.onChoose(next);
                  }}
                >
                  {v}
                </button>
              ))}
            </div>
            <div className="hint">{t.history.map((h) => `${h.release}: ${h.value}${h.commit ? ` (${h.commit})` : ''} ${h.title}`).join('; ')}</div>
          </div>
        );
      })}
      <button type="button" className="small" onClick={props.onClose}>
        Close
      </button>
    </div>
  );
}
