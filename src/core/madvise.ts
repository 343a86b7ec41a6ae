// madvise(2): MADV_DONTNEED zaps a range; MADV_DONTFORK/DOFORK and MADV_WIPEONFORK/KEEPONFORK set VMA flags
// that fork reads (fork.ts). Kernel: mm/madvise.c (madvise_dontneed_single_vma, madvise_vma_behavior).

import type { MadviseAdvice } from './ast';
import type { Sim } from './sim';
import { currentTask, findVma, mmOf, zapRange } from './mm';

export function madvise(sim: Sim, name: string, advice: MadviseAdvice, offArg?: number, lenArg?: number): void {
  const mm = mmOf(sim, currentTask(sim));
  const vma = findVma(sim, mm, name);
  if (advice === 'dontneed') {
    const off = offArg ?? 0;
    const len = lenArg ?? vma.size - off;
    if (off + len > vma.size) sim.error(`${off}+${len} is outside "${name}"`);
    sim.call('madvise_dontneed_single_vma', () => zapRange(sim, mm, vma.start + off, len, 'MADV_DONTNEED'));
    return;
  }
  // MADV_WIPEONFORK is refused (-EINVAL) for file-backed and shared mappings.
  if (advice === 'wipeonfork' && (vma.backing !== 'anon' || vma.shared)) sim.error(`MADV_WIPEONFORK works only on private anonymous mappings; "${name}" is not one (EINVAL)`);
  const [flag, on] = advice === 'dontfork' ? (['dontCopy', true] as const) : advice === 'dofork' ? (['dontCopy', false] as const) : advice === 'wipeonfork' ? (['wipeOnFork', true] as const) : (['wipeOnFork', false] as const);
  sim.call('madvise_vma_behavior', () => {
    sim.journal.set(vma, flag, on);
    sim.emit('vma', () => ({ text: `"${name}" is ${on ? 'now' : 'no longer'} ${flag === 'dontCopy' ? 'VM_DONTCOPY: fork will leave it out of the child' : 'VM_WIPEONFORK: a fork child will get it empty'}.`, task: mm.owner, va: vma.start }));
  });
}
