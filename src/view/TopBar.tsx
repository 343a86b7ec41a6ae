// The top bar: scenario picker, kernel selector (preset and toggles), sharing, and the shortcut list.

import { useState } from 'react';
import { PRESETS, TOGGLES, parseKernelSpec, resolveKernel } from '../core';
import { useExplorer } from '../store/explorer';
import { BUILTIN_SCENARIOS, findBuiltin } from '../store/scenarios';

export function TopBar() {
  return (
    <header className="topbar">
      <h1 className="brand">
        pin<span>scope</span>
      </h1>
      <ScenarioPicker />
      <KernelSelector />
      <div className="spacer" />
      <ShareMenu />
      <button type="button" className="icon-button" aria-label="Keyboard shortcuts" title="Keyboard shortcuts (?)" onClick={() => useExplorer.getState().setHelpOpen(true)}>
        ?
      </button>
    </header>
  );
}

function ScenarioPicker() {
  const scenarioId = useExplorer((s) => s.scenarioId);
  const title = useExplorer((s) => s.run?.title);
  const load = useExplorer((s) => s.load);
  return (
    <label className="picker">
      <span className="label">Scenario</span>
      <select
        value={scenarioId ?? ''}
        onChange={(e) => {
          const chosen = findBuiltin(e.target.value);
          if (chosen) load(chosen.text, { scenarioId: chosen.id });
        }}
        aria-label="Built-in scenario"
      >
        {scenarioId === null && <option value="">{title ? `Edited: ${title}` : 'Your scenario'}</option>}
        {BUILTIN_SCENARIOS.map((s) => (
          <option key={s.id} value={s.id} title={s.description}>
            {s.title}
          </option>
        ))}
      </select>
    </label>
  );
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
        <div className="toggle-popover" role="dialog" aria-label="Kernel behaviour toggles">
          <p className="hint">
            {current.preset.name}: {current.preset.description}. A toggle overrides one behaviour, to model a stable backport or a what-if.
          </p>
          {TOGGLES.map((t) => {
            const value = current.policy[t.name];
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
                        if (v === current.preset.policy[t.name]) delete next[t.name];
                        else next[t.name] = v;
                        apply(presetName, next);
                      }}
                    >
                      {v}
                    </button>
                  ))}
                </div>
                <div className="hint">
                  {t.history.map((h) => `${h.release}: ${h.value}${h.commit ? ` (${h.commit})` : ''} ${h.title}`).join('; ')}
                </div>
              </div>
            );
          })}
          <button type="button" className="small" onClick={() => setOpen(false)}>
            Close
          </button>
        </div>
      )}
    </div>
  );
}

function ShareMenu() {
  const [status, setStatus] = useState('');
  const copy = async (what: 'link' | 'text') => {
    const s = useExplorer.getState();
    try {
      if (what === 'link') await navigator.clipboard.writeText(window.location.href);
      else await navigator.clipboard.writeText(s.source);
      setStatus(what === 'link' ? 'Link copied' : 'Scenario text copied');
    } catch {
      setStatus('Copy failed: select the address bar instead');
    }
    setTimeout(() => setStatus(''), 2500);
  };
  const download = () => {
    const s = useExplorer.getState();
    const blob = new Blob([s.source], { type: 'text/plain' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${(s.run?.title || 'scenario').replace(/[^\w-]+/g, '-').slice(0, 60)}.scn`;
    a.click();
    URL.revokeObjectURL(a.href);
  };
  return (
    <div className="share">
      <button type="button" onClick={() => void copy('link')}>
        Copy link
      </button>
      <button type="button" onClick={() => void copy('text')}>
        Copy text
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
