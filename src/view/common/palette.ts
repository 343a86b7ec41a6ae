// Colours and names shared by every view. The zero page and the huge zero folio must be unmistakable.

import type { FolioKind } from '../../core';

export const KIND_COLOR: Record<FolioKind, string> = {
  zero: 'var(--kind-zero)',
  hugezero: 'var(--kind-hugezero)',
  anon: 'var(--kind-anon)',
  file: 'var(--kind-file)',
};

export const KIND_LABEL: Record<FolioKind, string> = {
  zero: 'shared zero page',
  hugezero: 'huge zero folio',
  anon: 'anonymous',
  file: 'page cache',
};

/** Holder kinds (the prefix of a holder key) in words, for legends. */
export const HOLDER_KIND_LABEL: Record<string, string> = {
  map: 'PTE mapping',
  pmd: 'PMD mapping',
  cache: 'page cache',
  gup: 'GUP pin/get',
  bio: 'bio',
  dioq: 'dio page queue',
  diocur: 'dio current page',
  vfio: 'vfio DMA mapping',
  pipe: 'pipe buffer',
  kernel: 'kernel',
  leak: 'leaked',
};

export const HOLDER_KIND_COLOR: Record<string, string> = {
  map: 'var(--holder-map)',
  pmd: 'var(--holder-map)',
  cache: 'var(--holder-cache)',
  gup: 'var(--holder-gup)',
  bio: 'var(--holder-bio)',
  dioq: 'var(--holder-dio)',
  diocur: 'var(--holder-dio)',
  vfio: 'var(--holder-vfio)',
  pipe: 'var(--holder-pipe)',
  kernel: 'var(--holder-kernel)',
  leak: 'var(--leak)',
};

export function folioLabel(f: { id: number; kind: FolioKind }): string {
  if (f.kind === 'zero') return 'zero page';
  if (f.kind === 'hugezero') return 'huge zero';
  return `F${f.id}`;
}

export function formatCount(n: number): string {
  return Math.abs(n) >= 100_000 ? n.toLocaleString('en-US') : String(n);
}
