// Kernel releases as data. Each preset is a set of named behaviours (toggles); the simulator asks the policy,
// never the version number. A toggle on the `kernel` line overrides one behaviour of the preset.
// Kernel selections as text (`v6.1 zero-pin=skip`) are parsed in kernelspec.ts.

import { didYouMean } from './suggest';

export interface ToggleSpec {
  name: string;
  values: readonly string[];
  summary: string;
  /** What each value means, in one line. */
  meanings: Record<string, string>;
  /** The upstream change(s) that moved the default, with the first release that has it. */
  history: { release: string; value: string; commit: string; title: string }[];
}

export const TOGGLES = [
  {
    name: 'zero-pin',
    values: ['count', 'skip', 'fail'],
    summary: 'What FOLL_PIN does to the 4 KiB shared zero page',
    meanings: {
      count: 'the pin adds the 1024 bias to the zero page like any small folio; unpin subtracts it',
      skip: 'pinning leaves the zero page alone and unpinning ignores it',
      fail: 'the 6.1.130-6.1.134 stable backport: the exemption returns 0 from a bool try_grab_page(), so the pin fails with -ENOMEM',
    },
    history: [
      { release: 'v6.5', value: 'skip', commit: 'c8070b787519', title: "mm: Don't pin ZERO_PAGE in pin_user_pages()" },
    ],
  },
  {
    name: 'dio',
    values: ['get', 'pin'],
    summary: 'How direct I/O holds user pages',
    meanings: {
      get: 'FOLL_GET references (+1 per page); bios put them at completion unless BIO_NO_PAGE_REF',
      pin: 'FOLL_PIN pins via iov_iter_extract_pages; bios carry BIO_PAGE_PINNED and unpin at completion',
    },
    history: [
      { release: 'v6.5', value: 'pin', commit: 'a7e689dd1c06', title: 'block: Convert bio_iov_iter_get_pages to use iov_iter_extract_pages' },
      { release: 'v6.5', value: 'pin', commit: '1ccf164ec866', title: 'block: Use iov_iter_extract_pages() and page pinning in direct-io.c' },
      { release: 'v6.5', value: 'pin', commit: 'a450f49708ea', title: "iomap: Don't get an reference on ZERO_PAGE for direct I/O block zeroing" },
    ],
  },
  {
    name: 'anon-exclusive',
    values: ['no', 'yes'],
    summary: 'Whether anonymous pages carry PageAnonExclusive',
    meanings: {
      no: 'a write fault reuses an anon page only when its refcount is 1; otherwise it copies (even a pinned page)',
      yes: 'a write fault reuses an exclusive page whatever its refcount; fork clears exclusivity unless the page may be pinned',
    },
    history: [
      { release: 'v5.19', value: 'yes', commit: '6c287605fd56', title: 'mm: remember exclusively mapped anonymous pages with PG_anon_exclusive' },
    ],
  },
  {
    name: 'fork-pinned-file',
    values: ['copy', 'share'],
    summary: 'What fork does with a maybe-pinned page-cache page of a MAP_PRIVATE mapping (before PageAnonExclusive)',
    meanings: {
      copy: 'copy_present_page() copies any maybe-pinned page of a COW mapping for the child, page cache included (as v5.10 was released)',
      share: 'the 5.10.153 stable backport "add non-anonymous page check in copy_present_page()": only anonymous pages are copied; the page-cache page is shared with the child',
    },
    // Stable-only (like zero-pin=fail): mainline replaced the whole rule in v5.19 (anon-exclusive=yes copies
    // only exclusive anonymous pages), so no mainline release sets `share` and the toggle has no effect from v5.19.
    history: [],
  },
  {
    name: 'unshare',
    values: ['none', 'anon', 'cow'],
    summary: 'When a read-only pin first breaks COW (FAULT_FLAG_UNSHARE)',
    meanings: {
      none: 'R/O pins pin whatever is mapped, even a page shared with another process or the zero page',
      anon: 'R/O pins of a possibly shared anonymous page unshare it first',
      cow: 'also R/O long-term pins of the zero page or page cache in a private writable mapping unshare into an exclusive anon page',
    },
    history: [
      { release: 'v5.19', value: 'anon', commit: 'a7f226604170', title: 'mm/gup: trigger FAULT_FLAG_UNSHARE when R/O-pinning a possibly shared anonymous page' },
      { release: 'v6.2', value: 'cow', commit: '84209e87c696', title: 'mm/gup: reliable R/O long-term pinning in COW mappings' },
    ],
  },
  {
    name: 'vfio-unpin-zero',
    values: ['no', 'yes'],
    summary: 'Whether vfio type1 unpins zero pages right after pinning them',
    meanings: {
      no: 'zero pages returned by the pin stay pinned; put_pfn() skips them as reserved, so each one leaks its pin',
      yes: 'vaddr_get_pfns() unpins every zero page it got back at once',
    },
    history: [
      { release: 'v6.0', value: 'yes', commit: '873aefb376bb', title: 'vfio/type1: Unpin zero pages' },
      { release: 'v6.9', value: 'no', commit: '5b992412776c', title: 'Revert "vfio/type1: Unpin zero pages"' },
    ],
  },
  {
    name: 'vfio-batch',
    values: ['no', 'yes'],
    summary: 'How vfio type1 pins a range: one page at a time with a probe, or in batches',
    meanings: {
      no: 'each page is pinned alone, and the page after a contiguous run is pinned as a probe and handed back with put_pfn()',
      yes: 'pages are pinned in a batch; a page that breaks the run stays pinned and starts the next chunk',
    },
    history: [{ release: 'v5.12', value: 'yes', commit: '', title: 'vfio/type1: Prepare for batched pinning with struct vfio_batch' }],
  },
  {
    name: 'gup-batching',
    values: ['pages', 'folios'],
    summary: 'Whether GUP takes and releases references page by page or a folio at a time',
    meanings: {
      pages: 'the slow path grabs each 4 KiB page of a huge folio separately, and unpin_user_pages() releases entry by entry',
      folios: 'consecutive pages of one folio are grabbed and released in one step',
    },
    history: [{ release: 'v5.12', value: 'folios', commit: '', title: 'mm/gup: decrement head page once for group of subpages (inferred release)' }],
  },
  {
    name: 'bio-release',
    values: ['pages', 'folios'],
    summary: 'How bio_release_pages() walks a bio',
    meanings: {
      pages: 'one put_page / unpin_user_page per 4 KiB page of each bvec',
      folios: 'one release per folio span of each bvec',
    },
    // 1b151e2435fc (v6.8) already walks the bio by folio but still releases one page at a time.
    history: [{ release: 'v6.12', value: 'folios', commit: 'eb1d46fcd5d6', title: 'block: unpin user pages belonging to a folio at once' }],
  },
  {
    name: 'bio-dirty-large',
    values: ['skip', 'dirty'],
    summary: 'Whether the block layer dirties large (compound) folios after a read into user memory',
    meanings: {
      skip: 'bio_set_pages_dirty, bio_check_pages_dirty and bio_release_pages pass over compound pages: a direct-I/O read into a THP leaves it clean (its references are still put)',
      dirty: 'every folio of the bio is dirtied, large ones included',
    },
    history: [{ release: 'v6.8', value: 'dirty', commit: '1b151e2435fc', title: 'block: Remove special-casing of compound pages' }],
  },
  {
    name: 'huge-zero-wp',
    values: ['split', 'thp'],
    summary: 'A write or unshare fault on the huge zero folio PMD',
    meanings: {
      split: 'the PMD is split into 512 zero-page PTEs and one 4 KiB page is copied (writable for a write, R/O for an unshare)',
      thp: 'a new 2 MiB THP is allocated and mapped writable in its place, for an unshare fault too (do_huge_zero_wp_pmd)',
    },
    // Posted in September 2024, after the v6.12 merge window; real 6.12 kernels still split.
    history: [{ release: 'v6.13', value: 'thp', commit: '1ced09e0331f', title: 'mm: allocate THP on hugezeropage wp-fault (inferred release)' }],
  },
  {
    name: 'huge-zero-special',
    values: ['no', 'yes'],
    summary: 'Whether the PMD mapping the huge zero folio is marked special',
    meanings: {
      no: 'GUP-fast can take the huge zero folio from the PMD',
      yes: 'GUP-fast gives up on the special PMD; the slow path still takes it',
    },
    history: [{ release: 'v6.18', value: 'yes', commit: '', title: 'mm/huge_memory: mark PMD mappings of the huge zero folio special (inferred release)' }],
  },
  {
    name: 'mprotect-writable',
    values: ['shared', 'dirty', 'exclusive'],
    summary: 'Which PTEs mprotect(PROT_READ|PROT_WRITE) makes writable at once instead of leaving them to write faults',
    meanings: {
      shared: 'only PTEs of shared mappings (dirty ones, or all for shmem); private mappings always take a write fault',
      dirty: 'also dirty PTEs of exclusive anon pages in private mappings (can_change_pte_writable)',
      exclusive: 'exclusive anon pages whether dirty or not, and PMDs of exclusive anon THPs',
    },
    history: [
      { release: 'v6.0', value: 'dirty', commit: '64fe24a3e05e', title: 'mm/mprotect: try avoiding write faults for exclusive anonymous pages when changing protection' },
      { release: 'v6.2', value: 'exclusive', commit: '', title: 'mm/mprotect: allow clean exclusive anon pages to be writable; mm/huge_memory: try avoiding write faults when changing PMD protection (Nov 2022)' },
    ],
  },
  {
    name: 'longterm-file-write',
    values: ['allow', 'refuse'],
    summary: 'FOLL_LONGTERM|FOLL_WRITE pins of a MAP_SHARED regular file (not shmem)',
    meanings: {
      allow: 'the pin is taken',
      refuse: 'GUP refuses with -EFAULT (writable_file_mapping_allowed)',
    },
    history: [
      { release: 'v6.5', value: 'refuse', commit: 'a6e79df92e4a', title: 'mm/gup: disallow FOLL_LONGTERM GUP-fast writing to file-backed mappings' },
      { release: 'v6.5', value: 'refuse', commit: '8ac268436e6d', title: 'mm/gup: disallow FOLL_LONGTERM GUP-nonfast writing to file-backed mappings' },
    ],
  },
  {
    name: 'uring-coalesce',
    values: ['pages', 'folio', 'folios'],
    summary: 'Whether io_uring buffer registration keeps one pin per large folio (IORING_REGISTER_BUFFERS)',
    meanings: {
      pages: 'every 4 KiB page of the buffer keeps its pin and its own bvec',
      folio: 'a buffer lying in one large folio keeps one pin and one bvec; the other pages are unpinned at once',
      folios: 'a buffer made of whole large folios of one size (the first and last may be partial) keeps one pin per folio (io_check_coalesce_buffer, io_coalesce_buffer)',
    },
    history: [
      { release: 'v6.3', value: 'folio', commit: '57bebf807e2a', title: 'io_uring/rsrc: optimise registered huge pages' },
      { release: 'v6.12', value: 'folios', commit: 'a8edbb424b13', title: 'io_uring/rsrc: enable multi-hugepage buffer coalescing' },
    ],
  },
  {
    name: 'ext2-dio',
    values: ['legacy', 'iomap'],
    summary: 'Which direct-I/O engine ext2 uses (file fs=ext2-legacy)',
    meanings: {
      legacy: 'ext2_direct_IO calls blockdev_direct_IO: fs/direct-io.c',
      iomap: 'ext2 does direct I/O through iomap_dio_rw, so fs=ext2-legacy does not exist (use fs=iomap)',
    },
    history: [{ release: 'v6.5', value: 'iomap', commit: 'fb5de4358e1a', title: 'ext2: Move direct-io to use iomap (inferred release)' }],
  },
] as const satisfies readonly ToggleSpec[];

export type ToggleName = (typeof TOGGLES)[number]['name'];
type ValuesOf<N extends ToggleName> = Extract<(typeof TOGGLES)[number], { name: N }>['values'][number];
export type KernelPolicy = { [N in ToggleName]: ValuesOf<N> };

export interface Preset {
  name: string;
  /** Version string for elixir.bootlin.com links. */
  elixir: string;
  description: string;
  policy: KernelPolicy;
}

const V5_10: KernelPolicy = {
  'zero-pin': 'count',
  dio: 'get',
  'anon-exclusive': 'no',
  'fork-pinned-file': 'copy',
  unshare: 'none',
  'vfio-unpin-zero': 'no',
  'vfio-batch': 'no',
  'gup-batching': 'pages',
  'bio-release': 'pages',
  'bio-dirty-large': 'skip',
  'huge-zero-wp': 'split',
  'huge-zero-special': 'no',
  'mprotect-writable': 'shared',
  'longterm-file-write': 'allow',
  'uring-coalesce': 'pages',
  'ext2-dio': 'legacy',
};

function after(base: KernelPolicy, changes: Partial<KernelPolicy>): KernelPolicy {
  return { ...base, ...changes };
}

const V5_19 = after(V5_10, { 'anon-exclusive': 'yes', unshare: 'anon', 'vfio-batch': 'yes', 'gup-batching': 'folios' });
const V6_0 = after(V5_19, { 'vfio-unpin-zero': 'yes', 'mprotect-writable': 'dirty' });
const V6_2 = after(V6_0, { unshare: 'cow', 'mprotect-writable': 'exclusive' });
const V6_4 = after(V6_2, { 'uring-coalesce': 'folio' });
const V6_5 = after(V6_4, { 'zero-pin': 'skip', dio: 'pin', 'longterm-file-write': 'refuse', 'ext2-dio': 'iomap' });
const V6_9 = after(V6_5, { 'vfio-unpin-zero': 'no', 'bio-dirty-large': 'dirty' });
const V6_12 = after(V6_9, { 'bio-release': 'folios', 'uring-coalesce': 'folios' });
const LATEST = after(V6_12, { 'huge-zero-wp': 'thp', 'huge-zero-special': 'yes' });

export const PRESETS: readonly Preset[] = [
  { name: 'v5.10', elixir: 'v5.10', description: 'LTS; FOLL_PIN with the 1024 bias, no PageAnonExclusive, direct I/O with FOLL_GET', policy: V5_10 },
  { name: 'v5.19', elixir: 'v5.19', description: 'PageAnonExclusive; R/O pins unshare possibly shared anon pages', policy: V5_19 },
  { name: 'v6.0', elixir: 'v6.0', description: 'vfio type1 unpins zero pages right after pinning', policy: V6_0 },
  { name: 'v6.1', elixir: 'v6.1', description: 'LTS as released (v6.1.0: no zero-page backport; add zero-pin=skip for 6.1.135+)', policy: V6_0 },
  { name: 'v6.2', elixir: 'v6.2', description: 'R/O long-term pins in COW mappings unshare (no more zero page pins from vfio)', policy: V6_2 },
  { name: 'v6.4', elixir: 'v6.4', description: 'the last release with FOLL_GET direct I/O and counted zero-page pins', policy: V6_4 },
  { name: 'v6.5', elixir: 'v6.5', description: 'direct I/O pins (BIO_PAGE_PINNED); the zero page is never counted by pins', policy: V6_5 },
  { name: 'v6.9', elixir: 'v6.9', description: 'the vfio zero-page unpin loop reverted', policy: V6_9 },
  { name: 'v6.12', elixir: 'v6.12', description: 'LTS; bios unpin each folio span in one call', policy: V6_12 },
  { name: 'latest', elixir: 'latest', description: 'the newest behaviour modelled (~v6.18)', policy: LATEST },
];

export const DEFAULT_PRESET = 'latest';

export const PRESET_NAMES: readonly string[] = PRESETS.map((p) => p.name);
export const TOGGLE_NAMES: readonly string[] = TOGGLES.map((t) => t.name);

export function findPreset(name: string): Preset | undefined {
  return PRESETS.find((p) => p.name === name);
}

export function findToggle(name: string): ToggleSpec | undefined {
  return (TOGGLES as readonly ToggleSpec[]).find((t) => t.name === name);
}

export interface KernelConfig {
  preset: string;
  overrides: Partial<KernelPolicy>;
}

export interface ResolvedKernel {
  preset: Preset;
  overrides: Partial<KernelPolicy>;
  policy: KernelPolicy;
  /** `v6.1 zero-pin=skip` */
  label: string;
}

export type KernelResolution = { ok: true; kernel: ResolvedKernel } | { ok: false; message: string; at: 'preset' | string };

// The messages for a kernel selection that names what pinscope does not have, each with a suggestion.
export function unknownPreset(name: string): string {
  return `unknown kernel "${name}"${didYouMean(name, PRESET_NAMES)}`;
}
export function unknownToggle(name: string): string {
  return `unknown toggle "${name}"${didYouMean(name, TOGGLE_NAMES)}`;
}
export function badToggleValue(spec: ToggleSpec, value: string): string {
  return `toggle ${spec.name} takes ${spec.values.join(' | ')}, not "${value}"${didYouMean(value, spec.values)}`;
}

/** Resolve a preset name and toggle overrides, with a suggestion for near-misses. */
export function resolveKernel(config: KernelConfig): KernelResolution {
  const preset = findPreset(config.preset);
  if (!preset) {
    return { ok: false, at: 'preset', message: unknownPreset(config.preset) };
  }
  const overrides: Partial<KernelPolicy> = {};
  for (const [name, value] of Object.entries(config.overrides)) {
    const spec = findToggle(name);
    if (!spec) return { ok: false, at: name, message: unknownToggle(name) };
    if (!spec.values.includes(value as string)) {
      return { ok: false, at: name, message: badToggleValue(spec, String(value)) };
    }
    (overrides as Record<string, string>)[name] = value as string;
  }
  const policy = { ...preset.policy, ...overrides };
  const label = [preset.name, ...Object.entries(overrides).map(([k, v]) => `${k}=${v}`)].join(' ');
  return { ok: true, kernel: { preset, overrides, policy, label } };
}

/**
 * Does `kernel` match one `on` selector word of an expectation? A word is comma-separated alternatives, each
 * a preset (`v6.4`), a comparison in release order (`<v6.5`, `>=v6.5`), or a toggle value (`zero-pin=skip`).
 * Returns an error message for a word that names no preset or toggle.
 */
export function selectorMatches(word: string, kernel: ResolvedKernel): boolean | { error: string } {
  const order = (name: string) => PRESETS.findIndex((p) => p.name === name);
  const current = order(kernel.preset.name);
  for (const alt of word.split(',')) {
    const eq = alt.indexOf('=');
    if (eq > 0 && !/^[<>]/.test(alt)) {
      const name = alt.slice(0, eq);
      const value = alt.slice(eq + 1);
      const spec = findToggle(name);
      if (!spec) return { error: unknownToggle(name) };
      if (!spec.values.includes(value)) return { error: `toggle ${name} takes ${spec.values.join(' | ')}, not "${value}"` };
      if ((kernel.policy as Record<string, string>)[name] === value) return true;
      continue;
    }
    const m = /^(<=|>=|<|>)?(.+)$/.exec(alt)!;
    const target = order(m[2]!);
    if (target < 0) return { error: unknownPreset(m[2]!) };
    const op = m[1];
    const ok = op === '<' ? current < target : op === '<=' ? current <= target : op === '>' ? current > target : op === '>=' ? current >= target : current === target;
    if (ok) return true;
  }
  return false;
}
