// Text → AST for the scenario language v1 (described in docs/scenario-language.md).
// The parser never throws: every input, however hostile, yields a Scenario or a list of positioned errors.

import type {
  Access,
  CompareOp,
  DioIovec,
  Expect,
  ExpectValue,
  Kernel,
  Label,
  Madvise,
  MapBacking,
  Mprotect,
  Pin,
  Pos,
  Repeat,
  Scenario,
  ScenarioError,
  Show,
  Statement,
  Trivia,
  ViewName,
  Writeback,
} from '../core/ast';
import { VIEW_NAMES } from '../core/ast';
import { parseErrnoName, readNumber, readSignedNumber } from './numbers';
import { didYouMean, suggest } from '../core/suggest';
import { checkKernelSpec, checkKernelWords } from '../core/kernelspec';

export { suggest };

export const LIMITS = {
  maxChars: 200_000,
  maxLines: 20_000,
  maxLineLength: 10_000,
  maxErrors: 50,
  maxRepeatDepth: 64,
  maxRepeatCount: 2 ** 32,
} as const;

export const STATEMENT_KEYWORDS = [
  'title', 'kernel', 'mmap', 'file', 'read', 'write', 'munmap', 'madvise', 'mprotect', 'fork', 'task', 'exit',
  'pin', 'get', 'unpin', 'put', 'dio', 'complete', 'vfio', 'vmsplice', 'pipe', 'close', 'writeback', 'label',
  'pvm', 'uring', 'repeat', 'end', 'mark', 'note', 'expect', 'show',
] as const;
export type StatementKeyword = (typeof STATEMENT_KEYWORDS)[number];

/** The kinds of subject an expectation can name; each has its own fields. */
export type SubjectFamily = 'folio' | 'pte' | 'bio' | 'dio' | 'handle' | 'run';

type ValueType = 'count' | 'result' | 'bool' | 'kind' | 'word';

/**
 * Fields per subject family with the type of value each compares with; the first field is the default
 * when none is written. The spec's fields plus our extensions (`dirty`, `bios`, `state`, `inflight`, and
 * `pinned` on a bio: BIO_PAGE_PINNED; `bvecs` and `bytes` on a bio: bi_vcnt and bi_size).
 */
const FIELD_TYPES: Record<Exclude<SubjectFamily, 'run'>, Readonly<Record<string, ValueType>>> = {
  folio: { refcount: 'count', mapcount: 'count', pincount: 'count', pinned: 'bool', kind: 'kind', exclusive: 'bool', dirty: 'bool', freed: 'bool' },
  // The entry that maps NAME+OFF (`buf+0.pte.writable`): its x86 bits, and whether it is a PMD leaf.
  pte: { present: 'bool', writable: 'bool', dirty: 'bool', special: 'bool', pmd: 'bool' },
  bio: { state: 'word', pages: 'count', bvecs: 'count', bytes: 'count', pinned: 'bool', inflight: 'bool' },
  dio: { result: 'result', state: 'word', bios: 'count', inflight: 'count', pages: 'count' },
  handle: { result: 'result', pages: 'count', bytes: 'result' },
};

export const EXPECT_FIELDS: Readonly<Record<Exclude<SubjectFamily, 'run'>, readonly string[]>> = {
  folio: Object.keys(FIELD_TYPES.folio),
  pte: Object.keys(FIELD_TYPES.pte),
  bio: Object.keys(FIELD_TYPES.bio),
  dio: Object.keys(FIELD_TYPES.dio),
  handle: Object.keys(FIELD_TYPES.handle),
};
/** Whole-run subjects, which take no field. */
export const RUN_SUBJECTS = ['violations', 'leaks'] as const;
/** Values of `kind`; `none` (nothing mapped at NAME+OFF) is our extension. */
export const FOLIO_KINDS = ['zero', 'hugezero', 'anon', 'file', 'none'] as const;
export const COMPARE_OPS: readonly CompareOp[] = ['==', '!=', '<', '<=', '>', '>='];
export const FS_KINDS = ['legacy', 'iomap', 'blockdev', 'udf', 'fat', 'ext2-legacy'] as const;

/** Linux errno names (asm-generic and the kernel-internal ones), so that `-ENOMEN` is caught as a typo. */
export const ERRNO_NAMES: readonly string[] = (
  'EPERM ENOENT ESRCH EINTR EIO ENXIO E2BIG ENOEXEC EBADF ECHILD EAGAIN ENOMEM EACCES EFAULT ENOTBLK EBUSY ' +
  'EEXIST EXDEV ENODEV ENOTDIR EISDIR EINVAL ENFILE EMFILE ENOTTY ETXTBSY EFBIG ENOSPC ESPIPE EROFS EMLINK EPIPE ' +
  'EDOM ERANGE EDEADLK ENAMETOOLONG ENOLCK ENOSYS ENOTEMPTY ELOOP EWOULDBLOCK ENOMSG EIDRM ECHRNG EL2NSYNC ' +
  'EL3HLT EL3RST ELNRNG EUNATCH ENOCSI EL2HLT EBADE EBADR EXFULL ENOANO EBADRQC EBADSLT EDEADLOCK EBFONT ENOSTR ' +
  'ENODATA ETIME ENOSR ENONET ENOPKG EREMOTE ENOLINK EADV ESRMNT ECOMM EPROTO EMULTIHOP EDOTDOT EBADMSG ' +
  'EOVERFLOW ENOTUNIQ EBADFD EREMCHG ELIBACC ELIBBAD ELIBSCN ELIBMAX ELIBEXEC EILSEQ ERESTART ESTRPIPE EUSERS ' +
  'ENOTSOCK EDESTADDRREQ EMSGSIZE EPROTOTYPE ENOPROTOOPT EPROTONOSUPPORT ESOCKTNOSUPPORT EOPNOTSUPP ' +
  'EPFNOSUPPORT EAFNOSUPPORT EADDRINUSE EADDRNOTAVAIL ENETDOWN ENETUNREACH ENETRESET ECONNABORTED ECONNRESET ' +
  'ENOBUFS EISCONN ENOTCONN ESHUTDOWN ETOOMANYREFS ETIMEDOUT ECONNREFUSED EHOSTDOWN EHOSTUNREACH EALREADY ' +
  'EINPROGRESS ESTALE EUCLEAN ENOTNAM ENAVAIL EISNAM EREMOTEIO EDQUOT ENOMEDIUM EMEDIUMTYPE ECANCELED ENOKEY ' +
  'EKEYEXPIRED EKEYREVOKED EKEYREJECTED EOWNERDEAD ENOTRECOVERABLE ERFKILL EHWPOISON ERESTARTSYS ' +
  'ERESTARTNOINTR ERESTARTNOHAND ENOIOCTLCMD ERESTART_RESTARTBLOCK EPROBE_DEFER EOPENSTALE ENOPARAM EBADHANDLE ' +
  'ENOTSYNC EBADCOOKIE ENOTSUPP ETOOSMALL ESERVERFAULT EBADTYPE EJUKEBOX EIOCBQUEUED ERECALLCONFLICT ENOGRACE'
).split(' ');

/** Each statement's usage line; the fuzzer (src/fuzz) derives its grammar from these. */
export const USAGE: Record<StatementKeyword, string> = {
  title: 'title TEXT...',
  kernel: 'kernel PRESET [TOGGLE=VALUE ...]',
  mmap: 'mmap NAME SIZE [anon | file=FILE | memfd] [private | shared] [rw | ro] [thp]',
  file: 'file NAME SIZE [fs=legacy|iomap|blockdev|udf|fat|ext2-legacy] [blocksize=N] [holes]',
  read: 'read NAME [OFF [LEN]]',
  write: 'write NAME [OFF [LEN]]',
  munmap: 'munmap NAME',
  madvise: 'madvise NAME dontneed [OFF LEN] | madvise NAME dontfork|dofork|wipeonfork|keeponfork',
  mprotect: 'mprotect NAME ro|rw [OFF LEN]',
  fork: 'fork [CHILD]',
  task: 'task NAME',
  exit: 'exit [NAME]',
  pin: 'pin [HANDLE] NAME OFF LEN [write] [longterm] [fast]',
  get: 'get [HANDLE] NAME OFF LEN [write] [fast]',
  unpin: 'unpin HANDLE [dirty]',
  put: 'put HANDLE',
  dio: 'dio read|write FILE FOFF LEN (NAME [BUFOFF] | NAME+OFF:LEN ...) [async]',
  complete: 'complete [bio#N | all]',
  vfio: 'vfio map HANDLE NAME OFF LEN [write] | vfio unmap HANDLE',
  vmsplice: 'vmsplice PIPE NAME OFF LEN [nonblock]',
  pipe: 'pipe NAME [size=N]',
  pvm: 'pvm read|write [HANDLE] TASK NAME OFF LEN',
  uring: 'uring register HANDLE NAME OFF LEN | uring unregister HANDLE',
  close: 'close HANDLE',
  writeback: 'writeback NAME [OFF [LEN]]',
  label: 'label NAME MAPPING+OFF',
  repeat: 'repeat N',
  end: 'end',
  mark: 'mark TEXT...',
  note: 'note TEXT...',
  show: 'show pagetables|memory|graph|blockio [pagetables|memory|graph|blockio ...] | show all',
  expect: 'expect SUBJECT[.FIELD] OP VALUE [on SELECTOR ...]',
};

/** Statements allowed before `kernel`; everything else counts as an action. */
const HEADER_KEYWORDS: ReadonlySet<string> = new Set(['title', 'kernel', 'mark', 'note', 'show']);

const NAME = /^[A-Za-z_][A-Za-z0-9_-]*$/;
// A handle reference may be one the simulator assigned: pin#1, get#2, dio#1, bio#3.
const HANDLE_REF = /^[A-Za-z_][A-Za-z0-9_-]*(#[0-9]+)?$/;
const BIO_REF = /^bio#[0-9]+$/;
const VALUE_WORD = /^[A-Za-z_][A-Za-z0-9_#-]*$/;
const EMBEDDED_OPERATOR = /==|!=|<=|>=|<|>/;
const RESERVED_HANDLES: ReadonlySet<string> = new Set(['zero', 'hugezero', 'violations', 'leaks', 'all']);

export type ParseResult = { ok: true; scenario: Scenario } | { ok: false; errors: ScenarioError[] };

export function formatError(e: ScenarioError): string {
  return `${e.file}:${e.line}:${e.col}: ${e.message}`;
}

/** The characters that separate words (tabs and a stray CR count as spaces). */
export function isWordSeparator(ch: string): boolean {
  return ch === ' ' || ch === '\t' || ch === '\r' || ch === '\f' || ch === '\v';
}

/** A word for an error message: quoted and escaped like JSON, shortened when huge. */
function quote(word: string): string {
  return JSON.stringify(word.length > 40 ? `${word.slice(0, 40)}...` : word);
}


interface Word {
  text: string;
  /** 1-based column of the word's first character (the opening quote for a quoted word). */
  col: number;
  /** 1-based column just after the word. */
  endCol: number;
  quoted: boolean;
}

interface LexedLine {
  words: Word[];
  comment?: string;
  commentCol?: number;
}

/** A problem on one line; caught per line so that parsing continues with the next one. */
class LineError {
  constructor(
    readonly col: number,
    readonly message: string,
  ) {}
}

function fail(col: number, message: string): never {
  throw new LineError(col, message);
}

// `#` starts a comment only at the start of a word, so that handles such as `pin#3` stay words.
function lexLine(line: string): LexedLine {
  const words: Word[] = [];
  let i = 0;
  while (i < line.length) {
    const ch = line.charAt(i);
    if (isWordSeparator(ch)) {
      i++;
      continue;
    }
    if (ch === '#') return { words, comment: line.slice(i + 1).trimEnd(), commentCol: i + 1 };
    if (ch === '"') {
      let text = '';
      let j = i + 1;
      let closed = false;
      while (j < line.length) {
        const c = line.charAt(j);
        const next = line.charAt(j + 1);
        if (c === '\\' && (next === '"' || next === '\\')) {
          text += next;
          j += 2;
          continue;
        }
        if (c === '"') {
          closed = true;
          break;
        }
        text += c;
        j++;
      }
      if (!closed) fail(i + 1, 'unterminated string (missing closing ")');
      const after = j + 1;
      if (after < line.length && !isWordSeparator(line.charAt(after))) {
        fail(after + 1, 'expected a space after the closing quote');
      }
      words.push({ text, col: i + 1, endCol: after + 1, quoted: true });
      i = after;
      continue;
    }
    let j = i;
    while (j < line.length && !isWordSeparator(line.charAt(j))) j++;
    words.push({ text: line.slice(i, j), col: i + 1, endCol: j + 1, quoted: false });
    i = j;
  }
  return { words };
}

/** Column of character `index` of a word's text (after the opening quote of a quoted word). */
function colInWord(word: Word, index: number): number {
  return word.col + (word.quoted ? 1 : 0) + index;
}

function describeNumberError(word: Word, what: string, reason: 'syntax' | 'range'): string {
  if (reason === 'range') return `number ${quote(word.text)} is too large`;
  if (/^-[0-9]/.test(word.text)) return `${what} cannot be negative (negative numbers appear only in expect)`;
  return `bad number ${quote(word.text)} for ${what} (use decimal, 0x hex, or a size such as 4K, 2M, 1G)`;
}

/** Walks the words after a statement keyword, reporting what is missing at the end of the line. */
class Cursor {
  private index = 0;

  constructor(
    private readonly words: readonly Word[],
    private readonly endCol: number,
    private readonly usage: string,
  ) {}

  peek(): Word | undefined {
    return this.words[this.index];
  }

  take(what: string): Word {
    const word = this.words[this.index];
    if (word === undefined) fail(this.endCol, `missing ${what} (usage: ${this.usage})`);
    this.index++;
    return word;
  }

  takeIf(predicate: (word: Word) => boolean): Word | undefined {
    const word = this.words[this.index];
    if (word === undefined || !predicate(word)) return undefined;
    this.index++;
    return word;
  }

  name(what: string): string {
    return checkName(this.take(what), what);
  }

  handleDefinition(what: string): string {
    return checkHandleDefinition(this.take(what));
  }

  handleReference(what: string): string {
    const word = this.take(what);
    if (!HANDLE_REF.test(word.text)) {
      fail(word.col, `bad handle ${quote(word.text)} (a name such as h1, or an assigned handle such as pin#1)`);
    }
    return word.text;
  }

  number(what: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
    return checkNumber(this.take(what), what, min, max);
  }

  rest(): Word[] {
    const rest = this.words.slice(this.index);
    this.index = this.words.length;
    return rest;
  }

  done(): void {
    const extra = this.words[this.index];
    if (extra !== undefined) fail(extra.col, `unexpected ${quote(extra.text)} (usage: ${this.usage})`);
  }
}

function checkName(word: Word, what: string): string {
  if (!NAME.test(word.text)) {
    fail(word.col, `bad ${what} ${quote(word.text)} (names start with a letter or _ and contain letters, digits, _ and -)`);
  }
  return word.text;
}

function checkHandleDefinition(word: Word): string {
  if (HANDLE_REF.test(word.text) && word.text.includes('#')) {
    fail(word.col, `handle ${quote(word.text)} looks like an assigned one: names with # are given by the simulator`);
  }
  const name = checkName(word, 'HANDLE');
  if (RESERVED_HANDLES.has(name)) fail(word.col, `${quote(name)} is reserved and cannot name a handle`);
  return name;
}

function checkNumber(word: Word, what: string, min: number, max: number): number {
  const reading = readNumber(word.text);
  if (!reading.ok) fail(word.col, describeNumberError(word, what, reading.reason));
  if (reading.value < min) fail(word.col, min === 1 ? `${what} must be greater than 0` : `${what} must be at least ${min}`);
  if (reading.value > max) fail(word.col, `${what} must be at most ${max}`);
  return reading.value;
}

function startsLikeNumber(word: Word | undefined): boolean {
  return word !== undefined && /^[0-9]/.test(word.text);
}

interface OptionSpec {
  name: string;
  takesValue?: boolean;
  /** Options of one group exclude each other (anon | memfd | file=). */
  group?: string;
}

interface OptionUse {
  name: string;
  word: Word;
  value: string;
  valueCol: number;
}

/** Reads trailing options in any order; the result is keyed by group (or by name for ungrouped options). */
function readOptions(words: readonly Word[], specs: readonly OptionSpec[]): Map<string, OptionUse> {
  const used = new Map<string, OptionUse>();
  for (const word of words) {
    const eq = word.text.indexOf('=');
    const key = eq >= 0 ? word.text.slice(0, eq) : word.text;
    const value = eq >= 0 ? word.text.slice(eq + 1) : '';
    const spec = specs.find((s) => s.name === key);
    if (spec === undefined) {
      const names = specs.map((s) => s.name);
      const guess = suggest(key, names);
      const guessSpec = specs.find((s) => s.name === guess);
      const shown = guessSpec === undefined ? undefined : guessSpec.takesValue ? `${guessSpec.name}=${eq >= 0 ? value : '...'}` : guessSpec.name;
      const hint = shown === undefined ? ` (options: ${specs.map((s) => (s.takesValue ? `${s.name}=` : s.name)).join(', ')})` : ` (did you mean ${quote(shown)}?)`;
      fail(word.col, `unknown option ${quote(word.text)}${hint}`);
    }
    if (spec.takesValue && eq < 0) fail(word.col, `option ${quote(key)} needs a value (${key}=...)`);
    if (!spec.takesValue && eq >= 0) fail(word.col, `option ${quote(key)} takes no value`);
    if (spec.takesValue && value === '') fail(colInWord(word, eq + 1), `missing value after ${quote(`${key}=`)}`);
    const group = spec.group ?? spec.name;
    const earlier = used.get(group);
    if (earlier !== undefined) {
      fail(word.col, earlier.name === spec.name ? `option ${quote(key)} given twice` : `${quote(word.text)} conflicts with ${quote(earlier.word.text)}`);
    }
    used.set(group, { name: spec.name, word, value, valueCol: colInWord(word, eq + 1) });
  }
  return used;
}

const MMAP_OPTIONS: readonly OptionSpec[] = [
  { name: 'anon', group: 'backing' },
  { name: 'file', takesValue: true, group: 'backing' },
  { name: 'memfd', group: 'backing' },
  { name: 'private', group: 'sharing' },
  { name: 'shared', group: 'sharing' },
  { name: 'rw', group: 'access' },
  { name: 'ro', group: 'access' },
  { name: 'thp' },
];
const FILE_OPTIONS: readonly OptionSpec[] = [{ name: 'fs', takesValue: true }, { name: 'blocksize', takesValue: true }, { name: 'holes' }];
const MADVICE = ['dontneed', 'dontfork', 'dofork', 'wipeonfork', 'keeponfork'] as const;
const PIN_OPTIONS: readonly OptionSpec[] = [{ name: 'write' }, { name: 'longterm' }, { name: 'fast' }];
const GET_OPTIONS: readonly OptionSpec[] = [{ name: 'write' }, { name: 'fast' }];

interface LineContext {
  line: string;
  keyword: Word;
  args: readonly Word[];
  pos: Pos;
  cursor: Cursor;
}

/** `title`, `mark` and `note` take the rest of the line; a lone quoted string loses its quotes. */
function restOfLine(ctx: LineContext): string {
  const first = ctx.args[0];
  const last = ctx.args[ctx.args.length - 1];
  if (first === undefined || last === undefined) return ctx.cursor.take('TEXT').text;
  if (ctx.args.length === 1 && first.quoted) return first.text;
  return ctx.line.slice(first.col - 1, last.endCol - 1);
}

function parseKernel(ctx: LineContext): Kernel {
  const { cursor } = ctx;
  const presetWord = cursor.take('PRESET');
  // The one kernel-selection checker (shared with --kernel and links), for the words' shape only: whether
  // the preset and toggles exist is the simulator's to judge (see checkKernelWords).
  const check = checkKernelWords([presetWord, ...cursor.rest()], { names: false });
  const first = check.errors[0];
  if (first) fail(first.col, first.message);
  const toggles = check.toggles.map((t) => ({ name: t.name, value: t.value, pos: { line: ctx.pos.line, col: t.col } }));
  return { op: 'kernel', pos: ctx.pos, preset: presetWord.text, toggles };
}

function parseMmap(ctx: LineContext): Statement {
  const { cursor } = ctx;
  const name = cursor.name('NAME');
  const size = cursor.number('SIZE', 1);
  const options = readOptions(cursor.rest(), MMAP_OPTIONS);
  const backingOption = options.get('backing');
  let backing: MapBacking = { kind: 'anon' };
  if (backingOption?.name === 'memfd') backing = { kind: 'memfd' };
  if (backingOption?.name === 'file') {
    const file = backingOption.value;
    if (!NAME.test(file)) fail(backingOption.valueCol, `bad FILE ${quote(file)} (the name of a file statement)`);
    backing = { kind: 'file', file };
  }
  return {
    op: 'mmap',
    pos: ctx.pos,
    name,
    size,
    backing,
    shared: options.get('sharing')?.name === 'shared',
    writable: options.get('access')?.name !== 'ro',
    thp: options.has('thp'),
  };
}

function parseFile(ctx: LineContext): Statement {
  const { cursor } = ctx;
  const name = cursor.name('NAME');
  const size = cursor.number('SIZE');
  const options = readOptions(cursor.rest(), FILE_OPTIONS);
  let fs: (typeof FS_KINDS)[number] = 'iomap';
  const fsOption = options.get('fs');
  if (fsOption !== undefined) {
    const known = FS_KINDS.find((k) => k === fsOption.value);
    if (known === undefined) {
      fail(fsOption.valueCol, `unknown fs ${quote(fsOption.value)} (expected ${FS_KINDS.join(', ')})${didYouMean(fsOption.value, FS_KINDS)}`);
    }
    fs = known;
  }
  let blocksize = 4096;
  const blocksizeOption = options.get('blocksize');
  if (blocksizeOption !== undefined) {
    const reading = readNumber(blocksizeOption.value);
    const valueWord: Word = { text: blocksizeOption.value, col: blocksizeOption.valueCol, endCol: 0, quoted: false };
    if (!reading.ok) fail(blocksizeOption.valueCol, describeNumberError(valueWord, 'blocksize', reading.reason));
    const value = reading.value;
    if (value < 512 || value > 65536 || (value & (value - 1)) !== 0) {
      fail(blocksizeOption.valueCol, `blocksize must be a power of two from 512 to 64K, got ${quote(blocksizeOption.value)}`);
    }
    blocksize = value;
  }
  const holes = options.get('holes');
  if (holes !== undefined && fs === 'blockdev') fail(holes.word.col, '"holes" does not apply to fs=blockdev (a block device has no holes)');
  if (holes !== undefined && fs === 'fat') fail(holes.word.col, '"holes" does not apply to fs=fat (FAT files are never sparse)');
  return { op: 'file', pos: ctx.pos, name, size, fs, blocksize, holes: holes !== undefined };
}

function parseRange(ctx: LineContext, op: 'read' | 'write' | 'writeback'): Access | Writeback {
  const { cursor } = ctx;
  const name = cursor.name('NAME');
  const offWord = cursor.takeIf(() => true);
  const lenWord = cursor.takeIf(() => true);
  cursor.done();
  const access: Access | Writeback = { op, pos: ctx.pos, name };
  if (offWord !== undefined) access.off = checkNumber(offWord, 'OFF', 0, Number.MAX_SAFE_INTEGER);
  if (lenWord !== undefined) access.len = checkNumber(lenWord, 'LEN', 1, Number.MAX_SAFE_INTEGER);
  return access;
}

function parseMadvise(ctx: LineContext): Statement {
  const { cursor } = ctx;
  const name = cursor.name('NAME');
  const advice = cursor.take('ADVICE');
  const known = MADVICE.find((a) => a === advice.text);
  if (known === undefined) {
    const hint = didYouMean(advice.text, MADVICE) || ` (${MADVICE.join(', ')})`;
    fail(advice.col, `unknown advice ${quote(advice.text)}${hint}`);
  }
  const madvise: Madvise = { op: 'madvise', pos: ctx.pos, name, advice: known };
  const extra = cursor.peek();
  // The fork flags are VMA flags; pinscope sets them on a whole mapping (the kernel would split the VMA).
  if (extra !== undefined && known !== 'dontneed') fail(extra.col, `${known} applies to the whole mapping here (usage: ${USAGE.madvise})`);
  if (extra !== undefined) {
    madvise.off = cursor.number('OFF');
    madvise.len = cursor.number('LEN', 1);
  }
  cursor.done();
  return madvise;
}

function parseMprotect(ctx: LineContext): Statement {
  const { cursor } = ctx;
  const name = cursor.name('NAME');
  const prot = cursor.take('ro|rw');
  if (prot.text !== 'ro' && prot.text !== 'rw') {
    // PROT_NONE and PROT_EXEC change nothing pinscope models, so only these two are accepted.
    fail(prot.col, `expected ro or rw, got ${quote(prot.text)}${didYouMean(prot.text, ['ro', 'rw'])}`);
  }
  const mprotect: Mprotect = { op: 'mprotect', pos: ctx.pos, name, writable: prot.text === 'rw' };
  if (cursor.peek() !== undefined) {
    mprotect.off = cursor.number('OFF');
    mprotect.len = cursor.number('LEN', 1);
  }
  cursor.done();
  return mprotect;
}

function parsePinOrGet(ctx: LineContext, op: 'pin' | 'get'): Statement {
  const { cursor, args } = ctx;
  // Names never start with a digit, so a number in the second position means no handle was given.
  const hasHandle = args.length >= 2 && !startsLikeNumber(args[1]);
  const handle = hasHandle ? cursor.handleDefinition('HANDLE') : undefined;
  const name = cursor.name('NAME');
  const off = cursor.number('OFF');
  const len = cursor.number('LEN', 1);
  const optionWords = cursor.rest();
  if (op === 'get') {
    const longterm = optionWords.find((w) => w.text === 'longterm');
    if (longterm !== undefined) fail(longterm.col, 'longterm applies only to pin (FOLL_LONGTERM needs FOLL_PIN)');
  }
  const options = readOptions(optionWords, op === 'pin' ? PIN_OPTIONS : GET_OPTIONS);
  const pin: Pin = {
    op,
    pos: ctx.pos,
    name,
    off,
    len,
    write: options.has('write'),
    longterm: options.has('longterm'),
    fast: options.has('fast'),
  };
  if (handle !== undefined) pin.handle = handle;
  return pin;
}

function parseDio(ctx: LineContext): Statement {
  const { cursor } = ctx;
  const dirWord = cursor.take('read|write');
  if (dirWord.text !== 'read' && dirWord.text !== 'write') {
    fail(dirWord.col, `expected read or write, got ${quote(dirWord.text)}${didYouMean(dirWord.text, ['read', 'write'])}`);
  }
  const file = cursor.name('FILE');
  const foff = cursor.number('FOFF');
  const len = cursor.number('LEN', 1);
  if (cursor.peek()?.text.includes('+')) return parseDioIovecs(ctx, dirWord.text, file, foff, len);
  const name = cursor.name('NAME');
  const bufoffWord = cursor.takeIf(startsLikeNumber);
  const bufoff = bufoffWord === undefined ? 0 : checkNumber(bufoffWord, 'BUFOFF', 0, Number.MAX_SAFE_INTEGER);
  const options = readOptions(cursor.rest(), [{ name: 'async' }]);
  return { op: 'dio', pos: ctx.pos, dir: dirWord.text, file, foff, len, name, bufoff, async: options.has('async') };
}

/** One iovec of a dio: NAME+OFF:LEN. */
function parseIovec(word: Word): DioIovec {
  const m = /^([^+]*)\+([^:]*):(.*)$/.exec(word.text);
  if (!m) fail(word.col, `expected an iovec NAME+OFF:LEN such as buf+0x1000:4K, got ${quote(word.text)}`);
  const [, mapping, offText, lenText] = m;
  if (!NAME.test(mapping!)) fail(word.col, `bad mapping name ${quote(mapping!)} in ${quote(word.text)}`);
  const offCol = colInWord(word, mapping!.length + 1);
  const lenCol = colInWord(word, mapping!.length + 1 + offText!.length + 1);
  const off = checkNumber({ text: offText!, col: offCol, endCol: 0, quoted: false }, 'OFF', 0, Number.MAX_SAFE_INTEGER);
  const len = checkNumber({ text: lenText!, col: lenCol, endCol: 0, quoted: false }, 'LEN', 1, Number.MAX_SAFE_INTEGER);
  return { name: mapping!, off, len, pos: { line: 0, col: word.col } };
}

/** `dio read|write FILE FOFF LEN NAME+OFF:LEN [NAME+OFF:LEN ...] [async]`: preadv/pwritev with iovecs. */
function parseDioIovecs(ctx: LineContext, dir: 'read' | 'write', file: string, foff: number, len: number): Statement {
  const { cursor } = ctx;
  const iov: DioIovec[] = [];
  for (let w = cursor.peek(); w !== undefined && w.text.includes('+'); w = cursor.peek()) {
    cursor.take('NAME+OFF:LEN');
    iov.push({ ...parseIovec(w), pos: { line: ctx.pos.line, col: w.col } });
  }
  const total = iov.reduce((n, v) => n + v.len, 0);
  if (total !== len) fail(iov[0]!.pos.col, `the iovecs add up to ${total} bytes, not LEN (${len})`);
  const next = cursor.peek();
  if (next !== undefined && startsLikeNumber(next)) fail(next.col, 'BUFOFF does not go with iovecs: give each iovec its offset (NAME+OFF:LEN)');
  const options = readOptions(cursor.rest(), [{ name: 'async' }]);
  return { op: 'dio', pos: ctx.pos, dir, file, foff, len, name: iov[0]!.name, bufoff: iov[0]!.off, async: options.has('async'), iov };
}

function parseComplete(ctx: LineContext): Statement {
  const { cursor } = ctx;
  const target = cursor.takeIf(() => true);
  cursor.done();
  if (target === undefined || target.text === 'all') return { op: 'complete', pos: ctx.pos };
  if (!BIO_REF.test(target.text)) fail(target.col, `expected bio#N or all, got ${quote(target.text)}`);
  return { op: 'complete', pos: ctx.pos, bio: target.text };
}

function parseVfio(ctx: LineContext): Statement {
  const { cursor } = ctx;
  const action = cursor.take('map|unmap');
  if (action.text === 'unmap') {
    const handle = cursor.handleReference('HANDLE');
    cursor.done();
    return { op: 'vfio-unmap', pos: ctx.pos, handle };
  }
  if (action.text !== 'map') {
    fail(action.col, `expected map or unmap, got ${quote(action.text)}${didYouMean(action.text, ['map', 'unmap'])}`);
  }
  const handle = cursor.handleDefinition('HANDLE');
  const name = cursor.name('NAME');
  const off = cursor.number('OFF');
  const len = cursor.number('LEN', 1);
  const options = readOptions(cursor.rest(), [{ name: 'write' }]);
  return { op: 'vfio-map', pos: ctx.pos, handle, name, off, len, write: options.has('write') };
}

function parsePvm(ctx: LineContext): Statement {
  const { cursor, args } = ctx;
  const dirWord = cursor.take('read|write');
  if (dirWord.text !== 'read' && dirWord.text !== 'write') {
    fail(dirWord.col, `expected read or write, got ${quote(dirWord.text)}${didYouMean(dirWord.text, ['read', 'write'])}`);
  }
  // Names never start with a digit: three names before the offset mean a handle was given.
  const hasHandle = args.length >= 4 && !startsLikeNumber(args[3]);
  const handle = hasHandle ? cursor.handleDefinition('HANDLE') : undefined;
  const task = cursor.name('TASK');
  const name = cursor.name('NAME');
  const off = cursor.number('OFF');
  const len = cursor.number('LEN', 1);
  cursor.done();
  return { op: 'pvm', pos: ctx.pos, dir: dirWord.text, ...(handle !== undefined ? { handle } : {}), task, name, off, len };
}

function parseUring(ctx: LineContext): Statement {
  const { cursor } = ctx;
  const action = cursor.take('register|unregister');
  if (action.text === 'unregister') {
    const handle = cursor.handleReference('HANDLE');
    cursor.done();
    return { op: 'uring-unregister', pos: ctx.pos, handle };
  }
  if (action.text !== 'register') {
    fail(action.col, `expected register or unregister, got ${quote(action.text)}${didYouMean(action.text, ['register', 'unregister'])}`);
  }
  const handle = cursor.handleDefinition('HANDLE');
  const name = cursor.name('NAME');
  const off = cursor.number('OFF');
  const len = cursor.number('LEN', 1);
  cursor.done();
  return { op: 'uring-register', pos: ctx.pos, handle, name, off, len };
}

/** One alternative of an `on` selector: a preset, a comparison with a preset, or toggle=value. */
const KERNEL_SELECTOR = /^(?:(?:<=|>=|<|>)?(?:v\d+\.\d+|latest)|[a-z][a-z-]*=[a-z][a-z-]*)$/;

/** Words a speaker may reach for that are not view names, and the view each one means (for the suggestion only). */
const VIEW_ALIASES: Readonly<Record<string, ViewName>> = {
  refcount: 'graph', refcounts: 'graph', refgraph: 'graph', holders: 'graph',
  pages: 'memory', frames: 'memory', folios: 'memory',
  pte: 'pagetables', ptes: 'pagetables', tables: 'pagetables', pt: 'pagetables',
  bio: 'blockio', bios: 'blockio', block: 'blockio', io: 'blockio',
};

/** `show VIEW...` or `show all`: the views presentation mode shows from here on. */
function parseShow(ctx: LineContext): Show {
  const { cursor, pos } = ctx;
  const first = cursor.take('view name');
  const words = [first, ...cursor.rest()];
  const names: readonly string[] = [...VIEW_NAMES, 'all'];
  const views: ViewName[] = [];
  for (const word of words) {
    const known = names.find((n) => n === word.text);
    if (known === undefined) {
      const guess = suggest(word.text, names) ?? VIEW_ALIASES[word.text.toLowerCase()];
      const hint = guess === undefined ? ` (views: ${names.join(', ')})` : ` (did you mean ${quote(guess)}?)`;
      fail(word.col, `unknown view ${quote(word.text)}${hint}`);
    }
    if (known === 'all') {
      if (words.length > 1) fail(word.col, `"all" stands alone: it shows every view (usage: ${USAGE.show})`);
      return { op: 'show', pos, views: 'all' };
    }
    if (views.includes(known as ViewName)) fail(word.col, `view ${quote(known)} is already named on this line`);
    views.push(known as ViewName);
  }
  return { op: 'show', pos, views };
}

function parseLabel(ctx: LineContext): Label {
  const { cursor } = ctx;
  const name = cursor.handleDefinition('NAME');
  const target = cursor.take('MAPPING+OFF');
  cursor.done();
  const plus = target.text.indexOf('+');
  if (plus < 0) fail(target.col, `expected MAPPING+OFF such as buf+0x3000, got ${quote(target.text)}`);
  const mapping = target.text.slice(0, plus);
  if (!NAME.test(mapping)) fail(target.col, `bad mapping name ${quote(mapping)} in ${quote(target.text)}`);
  const offCol = colInWord(target, plus + 1);
  const offText = target.text.slice(plus + 1);
  const reading = readNumber(offText);
  if (!reading.ok) fail(offCol, describeNumberError({ text: offText, col: offCol, endCol: 0, quoted: false }, 'OFF', reading.reason));
  return { op: 'label', pos: ctx.pos, name, mapping, offset: reading.value };
}

function parseExpect(ctx: LineContext, labels: ReadonlySet<string>): Expect {
  const { cursor } = ctx;
  const subjectWord = cursor.take('SUBJECT');
  const embedded = EMBEDDED_OPERATOR.exec(subjectWord.text);
  if (embedded !== null) {
    fail(colInWord(subjectWord, embedded.index), `put spaces around the operator (usage: ${USAGE.expect})`);
  }
  const subject = parseSubject(subjectWord, labels);

  const opWord = cursor.take('OP');
  const cmp = COMPARE_OPS.find((op) => op === opWord.text);
  if (cmp === undefined) {
    const leading = /^(==|!=|<=|>=|<|>)./.exec(opWord.text);
    if (leading !== null) fail(opWord.col, `put spaces around the operator (usage: ${USAGE.expect})`);
    fail(opWord.col, `unknown operator ${quote(opWord.text)}${didYouMean(opWord.text, COMPARE_OPS) || ' (use ==, !=, <, <=, > or >=)'}`);
  }
  const valueWord = cursor.take('VALUE');
  const onWord = cursor.takeIf((w) => w.text === 'on');
  const selectors: { text: string; pos: Pos }[] = [];
  if (onWord) {
    for (const w of cursor.rest()) {
      for (const alternative of w.text.split(',')) {
        if (!KERNEL_SELECTOR.test(alternative)) {
          fail(w.col, `bad kernel selector ${quote(w.text)} (a preset such as v6.4, a comparison such as >=v6.5 or <v6.2, or a toggle such as zero-pin=skip; alternatives joined by commas)`);
        }
      }
      selectors.push({ text: w.text, pos: { line: ctx.pos.line, col: w.col } });
    }
    if (selectors.length === 0) fail(onWord.endCol, `missing kernel selector after "on" (usage: ${USAGE.expect})`);
  }
  cursor.done();
  const value = parseExpectValue(valueWord);
  checkExpectValue(subject, cmp, opWord, value, valueWord);

  const expect: Expect = {
    op: 'expect',
    pos: ctx.pos,
    subject: subject.name,
    cmp,
    value,
    text: ctx.line.slice(ctx.keyword.col - 1, valueWord.endCol - 1),
  };
  if (subject.offset !== undefined) expect.offset = subject.offset;
  if (subject.family === 'pte') expect.field = `pte.${subject.field ?? 'present'}`;
  else if (subject.field !== undefined) expect.field = subject.field;
  if (selectors.length > 0) expect.on = selectors;
  return expect;
}

interface Subject {
  name: string;
  offset?: number;
  field?: string;
  family: SubjectFamily;
  label: string;
}

const FAMILY_NAMES: Record<Exclude<SubjectFamily, 'run'>, string> = {
  folio: 'a folio',
  pte: 'a page table entry',
  bio: 'a bio',
  dio: 'a dio',
  handle: 'a handle',
};

function parseSubject(word: Word, labels: ReadonlySet<string>): Subject {
  const text = word.text;
  // NAME+OFF.pte[.BIT]: the page table entry, not the folio it maps.
  const pteAt = text.indexOf('.pte');
  const isPte = pteAt > 0 && text.includes('+') && (text.length === pteAt + 4 || text.charAt(pteAt + 4) === '.');
  const head = isPte ? text.slice(0, pteAt) : text;
  const dot = isPte ? (text.length === pteAt + 4 ? -1 : pteAt + 4) : text.lastIndexOf('.');
  const base = dot >= 0 ? text.slice(0, isPte ? pteAt : dot) : head;
  const field = dot >= 0 ? text.slice(dot + 1) : undefined;
  const fieldCol = colInWord(word, dot + 1);
  let subject: Subject;

  const plus = base.indexOf('+');
  if (plus >= 0) {
    const name = base.slice(0, plus);
    if (!NAME.test(name)) {
      fail(word.col, `bad mapping name ${quote(name)} in ${quote(base)} (expected NAME+OFF such as buf+0x3000)`);
    }
    const offText = base.slice(plus + 1);
    const offCol = colInWord(word, plus + 1);
    const reading = readNumber(offText);
    if (!reading.ok) {
      fail(offCol, describeNumberError({ text: offText, col: offCol, endCol: 0, quoted: false }, 'OFF', reading.reason));
    }
    subject = isPte ? { name, offset: reading.value, family: 'pte', label: `${base}.pte` } : { name, offset: reading.value, family: 'folio', label: base };
  } else if (labels.has(base)) {
    subject = { name: base, family: 'folio', label: base };
  } else if (base === 'zero' || base === 'hugezero') {
    subject = { name: base, family: 'folio', label: base };
  } else if (base === 'violations' || base === 'leaks') {
    subject = { name: base, family: 'run', label: base };
  } else if (HANDLE_REF.test(base)) {
    const family = /^bio#[0-9]+$/.test(base) ? 'bio' : /^dio#[0-9]+$/.test(base) ? 'dio' : 'handle';
    subject = { name: base, family, label: base };
  } else {
    fail(word.col, `bad subject ${quote(base)} (zero, hugezero, violations, leaks, NAME+OFF or a handle)`);
  }

  if (subject.family === 'run') {
    if (field !== undefined) fail(fieldCol, `${subject.label} takes no field`);
    return subject;
  }
  if (field === undefined) return subject;
  const fields = EXPECT_FIELDS[subject.family];
  if (subject.family === 'folio' && EXPECT_FIELDS.pte.includes(field) && !fields.includes(field) && subject.offset !== undefined) {
    fail(fieldCol, `${quote(field)} is a bit of the page table entry: write ${subject.label}.pte.${field}`);
  }
  if (field === '') fail(fieldCol, `missing field after "." (${FAMILY_NAMES[subject.family]} has ${fields.join(', ')})`);
  if (!fields.includes(field)) {
    const known = Object.values(EXPECT_FIELDS).some((list) => list.includes(field));
    const hint = known ? '' : didYouMean(field, fields);
    const has = `${FAMILY_NAMES[subject.family]} has ${fields.join(', ')}`;
    const folioHint = subject.family === 'handle' && EXPECT_FIELDS.folio.includes(field) ? `; for a page of a mapping write ${base}+0.${field}` : '';
    fail(fieldCol, known ? `${quote(subject.label)} has no field ${quote(field)} (${has}${folioHint})` : `unknown field ${quote(field)}${hint || ` (${has})`}`);
  }
  subject.field = field;
  return subject;
}

function parseExpectValue(word: Word): ExpectValue {
  const text = word.text;
  if (text === 'true' || text === 'false') return { type: 'bool', value: text === 'true' };
  const errno = parseErrnoName(text);
  if (errno !== undefined) return { type: 'errno', name: errno };
  if (/^-?[0-9]/.test(text)) {
    const reading = readSignedNumber(text);
    if (!reading.ok) {
      fail(word.col, reading.reason === 'range' ? `number ${quote(text)} is too large` : `bad number ${quote(text)} (use decimal, 0x hex, or a size such as 4K)`);
    }
    return { type: 'number', value: reading.value };
  }
  if (VALUE_WORD.test(text)) return { type: 'word', value: text };
  fail(word.col, `bad value ${quote(text)} (a number, an error name such as -ENOMEM, true, false or a word)`);
}

function checkExpectValue(subject: Subject, cmp: CompareOp, opWord: Word, value: ExpectValue, valueWord: Word): void {
  const what = subject.field === undefined ? subject.label : `${subject.label}.${subject.field}`;
  let type: ValueType = 'count';
  if (subject.family !== 'run') {
    const types = FIELD_TYPES[subject.family];
    type = types[subject.field ?? EXPECT_FIELDS[subject.family][0] ?? ''] ?? 'word';
  }
  const equalityOnly = (reason: string): void => {
    if (cmp !== '==' && cmp !== '!=') fail(opWord.col, `${reason}: use == or !=`);
  };
  const wrongValue = (expected: string): void => {
    fail(valueWord.col, `${what} compares with ${expected}, got ${quote(valueWord.text)}`);
  };

  if (value.type === 'errno' && !ERRNO_NAMES.includes(value.name)) {
    const guess = suggest(value.name, ERRNO_NAMES);
    fail(valueWord.col, `unknown error name ${quote(valueWord.text)}${guess === undefined ? '' : ` (did you mean ${quote(`-${guess}`)}?)`}`);
  }
  switch (type) {
    case 'count':
      if (value.type !== 'number') wrongValue('a number');
      return;
    case 'result':
      if (value.type === 'errno') equalityOnly('error names are compared for equality');
      else if (value.type !== 'number') wrongValue('a number of pages or an error name such as -ENOMEM');
      return;
    case 'bool':
      if (value.type !== 'bool') wrongValue('true or false');
      equalityOnly(`${what} is true or false`);
      return;
    case 'kind':
      if (value.type !== 'word' || !(FOLIO_KINDS as readonly string[]).includes(value.value)) {
        fail(valueWord.col, `${what} is one of ${FOLIO_KINDS.join(', ')}, got ${quote(valueWord.text)}${didYouMean(valueWord.text, FOLIO_KINDS)}`);
      }
      equalityOnly(`${what} is a kind`);
      return;
    case 'word':
      if (value.type !== 'word') wrongValue('a word');
      equalityOnly(`${what} is a word`);
      return;
  }
}

interface RepeatFrame {
  repeat: Repeat;
}

class ScenarioParser {
  readonly errors: ScenarioError[] = [];
  readonly statements: (Statement | Trivia)[] = [];
  private readonly frames: RepeatFrame[] = [];
  private kernelAt: Pos | undefined;
  private titleAt: Pos | undefined;
  private firstAction: { op: string; pos: Pos } | undefined;
  /** Names given by `label` so far: later expectations read them as folios. */
  private readonly labels = new Set<string>();
  stopped = false;

  constructor(private readonly file: string) {}

  error(line: number, col: number, message: string): void {
    if (this.stopped) return;
    if (this.errors.length >= LIMITS.maxErrors) {
      this.errors.push({ file: this.file, line, col, message: `too many errors (stopped after ${LIMITS.maxErrors})` });
      this.stopped = true;
      return;
    }
    this.errors.push({ file: this.file, line, col, message });
  }

  private body(): (Statement | Trivia)[] {
    return this.frames[this.frames.length - 1]?.repeat.body ?? this.statements;
  }

  parseLine(lineNo: number, line: string): void {
    if (line.length > LIMITS.maxLineLength) {
      this.error(lineNo, LIMITS.maxLineLength + 1, `line too long (${line.length} characters; the limit is ${LIMITS.maxLineLength})`);
      return;
    }
    try {
      const lexed = lexLine(line);
      const [keyword, ...args] = lexed.words;
      if (keyword === undefined) {
        const trivia: Trivia = { op: 'trivia', pos: { line: lineNo, col: lexed.commentCol ?? 1 } };
        if (lexed.comment !== undefined) trivia.comment = lexed.comment;
        this.body().push(trivia);
        return;
      }
      const endCol = args[args.length - 1]?.endCol ?? keyword.endCol;
      const pos: Pos = { line: lineNo, col: keyword.col };
      if (keyword.text === 'end') {
        this.parseEnd(pos, new Cursor(args, endCol, USAGE.end), lexed.comment);
        return;
      }
      const known = STATEMENT_KEYWORDS.find((k): k is Exclude<StatementKeyword, 'end'> => k !== 'end' && k === keyword.text);
      if (known === undefined) {
        fail(keyword.col, `unknown statement ${quote(keyword.text)}${didYouMean(keyword.text, STATEMENT_KEYWORDS)}`);
      }
      // A malformed action still counts, so a later `kernel` line is reported now rather than after the fix.
      if (!HEADER_KEYWORDS.has(known) && this.firstAction === undefined) this.firstAction = { op: known, pos };
      const ctx: LineContext = { line, keyword, args, pos, cursor: new Cursor(args, endCol, USAGE[known]) };
      let statement: Statement;
      try {
        statement = this.parseStatement(known, ctx);
      } catch (e) {
        // Keep a malformed repeat open so that its `end` is not reported as stray as well.
        if (known === 'repeat') this.frames.push({ repeat: { op: 'repeat', pos, count: 0, body: [], endPos: pos } });
        throw e;
      }
      if (lexed.comment !== undefined) statement.comment = lexed.comment;
      this.body().push(statement);
      if (statement.op === 'repeat') this.frames.push({ repeat: statement });
    } catch (e) {
      if (!(e instanceof LineError)) throw e;
      this.error(lineNo, e.col, e.message);
    }
  }

  private parseEnd(pos: Pos, cursor: Cursor, comment: string | undefined): void {
    const frame = this.frames.pop();
    if (frame === undefined) fail(pos.col, 'end without repeat');
    frame.repeat.endPos = pos;
    if (comment !== undefined) frame.repeat.endComment = comment;
    cursor.done();
  }

  private parseStatement(keyword: Exclude<StatementKeyword, 'end'>, ctx: LineContext): Statement {
    const { cursor, pos } = ctx;
    switch (keyword) {
      case 'title':
        if (this.frames.length > 0) fail(ctx.keyword.col, 'title belongs at the top level, not inside repeat');
        if (this.titleAt !== undefined) fail(ctx.keyword.col, `title may appear only once (first at line ${this.titleAt.line})`);
        this.titleAt = pos;
        return { op: 'title', pos, text: restOfLine(ctx) };
      case 'kernel':
        if (this.kernelAt !== undefined) fail(ctx.keyword.col, `kernel may appear only once (first at line ${this.kernelAt.line})`);
        if (this.firstAction !== undefined) {
          fail(ctx.keyword.col, `kernel must come before the first action (${quote(this.firstAction.op)} at line ${this.firstAction.pos.line})`);
        }
        this.kernelAt = pos;
        return parseKernel(ctx);
      case 'mark':
      case 'note':
        return { op: keyword, pos, text: restOfLine(ctx) };
      case 'show':
        return parseShow(ctx);
      case 'mmap':
        return parseMmap(ctx);
      case 'file':
        return parseFile(ctx);
      case 'read':
      case 'write':
      case 'writeback':
        return parseRange(ctx, keyword);
      case 'munmap': {
        const name = cursor.name('NAME');
        cursor.done();
        return { op: 'munmap', pos, name };
      }
      case 'madvise':
        return parseMadvise(ctx);
      case 'mprotect':
        return parseMprotect(ctx);
      case 'fork': {
        const child = cursor.takeIf(() => true);
        cursor.done();
        return child === undefined ? { op: 'fork', pos } : { op: 'fork', pos, child: checkName(child, 'CHILD') };
      }
      case 'task': {
        const name = cursor.name('NAME');
        cursor.done();
        return { op: 'task', pos, name };
      }
      case 'exit': {
        const name = cursor.takeIf(() => true);
        cursor.done();
        return name === undefined ? { op: 'exit', pos } : { op: 'exit', pos, name: checkName(name, 'NAME') };
      }
      case 'pin':
      case 'get':
        return parsePinOrGet(ctx, keyword);
      case 'unpin': {
        const handle = cursor.handleReference('HANDLE');
        const options = readOptions(cursor.rest(), [{ name: 'dirty' }]);
        return { op: 'unpin', pos, handle, dirty: options.has('dirty') };
      }
      case 'put': {
        const handle = cursor.handleReference('HANDLE');
        cursor.done();
        return { op: 'put', pos, handle, dirty: false };
      }
      case 'dio':
        return parseDio(ctx);
      case 'complete':
        return parseComplete(ctx);
      case 'vfio':
        return parseVfio(ctx);
      case 'pvm':
        return parsePvm(ctx);
      case 'uring':
        return parseUring(ctx);
      case 'vmsplice': {
        const handle = cursor.handleDefinition('PIPE');
        const name = cursor.name('NAME');
        const off = cursor.number('OFF');
        const len = cursor.number('LEN', 1);
        const options = readOptions(cursor.rest(), [{ name: 'nonblock' }]);
        return { op: 'vmsplice', pos, handle, name, off, len, nonblock: options.has('nonblock') };
      }
      case 'pipe': {
        const name = cursor.handleDefinition('NAME');
        const options = readOptions(cursor.rest(), [{ name: 'size', takesValue: true }]);
        const size = options.get('size');
        if (size === undefined) return { op: 'pipe', pos, name };
        const word: Word = { text: size.value, col: size.valueCol, endCol: 0, quoted: false };
        // F_SETPIPE_SZ takes an unsigned int and refuses more than 2^31 bytes (round_pipe_size).
        return { op: 'pipe', pos, name, size: checkNumber(word, 'size', 1, 2 ** 31) };
      }
      case 'label': {
        const label = parseLabel(ctx);
        this.labels.add(label.name);
        return label;
      }
      case 'close': {
        const handle = cursor.handleReference('HANDLE');
        cursor.done();
        return { op: 'close', pos, handle };
      }
      case 'repeat': {
        const count = cursor.number('N', 0, LIMITS.maxRepeatCount);
        cursor.done();
        if (this.frames.length >= LIMITS.maxRepeatDepth) {
          fail(ctx.keyword.col, `repeat nested too deeply (the limit is ${LIMITS.maxRepeatDepth} levels)`);
        }
        return { op: 'repeat', pos, count, body: [], endPos: pos };
      }
      case 'expect':
        return parseExpect(ctx, this.labels);
    }
  }

  finish(): void {
    for (const frame of this.frames) {
      this.error(frame.repeat.pos.line, frame.repeat.pos.col, 'repeat without end');
    }
  }
}

function parseText(text: unknown, file: string): ParseResult {
  const failWith = (line: number, col: number, message: string): ParseResult => ({ ok: false, errors: [{ file, line, col, message }] });
  if (typeof text !== 'string') return failWith(1, 1, 'scenario is not text');
  if (text.length > LIMITS.maxChars) {
    return failWith(1, 1, `scenario too long (${text.length} characters; the limit is ${LIMITS.maxChars})`);
  }
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body === '') return { ok: true, scenario: { statements: [] } };
  const lines = body.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  if (lines.length > LIMITS.maxLines) {
    return failWith(LIMITS.maxLines + 1, 1, `too many lines (${lines.length}; the limit is ${LIMITS.maxLines})`);
  }

  const parser = new ScenarioParser(file);
  for (let i = 0; i < lines.length && !parser.stopped; i++) {
    const raw = lines[i] ?? '';
    parser.parseLine(i + 1, raw.endsWith('\r') ? raw.slice(0, -1) : raw);
  }
  if (!parser.stopped) parser.finish();
  if (parser.errors.length > 0) {
    const errors = [...parser.errors].sort((a, b) => a.line - b.line || a.col - b.col);
    return { ok: false, errors };
  }
  return { ok: true, scenario: { statements: parser.statements } };
}

/** Parses a whole scenario. Never throws; errors carry file, line and 1-based column. */
export function parseScenario(text: string, file = 'scenario.scn'): ParseResult {
  try {
    return parseText(text, file);
  } catch (e) {
    const detail = e instanceof Error ? e.message : 'unknown failure';
    return { ok: false, errors: [{ file, line: 1, col: 1, message: `internal parser error: ${detail}` }] };
  }
}

/**
 * Parses a kernel selection such as `v6.1 zero-pin=skip` (the `--kernel` option of the command line) into a
 * `kernel` statement, with the core's kernel-selection checker. Columns are relative to the given text.
 */
export function parseKernelSpec(spec: string, file = '--kernel'): { ok: true; kernel: Kernel } | { ok: false; errors: ScenarioError[] } {
  const check = checkKernelSpec(spec);
  if (!check.ok) return { ok: false, errors: check.errors.map((e) => ({ file, line: 1, col: e.col, message: e.message })) };
  const pos = { line: 1, col: 1 };
  return { ok: true, kernel: { op: 'kernel', pos, preset: check.config.preset, toggles: check.toggles.map((t) => ({ name: t.name, value: t.value, pos: { line: 1, col: t.col } })) } };
}
