// The statements that belong to one kernel concept each, as a dispatch table from the statement to the module
// that owns it. The interpreter (interp.ts) keeps the statements that steer the run itself (title, kernel,
// note, mark, repeat, expect) and hands everything in this table over.

import type { Pin, Release, Statement } from './ast';
import type { Sim } from './sim';
import { vfioMap, vfioUnmap } from './handles';
import { closePipe, createPipe, vmsplice } from './pipe';
import { labelFolio } from './expect';
import { processVmRw } from './pvm';
import { uringRegister, uringUnregister } from './uring';
import { accessStatement, mmapStatement, munmapStatement, writebackStatement } from './access';
import { exitStatement, forkStatement, switchTaskStatement } from './fork';
import { madvise } from './madvise';
import { mprotect } from './mprotect';
import { gupStatement, releaseStatement } from './handles';
import { completeBios } from './dio';
import { dioStatement } from './iovec';
import { declareFile } from './filesystems';

const CONCEPT_OPS = [
  'file', 'mmap', 'read', 'write', 'munmap', 'madvise', 'mprotect', 'writeback', 'fork', 'task', 'exit',
  'pin', 'get', 'unpin', 'put', 'dio', 'complete',
  'vfio-map', 'vfio-unmap', 'vmsplice', 'pipe', 'close', 'label', 'pvm', 'uring-register', 'uring-unregister'] as const;
export type ConceptOp = (typeof CONCEPT_OPS)[number];
export type ConceptStatement = Extract<Statement, { op: ConceptOp }>;

/** The statement whose `op` can be K (`pin` and `get` share one statement type, as do `unpin` and `put`). */
type StatementWith<K> = Statement extends infer S ? (S extends { op: infer O } ? (K extends O ? S : never) : never) : never;
type Handlers = { [K in ConceptOp]: (sim: Sim, st: StatementWith<K>) => void };

const pinOrGet = (sim: Sim, st: Pin): void =>
  void sim.inContext([], () => gupStatement(sim, { pin: st.op === 'pin', name: st.handle, mapping: st.name, off: st.off, len: st.len, write: st.write, longterm: st.longterm, fast: st.fast }));
const unpinOrPut = (sim: Sim, st: Release): void => releaseStatement(sim, st.handle, st.op === 'unpin', st.dirty);

const HANDLERS: Handlers = {
  file: declareFile,
  mmap: mmapStatement,
  read: accessStatement,
  write: accessStatement,
  munmap: munmapStatement,
  madvise: (sim, st) => madvise(sim, st.name, st.advice, st.off, st.len),
  mprotect: (sim, st) => mprotect(sim, st.name, st.writable, st.off, st.len),
  writeback: writebackStatement,
  fork: forkStatement,
  task: switchTaskStatement,
  exit: exitStatement,
  pin: pinOrGet,
  get: pinOrGet,
  unpin: unpinOrPut,
  put: unpinOrPut,
  dio: dioStatement,
  complete: (sim, st) => completeBios(sim, st.bio),
  'vfio-map': (sim, st) => void vfioMap(sim, st.handle, st.name, st.off, st.len, st.write),
  'vfio-unmap': (sim, st) => vfioUnmap(sim, st.handle),
  vmsplice: (sim, st) => void vmsplice(sim, st.handle, st.name, st.off, st.len, st.nonblock),
  pipe: (sim, st) => createPipe(sim, st.name, st.size),
  close: (sim, st) => closePipe(sim, st.handle),
  label: (sim, st) => labelFolio(sim, st.name, st.mapping, st.offset),
  pvm: (sim, st) => void processVmRw(sim, { write: st.dir === 'write', handle: st.handle, task: st.task, mapping: st.name, off: st.off, len: st.len }),
  'uring-register': (sim, st) => void uringRegister(sim, st.handle, st.name, st.off, st.len),
  'uring-unregister': (sim, st) => uringUnregister(sim, st.handle),
};

export function isConceptStatement(st: Statement): st is ConceptStatement {
  return (CONCEPT_OPS as readonly string[]).includes(st.op);
}

/** Run a statement owned by a concept module. */
export function runConceptStatement(sim: Sim, st: ConceptStatement): void {
  (HANDLERS[st.op] as (sim: Sim, st: ConceptStatement) => void)(sim, st);
}
