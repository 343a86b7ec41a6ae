// Translates a pinscope scenario into a small C program that does the same thing on a real kernel and measures
// what each `expect` asks (see rt.h for how). Statements without a real counterpart stop the translation there:
// every later expectation is "not runnable", with the reason. Used by run.ts; also runnable on its own:
//   npx tsx scripts/kernels/translate.ts FILE.scn      (prints the C program and the plan)
import { readFileSync } from 'node:fs';
import { parseScenario } from '../../src/scenario';
import type { Expect, Statement } from '../../src/core/ast';

export type Plan =
  | { line: number; text: string; status: 'measure'; inflight: boolean }
  | { line: number; text: string; status: 'not-runnable'; reason: string };

export interface Translation {
  /** The C source, or undefined when nothing in the scenario can be measured. */
  c?: string;
  /** One entry per expect statement, by line. */
  plans: Map<number, Plan>;
  /** Why the translation stopped early (the first statement without a counterpart), if it did. */
  stoppedAt?: { line: number; reason: string };
}

const PAGE = 4096;
const FOLIO_FIELDS = new Set(['refcount', 'mapcount', 'pincount', 'pinned', 'kind']);
const INFLIGHT_FIELDS = new Set(['refcount', 'pincount', 'pinned']);

interface FileInfo { idx: number; fs: string; size: number; holes: boolean; path: string; base: number }
interface HandleInfo { kind: 'uring' | 'pvm' | 'pvmcall' | 'pipe' | 'get'; id: number; len: number }

const MADVICE: Record<string, string> = { dontneed: 'MADV_DONTNEED', dontfork: 'MADV_DONTFORK', dofork: 'MADV_DOFORK', wipeonfork: 'MADV_WIPEONFORK', keeponfork: 'MADV_KEEPONFORK' };

function cstr(s: string): string {
  return JSON.stringify(s);
}

export function translate(text: string, file = 'scenario.scn'): Translation {
  const parsed = parseScenario(text, file);
  const plans = new Map<number, Plan>();
  if (!parsed.ok) return { plans };
  const stmts = parsed.scenario.statements.filter((s): s is Statement => s.op !== 'trivia');

  const files = new Map<string, FileInfo>();
  const maps = new Map<string, number>();
  const fileBacked = new Set<string>();
  const tasks = new Map<string, number>([['main', 0]]);
  const handles = new Map<string, HandleInfo>();
  let childCounter = 1;
  let dioCount = 0;
  let blockdevBase = 0;
  let blockdevParts = 0;
  // `label NAME MAPPING+OFF`: the PFN is remembered in the task that ran the label (not shared between tasks).
  const labels = new Map<string, { idx: number; task: string }>();
  let curTask = 'main';
  // Which task holds a mapping at its address: the one that made it, and tasks forked from it afterwards.
  let clock = 0;
  const mapMade = new Map<string, { task: string; at: number }>();
  const forked = new Map<string, { parent: string; at: number }>();
  const holds = (task: string, name: string, at = Infinity): boolean => {
    const m = mapMade.get(name);
    if (!m) return false;
    if (m.task === task) return m.at < at;
    const f = forked.get(task);
    return !!f && holds(f.parent, name, Math.min(at, f.at));
  };
  const steps: string[] = [];
  const prelude: string[] = [];
  let stopped: { line: number; reason: string } | undefined;
  // The in-flight window: after a dio and before the next complete, folio counts are read at submit_bio.
  let window: { dio: number; fs: string; subjects: string[]; armIndex: number } | undefined;
  let partial = false;

  const stop = (st: Statement, reason: string) => {
    if (!stopped) stopped = { line: st.pos.line, reason: `line ${st.pos.line}: ${reason}` };
  };
  const subjectExpr = (e: Expect): string | undefined => {
    if (e.subject === 'zero') return 'SUBJ_ZERO';
    if (e.subject === 'hugezero') return 'SUBJ_HUGEZERO';
    if (e.offset !== undefined && maps.has(e.subject)) return `(const void *)(m_${e.subject} + ${e.offset})`;
    const lb = labels.get(e.subject);
    if (lb && e.offset === undefined && lb.task === curTask) return `SUBJ_LABEL(${lb.idx})`;
    return undefined;
  };

  let inRepeat = 0;
  const visit = (st: Statement): void => {
    if (stopped) {
      if (st.op === 'expect') plans.set(st.pos.line, { line: st.pos.line, text: st.text, status: 'not-runnable', reason: `not reached: ${stopped.reason}` });
      return;
    }
    const L = st.pos.line;
    switch (st.op) {
      case 'title': case 'kernel': case 'mark': case 'note': case 'show':
        break;
      case 'file': {
        if (st.fs !== 'blockdev' && st.blocksize !== PAGE) { stop(st, `fs=${st.fs} blocksize=${st.blocksize}: the test filesystems use 4 KiB blocks`); break; }
        if (st.fs === 'blockdev' && st.holes) { stop(st, 'a block device has no holes'); break; }
        if (st.fs === 'ext2-legacy') { stop(st, 'fs=ext2-legacy is not translated (no ext2 filesystem in the test guests)'); break; }
        if (st.fs === 'blockdev' && st.size % 512) { stop(st, 'a block device is a whole number of 512-byte sectors'); break; }
        const idx = files.size;
        // A block device is a partition of /dev/ram0 of exactly the file's size (BLKPG_ADD_PARTITION), so its
        // end is where the scenario puts it. UDF and the engine `legacy` share the UDF mount; FAT has its own.
        const part = st.fs === 'blockdev' ? ++blockdevParts : 0;
        const path = st.fs === 'blockdev' ? `/dev/ram0p${part}` : st.fs === 'iomap' ? `/mnt/iomap/${st.name}` : st.fs === 'fat' ? `/mnt/fat/${st.name.toUpperCase()}` : `/mnt/legacy/${st.name}`;
        if (st.fs === 'blockdev') {
          if (part > 15) { stop(st, 'more than 15 block devices'); break; }
          prelude.push(`  blk_part(${part}, ${blockdevBase}, ${st.size});`);
          blockdevBase += Math.ceil(st.size / (1 << 20)) * (1 << 20);
        }
        files.set(st.name, { idx, fs: st.fs === 'udf' ? 'legacy' : st.fs === 'fat' ? 'legacy' : st.fs, size: st.size, holes: st.holes, path, base: 0 });
        prelude.push(`  file_make(${cstr(path)}, ${st.fs === 'blockdev' ? 1 : 0}, ${st.size}, ${st.holes ? 1 : 0}, 0);`);
        break;
      }
      case 'mmap': {
        let fd = '-1';
        let flags = st.shared ? 'MAP_SHARED' : 'MAP_PRIVATE';
        if (st.backing.kind === 'anon') flags += ' | MAP_ANONYMOUS';
        else if (st.backing.kind === 'memfd') fd = `memfd_make(${st.size})`;
        else {
          const f = files.get(st.backing.file);
          if (!f) { stop(st, `no file ${st.backing.file}`); break; }
          fd = `file_open(${cstr(f.path)}, O_RDWR)`;
          fileBacked.add(st.name);
        }
        maps.set(st.name, st.size);
        mapMade.set(st.name, { task: curTask, at: clock++ });
        steps.push(`  m_${st.name} = rt_mmap(${st.size}, ${st.writable ? 'PROT_READ | PROT_WRITE' : 'PROT_READ'}, ${flags}, ${fd}, ${st.thp ? 1 : 0});`);
        break;
      }
      case 'read': case 'write': {
        if (!maps.has(st.name)) { stop(st, `no mapping ${st.name}`); break; }
        const off = st.off ?? 0;
        const len = st.len ?? maps.get(st.name)! - off;
        steps.push(`  rt_${st.op}(m_${st.name} + ${off}, ${len});`);
        break;
      }
      case 'munmap':
        if (!maps.has(st.name)) { stop(st, `no mapping ${st.name}`); break; }
        steps.push(`  munmap(m_${st.name}, ${maps.get(st.name)});`);
        break;
      case 'madvise':
        if (!maps.has(st.name)) { stop(st, `no mapping ${st.name}`); break; }
        steps.push(`  if (madvise(m_${st.name} + ${st.off ?? 0}, ${st.len ?? maps.get(st.name)! - (st.off ?? 0)}, ${MADVICE[st.advice]})) out("@@E line ${L}: madvise: %s", strerror(errno));`);
        break;
      case 'mprotect':
        if (!maps.has(st.name)) { stop(st, `no mapping ${st.name}`); break; }
        steps.push(`  if (mprotect(m_${st.name} + ${st.off ?? 0}, ${st.len ?? maps.get(st.name)! - (st.off ?? 0)}, ${st.writable ? 'PROT_READ | PROT_WRITE' : 'PROT_READ'})) out("@@E line ${L}: mprotect: %s", strerror(errno));`);
        break;
      case 'label': {
        if (!maps.has(st.mapping)) { stop(st, `no mapping ${st.mapping}`); break; }
        const idx = labels.get(st.name)?.idx ?? labels.size;
        if (idx >= 16) { stop(st, 'too many labels'); break; }
        labels.set(st.name, { idx, task: curTask });
        steps.push(`  label_pfn[${idx}] = pfn_of(m_${st.mapping} + ${st.offset});`);
        break;
      }
      case 'pipe': {
        if (handles.has(st.name)) { stop(st, `${st.name} is already a handle`); break; }
        const id = handles.size;
        handles.set(st.name, { kind: 'pipe', id, len: 0 });
        prelude.push(`  pipe_make(${id});`);
        if (st.size !== undefined) prelude.push(`  pipe_size(${id}, ${st.size});`);
        break;
      }
      case 'pvm': {
        // process_vm_readv/_writev from the current task into TASK's mapping (the local side is a buffer of
        // the caller's own). Both tasks must have the mapping at the same address: made before the fork.
        if (!tasks.has(st.task)) { stop(st, `no task ${st.task}`); break; }
        if (!maps.has(st.name) || !holds(st.task, st.name)) { stop(st, `${st.name} of task ${st.task}: its address is not known to the caller`); break; }
        const hname = st.handle ?? `pvm#${handles.size + 1}`;
        const id = handles.get(hname)?.id ?? handles.size;
        handles.set(hname, { kind: 'pvmcall', id, len: st.len });
        steps.push(`  pvm_call(${id}, ${tasks.get(st.task)}, m_${st.name} + ${st.off}, ${st.len}, ${st.dir === 'write' ? 1 : 0});`);
        break;
      }
      case 'uring-register': {
        if (!maps.has(st.name)) { stop(st, `no mapping ${st.name}`); break; }
        if (handles.has(st.handle)) { stop(st, `${st.handle} is already a handle`); break; }
        const id = handles.size;
        handles.set(st.handle, { kind: 'uring', id, len: st.len });
        steps.push(`  h_fd[${id}] = uring_register(m_${st.name} + ${st.off}, ${st.len}, &h_result[${id}]);`);
        break;
      }
      case 'uring-unregister': {
        const h = handles.get(st.handle);
        if (!h || h.kind !== 'uring') { stop(st, `${st.handle} is not a translated io_uring registration`); break; }
        steps.push(`  uring_unregister(${h.id});`);
        break;
      }
      case 'fork': {
        const name = st.child ?? (childCounter === 1 ? 'child' : `child${childCounter}`);
        if (!st.child) childCounter++;
        if (tasks.size >= 15) { stop(st, 'too many tasks'); break; }
        tasks.set(name, tasks.size);
        forked.set(name, { parent: curTask, at: clock++ });
        steps.push(`  task_fork(${tasks.get(name)});`);
        break;
      }
      case 'task':
        if (!tasks.has(st.name)) { stop(st, `no task ${st.name}`); break; }
        curTask = st.name;
        steps.push(`  ctl->cur = ${tasks.get(st.name)};`);
        break;
      case 'exit':
        steps.push(`  task_exit(${st.name ? tasks.get(st.name) ?? -1 : -1});`);
        break;
      case 'dio': {
        const f = files.get(st.file);
        if (!f) { stop(st, `no file ${st.file}`); break; }
        if (!maps.has(st.name)) { stop(st, `no mapping ${st.name}`); break; }
        if (st.iov && !st.iov.every((v, i) => v.name === st.name && v.off === st.bufoff + st.iov!.slice(0, i).reduce((a, w) => a + w.len, 0))) {
          stop(st, 'iovecs that are not one contiguous buffer are not translated'); break;
        }
        dioCount++;
        window = { dio: dioCount, fs: f.fs, subjects: [], armIndex: steps.length };
        partial = false;
        steps.push(''); // the probe arming, filled in when the window closes
        steps.push(`  dio_do(${dioCount}, ${cstr(f.path)}, ${st.dir === 'write' ? 1 : 0}, m_${st.name} + ${st.bufoff}, ${st.len}, ${f.base + st.foff});`);
        break;
      }
      case 'complete':
        if (st.bio !== undefined) partial = true;
        else { window = undefined; partial = false; }
        break;
      case 'pin': {
        if (st.fast) { stop(st, '`pin ... fast` (pin_user_pages_fast) has no user-space trigger that holds the pin'); break; }
        if (st.longterm && !st.write) { stop(st, 'a read-only long-term pin has no user-space trigger (io_uring always pins for write)'); break; }
        if (!maps.has(st.name)) { stop(st, `no mapping ${st.name}`); break; }
        if (st.longterm && fileBacked.has(st.name)) {
          stop(st, 'io_uring (the stand-in for a long-term R/W pin) refuses file-backed buffers other than shmem and hugetlbfs before GUP decides');
          break;
        }
        const hname = st.handle ?? `pin#${handles.size + 1}`;
        if (st.longterm) {
          const id = handles.size;
          handles.set(hname, { kind: 'uring', id, len: st.len });
          steps.push(`  h_fd[${id}] = uring_register(m_${st.name} + ${st.off}, ${st.len}, &h_result[${id}]);`);
        } else {
          const id = handles.size;
          handles.set(hname, { kind: 'pvm', id, len: st.len });
          steps.push(`  pvm_pin(${id}, m_${st.name} + ${st.off}, ${st.len}, ${st.write ? 1 : 0});`);
        }
        break;
      }
      case 'unpin': {
        const h = handles.get(st.handle);
        if (!h) { stop(st, `handle ${st.handle} was not translated`); break; }
        if (h.kind === 'uring') steps.push(`  uring_unregister(${h.id});`);
        else steps.push(`  pvm_unpin(${h.id});`);
        break;
      }
      case 'vmsplice': {
        if (!maps.has(st.name)) { stop(st, `no mapping ${st.name}`); break; }
        const old = handles.get(st.handle);
        if (old && old.kind !== 'pipe') { stop(st, `${st.handle} is not a pipe`); break; }
        const id = old?.id ?? handles.size;
        if (!old) {
          handles.set(st.handle, { kind: 'pipe', id, len: st.len });
          prelude.push(`  pipe_make(${id});`);
        }
        steps.push(`  pipe_vmsplice(${id}, m_${st.name} + ${st.off}, ${st.len});`);
        break;
      }
      case 'close': {
        const h = handles.get(st.handle);
        if (!h || h.kind !== 'pipe') { stop(st, `close of ${st.handle}: not a translated pipe`); break; }
        steps.push(`  pipe_drain(${h.id});`);
        break;
      }
      case 'get': {
        // vmsplice takes plain FOLL_GET references (+1 per page) and holds them in the pipe: a get that is kept
        // until `put`. Each call gets its own pipe, so the pipe's 16 buffers are never the limit for <= 64 KiB.
        if (st.write) { stop(st, '`get ... write` has no user-space trigger (vmsplice asks for no write access)'); break; }
        if (!maps.has(st.name)) { stop(st, `no mapping ${st.name}`); break; }
        if (st.len > 16 * PAGE) { stop(st, 'a `get` of more than 64 KiB does not fit one pipe'); break; }
        const hname = st.handle ?? `get#${handles.size + 1}`;
        const old = handles.get(hname);
        if (old && old.kind !== 'get') { stop(st, `${hname} is not a get handle`); break; }
        const id = old?.id ?? handles.size;
        if (!old) handles.set(hname, { kind: 'get', id, len: st.len });
        steps.push(`  get_do(${id}, m_${st.name} + ${st.off}, ${st.len});`);
        break;
      }
      case 'put': {
        const h = handles.get(st.handle);
        if (!h || h.kind !== 'get') { stop(st, `put of ${st.handle}: not a translated get`); break; }
        steps.push(`  put_do(${h.id});`);
        break;
      }
      case 'vfio-map': case 'vfio-unmap':
        stop(st, 'vfio needs a device to pass through');
        break;
      case 'writeback':
        stop(st, '`writeback` of anonymous memory (swap) is not translated');
        break;
      case 'repeat':
        if (st.count > 4096 || inRepeat) { stop(st, `\`repeat ${st.count}\` is not translated (only up to 4096 iterations, not nested)`); break; }
        inRepeat++;
        for (let i = 0; i < st.count; i++) {
          if (stopped) break; // set by visit() through the closure
          for (const b of st.body) if (b.op !== 'trivia') visit(b);
        }
        inRepeat--;
        break;
      case 'expect': {
        const e = st;
        const field = e.field ?? (e.subject.startsWith('dio#') || handles.has(e.subject) ? 'result' : e.subject.startsWith('bio#') ? 'state' : 'refcount');
        const nr = (reason: string) => plans.set(L, { line: L, text: e.text, status: 'not-runnable', reason });
        if (inRepeat) { nr('an expectation inside a repeat is not measured'); break; }
        if (e.subject === 'violations' || e.subject === 'leaks') { nr(`${e.subject} is the model's own bookkeeping`); break; }
        if (e.subject.startsWith('bio#')) { nr('bio fields are not read from the real kernel in this version'); break; }
        if (e.subject.startsWith('dio#')) {
          const n = Number(e.subject.slice(4));
          if (field !== 'result' || !(n >= 1 && n <= dioCount)) { nr(`dio field ${field} is not measured`); break; }
          steps.push(`  if (dio_result[${n}] < 0) out("@@M ${L} result %s", errname(dio_result[${n}])); else out("@@M ${L} result %ld", dio_result[${n}]);`);
          plans.set(L, { line: L, text: e.text, status: 'measure', inflight: false });
          break;
        }
        const h = handles.get(e.subject);
        if (h) {
          if (h.kind === 'pvm' && field === 'result') { nr('process_vm_readv returns only when the pin is released'); break; }
          if (h.kind === 'uring' && field === 'pages') { nr('io_uring does not tell user space how many pages (bvecs) a registration keeps'); break; }
          if (field === 'bytes' && h.kind !== 'pipe') { nr(`handle field ${field} is not measured`); break; }
          if (field !== 'result' && field !== 'pages' && field !== 'bytes') { nr(`handle field ${field} is not measured`); break; }
          steps.push(`  handle_measure(${L}, ${h.id}, ${cstr(field)}, ${cstr(h.kind)});`);
          plans.set(L, { line: L, text: e.text, status: 'measure', inflight: false });
          break;
        }
        if (field.startsWith('pte.')) { nr(`${field}: /proc/PID/pagemap has no writable, dirty or PMD bit for a PTE`); break; }
        if (!FOLIO_FIELDS.has(field)) { nr(`folio field ${field} is not visible from user space`); break; }
        const subj = subjectExpr(e);
        if (!subj) { nr(`subject ${e.subject} is not translated`); break; }
        if (window && INFLIGHT_FIELDS.has(field)) {
          if (partial) { nr('a partial `complete` has no counterpart: brd completes every bio at once'); break; }
          let i = window.subjects.indexOf(subj);
          if (i < 0) { i = window.subjects.length; window.subjects.push(subj); }
          if (i >= 8) { nr('too many in-flight subjects'); break; }
          steps[window.armIndex] = `  { const void *s[] = { ${window.subjects.join(', ')} }; inflight_arm(s, ${window.subjects.length}); }`;
          steps.push(`  inflight_measure(${L}, ${i}, ${subj}, ${cstr(field)}, ${window.fs === 'legacy' ? 1 : 0});`);
          plans.set(L, { line: L, text: e.text, status: 'measure', inflight: true });
          break;
        }
        steps.push(`  drain_lru(); measure(${L}, ${subj}, ${cstr(field)});`);
        plans.set(L, { line: L, text: e.text, status: 'measure', inflight: false });
        break;
      }
      default:
        stop(st, `statement ${(st as Statement).op} is not translated`);
    }
  };
  // The scenario line of every step (the recorder marks each statement in its trace).
  const stepLines: number[] = [];
  const visitTagged = (st: Statement): void => {
    visit(st);
    for (let i = stepLines.length; i < steps.length; i++) stepLines.push(st.pos.line);
  };
  for (const st of stmts) visitTagged(st);

  const measured = [...plans.values()].filter((p) => p.status === 'measure').length;
  if (measured === 0) return { plans, ...(stopped ? { stoppedAt: stopped } : {}) };
  const body: string[] = [];
  const bodyLines: number[] = [];
  steps.forEach((s, i) => { if (s !== '') { body.push(s); bodyLines.push(stepLines[i] ?? 0); } });
  const mapNames = [...maps.keys()];
  const c = [
    '/* generated by scripts/kernels/translate.ts from ' + file.replace(/\*\//g, '') + ' */',
    '#include "rt.h"',
    '#include "steps.h"',
    ...mapNames.map((m) => `static char *m_${m};`),
    // the mappings, for the recorder's list of watched pages (rec.h)
    `static const struct { const char *name; char **p; size_t size; } rec_maps[] = { ${mapNames.map((m) => `{ ${cstr(m)}, &m_${m}, ${maps.get(m)} }`).join(', ') || '{ "", 0, 0 }'} };`,
    `#define REC_NMAPS ${mapNames.length}`,
    '#include "rec.h"',
    `#define NSTEPS ${body.length}`,
    'static void step(int pc) {',
    '  switch (pc) {',
    ...body.map((s, i) => `  case ${i}:\n  rec_line(${bodyLines[i]});\n${s}\n    break;`),
    '  }',
    '}',
    'static void prelude(void) {',
    ...prelude,
    '}',
    '#include "main.h"',
  ].join('\n');
  return { c, plans, ...(stopped ? { stoppedAt: stopped } : {}) };
}

if (process.argv[1]?.endsWith('translate.ts')) {
  const f = process.argv[2];
  if (!f) { console.error('usage: npx tsx scripts/kernels/translate.ts FILE.scn'); process.exit(2); }
  const t = translate(readFileSync(f, 'utf8'), f);
  console.log(t.c ?? '/* nothing runnable */');
  for (const p of t.plans.values()) console.error(`line ${p.line}: ${p.status}${p.status === 'not-runnable' ? ` (${p.reason})` : p.inflight ? ' (in flight)' : ''}  ${p.text}`);
}
