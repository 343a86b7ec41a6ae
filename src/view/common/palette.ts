// Colours and names shared by every view. The zero page and the huge zero folio must be unmistakable.

import { HOLDER_KIND_LABELS, type FolioKind } from '../../core';

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
/** Holder kinds in a few words (the core's holder module owns the list). */
export const HOLDER_KIND_LABEL: Readonly<Record<string, string>> = HOLDER_KIND_LABELS;

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
