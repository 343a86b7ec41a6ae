// Links people have sent must keep opening to the same moment and counts, in every later release. The
// fixtures were made by the encoder of the release that introduced each format (see their `about`).
// When a model change makes one of these fail, the simulator now tells that moment differently: bump
// MODEL_VERSION (src/core/model.ts), check that the link still lands on the same statement, and record the new
// counts next to the old ones rather than replacing the link.

import { beforeEach, describe, expect, it } from 'vitest';
import linksV1 from './__fixtures__/links-v1.json';
import linksV2 from './__fixtures__/links-v2.json';
import { MODEL_VERSION } from '../core';
import { useExplorer } from './explorer';
import { decodeLink, LINK_VERSION } from './url';
import { openLinkState } from './urlOpen';

interface Fixture {
  name: string;
  hash: string;
  expect: { step: number; lastStep: number; kernel: string; compare?: string | null; folios: number[][] };
}

function countersOnScreen(): number[][] {
  return useExplorer.getState().snapshot!.folios.map((f) => [f.id, f.refcount, f.mapcount, f.pincount]);
}

async function open(hash: string) {
  const decoded = await decodeLink(hash);
  if (decoded.ok !== true) throw new Error(`did not decode: ${decoded.ok === false ? decoded.reason : 'empty'}`);
  await openLinkState(decoded.link);
  return decoded.link;
}

beforeEach(() => {
  useExplorer.getState().setCompare(null);
  useExplorer.getState().setNotice(null);
});

describe.each([
  ['v=1', linksV1.links as Fixture[]],
  ['v=2', linksV2.links as Fixture[]],
])('sent links of format %s', (_format, fixtures) => {
  it.each(fixtures.map((f) => [f.name, f] as const))('%s opens to the same moment and counts', async (_name, fixture) => {
    await open(fixture.hash);
    const s = useExplorer.getState();
    expect(s.errors).toEqual([]);
    expect(s.run!.lastStep).toBe(fixture.expect.lastStep);
    expect(s.step).toBe(fixture.expect.step);
    expect(s.run!.kernel.label).toBe(fixture.expect.kernel);
    // Format-1 fixtures recorded no compare label: their c= kernel is checked by the codec tests.
    const recorded = 'compare' in fixture.expect;
    expect(recorded ? (s.compareRun?.kernel.label ?? null) : 'unrecorded').toBe(recorded ? fixture.expect.compare : 'unrecorded');
    expect(countersOnScreen()).toEqual(fixture.expect.folios);
    expect(s.notice).toBeNull();
  });
});

describe('fixtures', () => {
  it('cover every released format', () => {
    expect(LINK_VERSION).toBe(2);
    expect(linksV1.links.every((l) => l.hash.startsWith('#v=1&'))).toBe(true);
    expect(linksV2.links.every((l) => l.hash.startsWith('#v=2&'))).toBe(true);
  });
});

describe('a link whose model and counts no longer match', () => {
  const busiest = (linksV2.links as Fixture[])[1]!;

  it('opens at its moment and says plainly what differs', async () => {
    // As if made by an older model that counted the zero page once more: its fingerprint and listed counts differ.
    const older = busiest.hash.replace(`m=${MODEL_VERSION}&`, `m=${MODEL_VERSION + 41}&`).replace(/fp=[0-9a-f]{8}/, 'fp=00000000').replace('cn=1.6.0.0', 'cn=1.7.0.0');
    expect(older).not.toBe(busiest.hash);
    await open(older);
    const s = useExplorer.getState();
    expect(s.step).toBe(busiest.expect.step);
    expect(s.notice).toContain(`made with model ${MODEL_VERSION + 41}`);
    expect(s.notice).toContain(`this is model ${MODEL_VERSION}`);
    expect(s.notice).toContain('folio 1 had refcount 7, mapcount 0, pincount 0, here refcount 6, mapcount 0, pincount 0');
  });

  it('says nothing when only the model differs and the counts still match', async () => {
    await open(busiest.hash.replace(`m=${MODEL_VERSION}&`, `m=${MODEL_VERSION + 41}&`));
    expect(useExplorer.getState().notice).toBeNull();
  });

  it('says nothing under the same model (the fingerprint is then only a record)', async () => {
    await open(busiest.hash.replace(/fp=[0-9a-f]{8}/, 'fp=00000000'));
    expect(useExplorer.getState().notice).toBeNull();
  });
});
