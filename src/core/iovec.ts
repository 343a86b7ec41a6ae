// Vectored direct I/O (preadv/pwritev with several iovecs): `dio read|write FILE FOFF LEN NAME+OFF:LEN ...`.
// The engines (src/core/dio/) walk one contiguous user buffer. Iovecs that follow each other in memory with a
// page-aligned boundary give the same pages, references and bios as one buffer, so they are run as one; any
// other layout is refused with a run error saying so, rather than simulated wrongly.
// Kernel: lib/iov_iter.c (iov_iter_extract_pages, which never crosses an iovec boundary), block/bio.c
// (__bio_iov_iter_get_pages), fs/direct-io.c (dio_refill_pages).

import type { Dio as DioStatement } from './ast';
import type { Sim } from './sim';
import { PAGE_SIZE } from './state';
import { currentTask, findVma, mmOf } from './mm';
import { directIo } from './dio';

interface Run {
  name: string;
  off: number;
  len: number;
  va: number;
}

/** The `dio` statement: one buffer, or iovecs folded into runs of contiguous memory. */
export function dioStatement(sim: Sim, st: DioStatement): void {
  const base = { dir: st.dir, file: st.file, foff: st.foff, len: st.len, async: st.async };
  if (!st.iov) {
    directIo(sim, { ...base, mapping: st.name, bufoff: st.bufoff });
    return;
  }
  const mm = mmOf(sim, currentTask(sim));
  const runs: Run[] = [];
  for (const v of st.iov) {
    sim.col = v.pos.col;
    const vma = findVma(sim, mm, v.name);
    if (v.off + v.len > vma.size) sim.error(`the iovec ${v.name}+${v.off}:${v.len} runs past the end of "${v.name}" (${vma.size} bytes)`);
    const va = vma.start + v.off;
    const last = runs[runs.length - 1];
    // Contiguous and meeting at a page boundary: iov_iter_extract_pages takes the same pages in two calls.
    if (last && last.name === v.name && last.va + last.len === va && va % PAGE_SIZE === 0) last.len += v.len;
    else runs.push({ name: v.name, off: v.off, len: v.len, va });
  }
  sim.col = st.pos.col;
  if (runs.length > 1) {
    sim.error(
      `${runs.length} separate user buffers (${runs.map((r) => `${r.name}+${r.off}:${r.len}`).join(', ')}): pinscope's direct-I/O engines take one contiguous buffer, ` +
        'so only iovecs that follow each other in one mapping at a page boundary are simulated (not yet: iovecs in separate places, or meeting inside a page)',
    );
  }
  const run = runs[0]!;
  directIo(sim, { ...base, mapping: run.name, bufoff: run.off });
}
