// Scenarios shared by the benchmarks.

/**
 * About 45 recorded events per block, all of them loud (no repeat): a named pin of 4 pages, an O_DIRECT
 * write of those pages (alternately to a raw block device and to a legacy-engine file), its completion and
 * the unpin. 2,222 blocks give about 100,000 events (8,900 lines, under the parser's 20,000-line limit).
 */
export function busyScenario(blocks: number): string {
  const lines = [
    'title bench: many pins and direct I/O writes',
    'kernel v6.12',
    'file out 1M fs=blockdev',
    'file lg 1M fs=legacy blocksize=4K',
    'mmap buf 64K',
    'write buf',
  ];
  for (let i = 1; i <= blocks; i++) {
    const off = (i % 4) * 16;
    lines.push(`pin h${i} buf ${off}K 16K write`);
    lines.push(`dio write ${i % 2 ? 'out' : 'lg'} ${(i % 8) * 64}K 16K buf ${off}K`);
    lines.push('complete all');
    lines.push(`unpin h${i}`);
  }
  return `${lines.join('\n')}\n`;
}
