// The click-to-load poster of an embed (`poster=1`), for pages with many embeds: the scenario's title and
// kernel and a "Load" button, drawn without the simulator, the views or the worker. The embed proper is loaded
// only when the reader clicks. Like the embed, it never takes the focus and never scrolls the host page.

import { useEffect, useState } from 'react';
import { decodeLink } from '../../store/url';
import { DEFAULT_SCENARIO, findBuiltin, findLibrary } from '../../store/scenarios';
import './poster.css';

export interface PosterFacts {
  title: string;
  kernel: string;
}

function titleOf(text: string): string {
  return /^title[ \t]+(.+)$/m.exec(text)?.[1]?.trim() || 'Untitled scenario';
}

function kernelOf(text: string, override: string | undefined): string {
  return override ?? /^kernel[ \t]+(.+)$/m.exec(text)?.[1]?.replace(/\s+#.*$/, '').trim() ?? 'the default kernel';
}

/** What the poster says, from the embed's link: a hash link's text, or `?scenario=<id>`. */
export async function posterFacts(location: { hash: string; search: string }): Promise<PosterFacts> {
  const decoded = await decodeLink(location.hash);
  if (decoded.ok === true) return { title: titleOf(decoded.link.text), kernel: kernelOf(decoded.link.text, decoded.link.kernel) };
  const id = new URLSearchParams(location.search).get('scenario');
  const chosen = (id && (findLibrary(id) ?? findBuiltin(id))) || DEFAULT_SCENARIO;
  return { title: chosen.title, kernel: kernelOf(chosen.text, undefined) };
}

/** Whether the embed's link asks for the poster (`poster=1` in the query or the hash). */
export function asksPoster(location: { hash: string; search: string }): boolean {
  return new URLSearchParams(location.search).get('poster') === '1' || new URLSearchParams(location.hash.slice(1)).get('poster') === '1';
}

export function EmbedPoster({ onLoad }: { onLoad(): void }) {
  const [facts, setFacts] = useState<PosterFacts | null>(null);
  useEffect(() => {
    void posterFacts(window.location).then(setFacts);
  }, []);
  return (
    <div className="embed-poster" data-testid="embed-poster">
      <p className="embed-poster-brand">pinscope</p>
      <p className="embed-poster-title">{facts?.title ?? ' '}</p>
      <p className="embed-poster-kernel">{facts ? `kernel ${facts.kernel}` : ' '}</p>
      <button type="button" className="embed-poster-load" onClick={onLoad}>
        ▶ Load the simulation
      </button>
    </div>
  );
}
