// Block allocation on the simulated device: the filesystem's get_block / iomap_begin handing out new blocks.

import type { Sim } from '../sim';
import type { FileObj } from '../state';
import { SECTOR_SIZE } from '../state';

/** Allocate the blocks [firstBlock, lastBlock] of `file` on the device, contiguously. */
export function allocateBlocks(sim: Sim, file: FileObj, firstBlock: number, lastBlock: number, atCreation = false): void {
  const sectorsPerBlock = file.blocksize / SECTOR_SIZE;
  let fresh = 0;
  for (let b = firstBlock; b <= lastBlock; b++) {
    if (file.blocks.has(b)) continue;
    const sector = sim.state.counters.diskBlock;
    sim.journal.set(sim.state.counters, 'diskBlock', sector + sectorsPerBlock);
    sim.journal.mapSet(file.blocks, b, sector);
    fresh++;
  }
  if (fresh > 0 && !atCreation) {
    sim.emit('file', () => ({ text: `The filesystem allocates ${fresh} new block${fresh === 1 ? '' : 's'} of ${file.blocksize} bytes for ${file.name} (blocks ${firstBlock}–${lastBlock}); they are "new": nothing on disk there is valid yet.` }));
  }
}
