// Completion: the device finishes a bio, its end_io runs, and the last bio completes the dio. What differs
// by engine (who releases the pages, in which context, which function completes the dio) is the engine's
// data (engine.ts); this file only sequences it.
// Kernel: block/blk-mq.c (blk_mq_end_request), block/bio.c (bio_endio), and each engine's end_io.

import type { Sim } from '../sim';
import type { Bio, Dio } from '../state';
import { bioCheckPagesDirty, bioPut, bioReleasePages, runDeferredDirtyWork } from '../block';
import { finishDio } from './engine';
import { engineOf } from './engines';

/** The device completes `bio`: run its end_io, and complete the dio when its last bio is done. */
export function completeBio(sim: Sim, bio: Bio): void {
  const dio = bio.dio !== undefined ? sim.state.dios.get(bio.dio) : undefined;
  const reaper = dio ? engineOf(dio).reaper(dio, bio) : undefined;
  sim.inContext(['blk_mq_end_request', 'blk_update_request', 'bio_endio'], () => {
    sim.journal.set(bio, 'state', 'completed');
    sim.call(bio.endIo, () => {
      sim.emit('bio', () => ({ text: `The device completes ${bio.name}; ${bio.endIo} runs in interrupt context.`, bio: bio.id, dio: bio.dio }));
      if (reaper && dio) {
        sim.emit('task', () => ({ text: `${bio.name} is handed to ${dio.task}, which was sleeping on it: ${dio.task} wakes up and releases the pages itself.`, bio: bio.id, task: dio.task }));
        return;
      }
      releaseAtCompletion(sim, bio, dio);
      if (dio) dropDioRef(sim, dio);
    });
  });
  if (reaper && dio) {
    // The woken submitter releases the pages in process context.
    sim.inContext(reaper.context, () => {
      const release = () => {
        bioReleasePages(sim, bio, dio.shouldDirty);
        bioPut(sim, bio);
      };
      if (reaper.fn) sim.call(reaper.fn, release);
      else release();
    });
    sim.inContext(reaper.dropContext, () => dropDioRef(sim, dio));
  }
}

function releaseAtCompletion(sim: Sim, bio: Bio, dio: Dio | undefined): void {
  const fn = dio ? engineOf(dio).endIoReleaseFn(dio, bio) : undefined;
  const body = () => {
    if (bio.checkDirty) bioCheckPagesDirty(sim, bio);
    else {
      bioReleasePages(sim, bio, bio.dirtyAtCompletion);
      bioPut(sim, bio);
    }
  };
  if (fn) sim.call(fn, body);
  else body();
}

function dropDioRef(sim: Sim, dio: Dio): void {
  sim.journal.set(dio, 'refcount', dio.refcount - 1);
  const inflight = dio.bios.some((b) => {
    const s = sim.state.bios.get(b)?.state;
    return s === 'submitted' || s === 'building';
  });
  if (inflight) return;
  // The synchronous submitter holds the last reference and drops it once woken.
  if (!dio.async) sim.journal.set(dio, 'refcount', 0);
  if (dio.refcount > 0) return;
  const task = sim.state.tasks.get(dio.task);
  const { fn, inTask } = engineOf(dio).completion(dio);
  if (inTask && task?.waitingOn === dio.id) {
    // The end_io released the pages in interrupt context; the woken task completes the dio itself.
    sim.emit('task', () => ({ text: `The last bio of ${dio.name} is done: ${dio.task} wakes up and completes the dio in its own context.`, task: dio.task, dio: dio.id }));
    sim.inContext(inTask, () => (fn ? sim.call(fn, () => finishSync(sim, dio)) : finishSync(sim, dio)));
    return;
  }
  if (fn) sim.call(fn, () => finishSync(sim, dio));
  else finishSync(sim, dio);
}

/** The file grows for an extending write, the dio ends, and a waiting submitter returns. */
function finishSync(sim: Sim, dio: Dio): void {
  const file = sim.state.files.get(dio.file)!;
  if (dio.op === 'write') {
    const ioEnd = dio.foff + Math.max(0, dio.result);
    if (ioEnd > file.size) {
      sim.journal.set(file, 'size', ioEnd);
      sim.emit('file', () => ({ text: `${file.name} grows to ${ioEnd} bytes.` }));
    }
  }
  finishDio(sim, dio, dio.result, 'every bio has completed');
  engineOf(dio).afterFinish?.(sim, dio);
  const task = sim.state.tasks.get(dio.task);
  if (task && task.waitingOn === dio.id) {
    sim.journal.set(task, 'waitingOn', undefined);
    sim.emit('task', () => ({ text: `${dio.task} returns from the ${dio.op} system call.`, task: dio.task }));
  }
}

/** `complete BIO|all`: complete bios in submission order, then let deferred dirtying work run. */
export function completeBios(sim: Sim, which: string | undefined): void {
  const submitted = [...sim.state.bios.values()].filter((b) => b.state === 'submitted').sort((a, b) => a.id - b.id);
  let targets = submitted;
  if (which !== undefined && which !== 'all') {
    const bio = [...sim.state.bios.values()].find((b) => b.name === which);
    if (!bio) sim.error(`no bio "${which}"${submitted.length ? ` (in flight: ${submitted.map((b) => b.name).join(', ')})` : ' (nothing is in flight)'}`);
    if (bio.state !== 'submitted') sim.error(`${which} is not in flight (it is ${bio.state})`);
    targets = [bio];
  }
  if (targets.length === 0) {
    sim.emit('bio', () => ({ text: 'No bio is in flight: nothing to complete.' }));
    return;
  }
  for (const bio of targets) completeBio(sim, bio);
  runDeferredDirtyWork(sim);
}
