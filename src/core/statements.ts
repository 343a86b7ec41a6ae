// The statements that belong to one kernel concept each, as a dispatch table from the statement to the module
// that owns it. The interpreter (interp.ts) keeps the statements that steer the run itself (tasks, repeat,
// expect) and hands everything in this table over.

import type { Statement } from '../scenario/ast';
import type { Sim } from './sim';
import { vfioMap, vfioUnmap } from './handles';
import { closePipe, createPipe, vmsplice } from './pipe';
import { labelFolio } from './expect';
import { processVmRw } from './pvm';
import { uringRegister, uringUnregister } from './uring';

const CONCEPT_OPS = ['vfio-map', 'vfio-unmap', 'vmsplice', 'pipe', 'close', 'label', 'pvm', 'uring-register', 'uring-unregister'] as const;
export type ConceptOp = (typeof CONCEPT_OPS)[number];
export type ConceptStatement = Extract<Statement, { op: ConceptOp }>;

type Handlers = { [K in ConceptOp]: (sim: Sim, st: Extract<Statement, { op: K }>) => void };

const HANDLERS: Handlers = {
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
