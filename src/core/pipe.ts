// Pipes holding user pages: pipe(2) with F_SETPIPE_SZ, vmsplice(2) into a pipe, and the pipe's release.
// Kernel: fs/pipe.c (pipe_set_size, round_pipe_size, pipe_release, free_pipe_info), fs/splice.c
// (vmsplice_to_pipe, wait_for_space, iter_to_pipe, add_to_pipe).

import type { Sim } from './sim';
import type { Handle } from './state';
import { PAGE_SIZE } from './state';
import { ERRNO } from './events';
import { folioOf } from './folio';
import { gup, gupPutFolio, releasePages, type GupFlags } from './gup';
import { handleHolder, releaseShortfall, requireHandle } from './handles';
import { currentTask, findVma, mmOf } from './mm';

/** PIPE_DEF_BUFFERS: a new pipe has 16 buffers (64 KiB with 4 KiB pages). */
export const PIPE_DEF_BUFFERS = 16;
/** iter_to_pipe() takes at most this many pages per iov_iter_get_pages2() call. */
const PAGES_PER_BATCH = 16;

/** round_pipe_size(): at least one page, rounded up to a power of two pages. */
export function pipeBuffers(bytes: number): number {
  const pages = Math.max(1, Math.ceil(bytes / PAGE_SIZE));
  return 2 ** Math.ceil(Math.log2(pages));
}

function openPipe(sim: Sim, name: string, buffers: number): Handle {
  const task = currentTask(sim);
  const handle: Handle = {
    name, kind: 'pipe', calls: 0, perCall: false, task: task.name, mm: task.mm, vma: '', off: 0, len: 0,
    write: false, longterm: false, fast: true, pages: [], result: 0, released: false, line: sim.line, capacity: buffers,
  };
  sim.journal.mapSet(sim.state.handles, name, handle);
  return handle;
}

/** `pipe NAME [size=N]`: pipe(2), then fcntl(F_SETPIPE_SZ, N) when a size is given. */
export function createPipe(sim: Sim, name: string, size: number | undefined): void {
  const existing = sim.state.handles.get(name);
  if (existing && !existing.released) sim.error(`"${name}" already exists (a ${existing.kind} handle)`);
  const buffers = size === undefined ? PIPE_DEF_BUFFERS : pipeBuffers(size);
  sim.inContext(size === undefined ? ['do_pipe2', 'alloc_pipe_info'] : ['do_fcntl', 'pipe_fcntl', 'pipe_set_size'], () => {
    openPipe(sim, name, buffers);
    sim.emit('pipe', () => ({ text: `The pipe ${name} has ${buffers} buffer${buffers === 1 ? '' : 's'} (${(buffers * PAGE_SIZE) / 1024} KiB)${size === undefined ? ', the default' : `: F_SETPIPE_SZ rounds ${size} bytes up to a power of two pages`}.`, handle: name }));
  });
}

/**
 * `vmsplice PIPE NAME OFF LEN [nonblock]`: user pages go into pipe buffers with FOLL_GET references, as many
 * as there are free buffers. A pipe that was never declared is made with the default size.
 */
export function vmsplice(sim: Sim, name: string, mapping: string, off: number, len: number, nonblock: boolean): Handle {
  const task = currentTask(sim);
  const mm = mmOf(sim, task);
  const vma = findVma(sim, mm, mapping);
  if (off + len > vma.size) sim.error(`${off}+${len} runs past the end of "${vma.name}" (${vma.size} bytes)`);
  const found = sim.state.handles.get(name);
  if (found && !found.released && found.kind !== 'pipe') sim.error(`"${name}" is a ${found.kind} handle, not a pipe`);
  const pipe = found && !found.released ? found : openPipe(sim, name, PIPE_DEF_BUFFERS);
  const capacity = pipe.capacity ?? PIPE_DEF_BUFFERS;
  const holder = handleHolder(name, 'pipe');
  const flags: GupFlags = { pin: false, write: false, longterm: false, fast: true };
  const start = vma.start + off;
  const first = Math.floor(start / PAGE_SIZE);
  const npages = Math.floor((start + len - 1) / PAGE_SIZE) - first + 1;
  return sim.inContext(['vmsplice', 'vmsplice_to_pipe'], () => {
    sim.journal.set(pipe, 'calls', pipe.calls + 1);
    let free = capacity - pipe.pages.length;
    // wait_for_space(): a full pipe sleeps until a reader makes room, or fails at once with SPLICE_F_NONBLOCK.
    if (free <= 0) {
      if (!nonblock) sim.error(`vmsplice would sleep: the pipe ${name} is full (${capacity} buffers) and nothing reads it (add nonblock for SPLICE_F_NONBLOCK)`);
      sim.call('wait_for_space', () => sim.emit('pipe', () => ({ text: `The pipe ${name} is full (${capacity} of ${capacity} buffers) and SPLICE_F_NONBLOCK is set: vmsplice returns -EAGAIN without touching a page.`, handle: name })));
      sim.journal.set(pipe, 'result', -ERRNO.EAGAIN!);
      sim.journal.set(pipe, 'bytes', -ERRNO.EAGAIN!);
      return pipe;
    }
    const added = sim.call('iter_to_pipe', () => {
      let taken = 0;
      for (let done = 0; done < npages; ) {
        const batch = Math.min(PAGES_PER_BATCH, npages - done);
        const r = sim.call('iov_iter_get_pages2', () => gup(sim, mm, (first + done) * PAGE_SIZE, batch, flags, holder, 'get_user_pages_fast'));
        if (r.result <= 0) return taken > 0 ? taken : r.result;
        const room = Math.min(free, r.pages.length);
        if (room > 0) {
          sim.call('add_to_pipe', () => {
            sim.journal.set(pipe, 'pages', [...pipe.pages, ...r.pages.slice(0, room)]);
            sim.emit('pipe', () => ({ text: `${room} page${room === 1 ? '' : 's'} go${room === 1 ? 'es' : ''} into buffers of the pipe ${name}, each keeping its reference (${pipe.pages.length} of ${capacity} buffers used).`, handle: name }));
          });
        }
        free -= room;
        taken += room;
        if (room < r.pages.length) {
          // add_to_pipe() fails with -EAGAIN on the first page that finds the pipe full and releases it;
          // iter_to_pipe() puts the rest of the batch. The call returns what it added.
          const rest = r.pages.slice(room);
          sim.call('add_to_pipe', () => sim.emit('pipe', () => ({ text: `The pipe ${name} is full: the other ${rest.length} page${rest.length === 1 ? '' : 's'} of this batch ${rest.length === 1 ? 'is' : 'are'} put back.`, handle: name })));
          for (const p of rest) sim.call(p === rest[0] ? 'pipe_buf_release' : 'put_page', () => gupPutFolio(sim, folioOf(sim, p.folio), 1, false, holder));
          return taken;
        }
        done += r.pages.length;
        if (r.pages.length < batch) return taken;
      }
      return taken;
    });
    const bytes = added > 0 ? Math.min(len, added * PAGE_SIZE - (start % PAGE_SIZE)) : added;
    sim.journal.set(pipe, 'result', added);
    sim.journal.set(pipe, 'bytes', bytes);
    sim.emit('pipe', () => ({ text: bytes >= 0 ? `vmsplice returns ${bytes} of ${len} bytes.` : `vmsplice fails with ${bytes}.`, handle: name }));
    return pipe;
  });
}

/** `close PIPE`: the last close frees the pipe, and each buffer's page reference is put. */
export function closePipe(sim: Sim, name: string): void {
  const { handle } = requireHandle(sim, name);
  if (handle.kind !== 'pipe') sim.error(`${name} is not a pipe (vmsplice handle)`);
  // A second close of the same pipe is a finding that changes nothing (no double put).
  const short = releaseShortfall(sim, handle, false);
  if (short) {
    sim.find('bad-release', `close(${name}): ${short}; nothing is released`, { holder: handleHolder(handle.name, 'pipe') });
    sim.inContext(['pipe_release'], () => sim.emit('pipe', () => ({ text: `The pipe ${name} cannot be released again: ${short}. Nothing changes.`, handle: name })));
    return;
  }
  sim.inContext(['pipe_release', 'free_pipe_info', 'pipe_buf_release'], () => {
    sim.emit('pipe', () => ({ text: `The pipe ${name} is closed: each buffer's page reference is put.`, handle: name }));
    if (handle.pages.length > 0) releasePages(sim, handle.pages, false, handleHolder(handle.name, 'pipe'), false, handle.perCall ? handle.calls : 1);
  });
  sim.journal.set(handle, 'released', true);
}
