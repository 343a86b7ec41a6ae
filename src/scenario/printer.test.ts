import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CompareOp, Expect, ExpectValue, Kernel, Pos, Repeat, Scenario, Statement, Title, Trivia } from '../core/ast';
import { VIEW_NAMES } from '../core/ast';
import { ERRNO_NAMES, FOLIO_KINDS, formatError, parseScenario } from './parser';
import { formatText, printScenario, printStatement } from './printer';

const P: Pos = { line: 0, col: 0 };

function withoutPositions(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPositions);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (key === 'pos' || key === 'endPos' || v === undefined) continue;
      out[key] = withoutPositions(v);
    }
    return out;
  }
  return value;
}

function parseOk(text: string): Scenario {
  const result = parseScenario(text);
  if (!result.ok) throw new Error(`expected a scenario, got:\n${result.errors.map(formatError).join('\n')}\nfor:\n${text}`);
  return result.scenario;
}

/** Parses one line and prints its statement back. */
function reprint(line: string): string {
  const [statement] = parseOk(line).statements;
  if (statement === undefined) throw new Error('no statement');
  return printStatement(statement);
}

describe('printStatement', () => {
  it.each([
    ['title  Zero   page', 'title Zero   page'],
    ['title "  padded"', 'title "  padded"'],
    ['title "a # b"', 'title "a # b"'],
    ['title a#b', 'title a#b'],
    ['note "say \\"hi\\""', 'note "say \\"hi\\""'],
    ['mark Submit', 'mark Submit'],
    ['kernel v6.1', 'kernel v6.1'],
    ['kernel v6.1  zero-pin=skip dio=pin', 'kernel v6.1 zero-pin=skip dio=pin'],
    ['mmap buf 16384', 'mmap buf 16K'],
    ['mmap buf 16K anon private rw', 'mmap buf 16K'],
    ['mmap m 0x200000 thp ro shared file=data', 'mmap m 2M file=data shared ro thp'],
    ['mmap m 4097 memfd', 'mmap m 4097 memfd'],
    ['file out 64K fs=iomap blocksize=4K', 'file out 64K'],
    ['file out 0 holes blocksize=512 fs=legacy', 'file out 0 fs=legacy blocksize=512 holes'],
    ['file dev 1G fs=blockdev blocksize=0x10000', 'file dev 1G fs=blockdev blocksize=64K'],
    ['read buf', 'read buf'],
    ['read buf 0x1000', 'read buf 4K'],
    ['write buf 100 3000', 'write buf 100 3000'],
    ['writeback buf', 'writeback buf'],
    ['writeback buf 0x1000 0x2000', 'writeback buf 4K 8K'],
    ['munmap buf', 'munmap buf'],
    ['madvise buf dontneed', 'madvise buf dontneed'],
    ['madvise buf dontneed 0 8192', 'madvise buf dontneed 0 8K'],
    ['fork', 'fork'],
    ['fork kid', 'fork kid'],
    ['task main', 'task main'],
    ['exit', 'exit'],
    ['exit kid', 'exit kid'],
    ['pin buf 0 16K', 'pin buf 0 16K'],
    ['pin p buf 4096 4096 fast longterm write', 'pin p buf 4K 4K write longterm fast'],
    ['get g buf 0 4K fast', 'get g buf 0 4K fast'],
    ['unpin pin#1 dirty', 'unpin pin#1 dirty'],
    ['unpin p', 'unpin p'],
    ['put get#2', 'put get#2'],
    ['dio write out 0 16K buf', 'dio write out 0 16K buf'],
    ['dio read out 512 512 buf 0x200 async', 'dio read out 512 512 buf 512 async'],
    ['dio read out 0 4K buf 0 async', 'dio read out 0 4K buf async'],
    ['complete', 'complete all'],
    ['complete bio#3', 'complete bio#3'],
    ['vfio map dma buf 0 2M write', 'vfio map dma buf 0 2M write'],
    ['vfio unmap dma', 'vfio unmap dma'],
    ['vmsplice s buf 0 4K', 'vmsplice s buf 0 4K'],
    ['pvm  write r peer buf 0x1000 4096', 'pvm write r peer buf 4K 4K'],
    ['uring register u buf 0 16K', 'uring register u buf 0 16K'],
    ['uring unregister u', 'uring unregister u'],
    ['dio write out 0 8192 buf+0:4096 other+0x1000:4K async', 'dio write out 0 8K buf+0:4K other+0x1000:4K async'],
    ['close s', 'close s'],
    ['repeat 2097152\nend', 'repeat 2097152'],
    ['expect zero.refcount == 5', 'expect zero.refcount == 5'],
    ['expect buf+12288.kind  ==   anon', 'expect buf+0x3000.kind == anon'],
    ['expect buf+0.pinned != true', 'expect buf+0.pinned != true'],
    ['expect pin#1.result == -ENOMEM', 'expect pin#1.result == -ENOMEM'],
    ['expect zero.refcount >= -0x10', 'expect zero.refcount >= -16'],
    ['expect leaks == 0', 'expect leaks == 0'],
    ['expect pin#2 == 4', 'expect pin#2 == 4'],
    ['expect bio#1.inflight != false', 'expect bio#1.inflight != false'],
  ])('%j prints as %j', (line, printed) => {
    expect(reprint(line)).toBe(printed);
  });

  it('prints trivia as its comment or nothing', () => {
    expect(printStatement({ op: 'trivia', pos: P })).toBe('');
    expect(printStatement({ op: 'trivia', pos: P, comment: ' note' })).toBe('# note');
  });

  it('fills in an omitted offset when only a length is given', () => {
    expect(printStatement({ op: 'read', pos: P, name: 'b', len: 4096 })).toBe('read b 0 4K');
  });
});

describe('formatText', () => {
  it.each([
    ['plain words', 'plain words'],
    ['a#b c', 'a#b c'],
    ['', '""'],
    [' lead', '" lead"'],
    ['trail\t', '"trail\t"'],
    ['# hash', '"# hash"'],
    ['x #y', '"x #y"'],
    ['say "hi"', '"say \\"hi\\""'],
    ['back\\slash', 'back\\slash'],
    ['back\\ and "quote"', '"back\\\\ and \\"quote\\""'],
    ['two\nlines', 'two lines'],
  ])('%j → %j', (text, printed) => {
    expect(formatText(text)).toBe(printed);
  });
});

describe('printScenario', () => {
  it("prints the spec's example canonically, aligning trailing comments", () => {
    const example = `title O_DIRECT write from a buffer that was only ever read
kernel v6.4
file out 64K fs=blockdev
mmap buf 16K
read buf                     # read faults: every PTE maps the shared zero page
mark Submit
dio write out 0 16K buf      # FOLL_GET: +1 on the zero page per occurrence
expect zero.refcount == 5
mark Complete
complete all
expect zero.refcount == 1
expect leaks == 0
`;
    expect(printScenario(parseOk(example))).toBe(`title O_DIRECT write from a buffer that was only ever read
kernel v6.4
file out 64K fs=blockdev
mmap buf 16K
read buf                 # read faults: every PTE maps the shared zero page
mark Submit
dio write out 0 16K buf  # FOLL_GET: +1 on the zero page per occurrence
expect zero.refcount == 5
mark Complete
complete all
expect zero.refcount == 1
expect leaks == 0
`);
  });

  it('indents repeat bodies by two spaces and keeps blank lines and comments', () => {
    const text = [
      '# Overflow the zero page',
      '',
      'mmap buf 4K',
      '   read buf',
      'repeat 2M   # 2^21 pins',
      'repeat 2',
      '# inside',
      'pin buf 0 4K #one',
      '',
      'end',
      '\tend # outer',
      'expect zero.refcount < 0',
    ].join('\n');
    expect(printScenario(parseOk(text))).toBe(
      [
        '# Overflow the zero page',
        '',
        'mmap buf 4K',
        'read buf',
        'repeat 2097152  # 2^21 pins',
        '  repeat 2',
        '    # inside',
        '    pin buf 0 4K  #one',
        '',
        '  end',
        'end  # outer',
        'expect zero.refcount < 0',
        '',
      ].join('\n'),
    );
  });

  it('aligns comments only within a run of statements not broken by blank or comment lines', () => {
    const text = 'read a  # x\nwrite abcdef 0 4K # y\n\nread b # z\n';
    expect(printScenario(parseOk(text))).toBe('read a             # x\nwrite abcdef 0 4K  # y\n\nread b  # z\n');
  });

  it('prints an empty scenario as empty text', () => {
    expect(printScenario({ statements: [] })).toBe('');
    expect(printScenario({ statements: [{ op: 'trivia', pos: P }] })).toBe('\n');
  });
});

// ---- Generated ASTs: parse(print(ast)) must give back ast, apart from positions. ----

const identifier = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,7}$/);
const handleName = identifier.filter((n) => !['zero', 'hugezero', 'violations', 'leaks', 'all'].includes(n));
const assignedHandle = fc
  .tuple(fc.constantFrom('pin', 'get', 'dio', 'bio', 'vfio'), fc.nat(999))
  .map(([kind, n]) => `${kind}#${n}`);
const handleReference = fc.oneof(handleName, assignedHandle);
const kernelWord = fc.stringMatching(/^[A-Za-z0-9_][A-Za-z0-9_.+-]{0,7}$/);

const size = fc.oneof(
  fc.nat({ max: 1 << 20 }),
  fc.integer({ min: 1, max: 1 << 20 }).map((n) => n * 1024),
  fc.integer({ min: 1, max: 1 << 12 }).map((n) => n * 1024 * 1024),
  fc.integer({ min: 1, max: 1 << 10 }).map((n) => n * 1024 * 1024 * 1024),
  fc.maxSafeNat(),
);
const positiveSize = size.map((n) => Math.max(1, n));
const lineText = fc.string({ unit: 'grapheme', maxLength: 30 }).map((s) => s.replace(/[\r\n]/g, ' '));
const comment = fc.option(
  lineText.map((s) => s.trimEnd()),
  { nil: undefined },
);

function commented<T extends { comment?: string }>(arb: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return fc.tuple(arb, comment).map(([st, c]) => (c === undefined ? st : { ...st, comment: c }));
}

const numberValue = fc.oneof(fc.integer({ min: -(2 ** 40), max: 2 ** 40 }), fc.constantFrom(0, -1, 2 ** 31 - 1, -(2 ** 31)));
const anyOp = fc.constantFrom<CompareOp>('==', '!=', '<', '<=', '>', '>=');
const equalityOp = fc.constantFrom<CompareOp>('==', '!=');
const numberCheck = fc.record({ cmp: anyOp, value: numberValue.map((value): ExpectValue => ({ type: 'number', value })) });
const boolCheck = fc.record({ cmp: equalityOp, value: fc.boolean().map((value): ExpectValue => ({ type: 'bool', value })) });
const errnoCheck = fc.record({
  cmp: equalityOp,
  value: fc.constantFrom(...ERRNO_NAMES).map((name): ExpectValue => ({ type: 'errno', name })),
});
const wordCheck = fc.record({
  cmp: equalityOp,
  value: fc
    .stringMatching(/^[A-Za-z_][A-Za-z0-9_#-]{0,7}$/)
    .filter((w) => w !== 'true' && w !== 'false')
    .map((value): ExpectValue => ({ type: 'word', value })),
});
const kindCheck = fc.record({ cmp: equalityOp, value: fc.constantFrom(...FOLIO_KINDS).map((value): ExpectValue => ({ type: 'word', value })) });

const folioFieldCheck = fc.oneof(
  fc.tuple(fc.constantFrom('refcount', 'mapcount', 'pincount'), numberCheck),
  fc.tuple(fc.constantFrom('pinned', 'exclusive', 'dirty', 'freed'), boolCheck),
  fc.tuple(fc.constant('kind'), kindCheck),
);
// A page table entry's bits always print with their field (`buf+0.pte.present`), the default included.
const pteFieldCheck = fc.tuple(fc.constantFrom('pte.present', 'pte.writable', 'pte.dirty', 'pte.special', 'pte.pmd'), boolCheck);
// Longer than any `identifier`, so a label never takes the name of a handle that an expectation reads.
const labelName = fc.stringMatching(/^lbl_[a-z]{5,6}$/);
const handleFieldCheck = fc.oneof(
  fc.tuple(fc.constant('pages'), numberCheck),
  fc.tuple(fc.constant('result'), fc.oneof(numberCheck, errnoCheck)),
);
const bioFieldCheck = fc.oneof(
  fc.tuple(fc.constantFrom('pages', 'bvecs', 'bytes'), numberCheck),
  fc.tuple(fc.constant('state'), wordCheck),
  fc.tuple(fc.constantFrom('pinned', 'inflight'), boolCheck),
);
const dioFieldCheck = fc.oneof(
  fc.tuple(fc.constantFrom('bios', 'inflight', 'pages'), numberCheck),
  fc.tuple(fc.constant('state'), wordCheck),
  fc.tuple(fc.constant('result'), fc.oneof(numberCheck, errnoCheck)),
);
/** A field, or none: the simulator then reads the family's first field (refcount, state, result). */
function optionalField(
  fieldCheck: fc.Arbitrary<[string, { cmp: CompareOp; value: ExpectValue }]>,
  defaultCheck: fc.Arbitrary<{ cmp: CompareOp; value: ExpectValue }>,
): fc.Arbitrary<{ field?: string; cmp: CompareOp; value: ExpectValue }> {
  return fc.oneof(
    { weight: 4, arbitrary: fieldCheck.map(([field, check]) => ({ field, ...check })) },
    { weight: 1, arbitrary: defaultCheck },
  );
}

type ExpectParts = Omit<Expect, 'pos' | 'text' | 'op' | 'comment'>;
const userHandle = handleReference.filter((h) => !['zero', 'hugezero', 'violations', 'leaks'].includes(h) && !/^[bd]io#/.test(h));
const expectParts: fc.Arbitrary<ExpectParts> = fc.oneof(
  fc.tuple(fc.constantFrom('zero', 'hugezero'), optionalField(folioFieldCheck, numberCheck)).map(([subject, check]) => ({ subject, ...check })),
  fc
    .tuple(identifier, fc.maxSafeNat(), optionalField(folioFieldCheck, numberCheck))
    .map(([subject, offset, check]) => ({ subject, offset, ...check })),
  fc.tuple(identifier, fc.maxSafeNat(), pteFieldCheck).map(([subject, offset, [field, check]]) => ({ subject, offset, field, ...check })),
  fc.tuple(userHandle, optionalField(handleFieldCheck, fc.oneof(numberCheck, errnoCheck))).map(([subject, check]) => ({ subject, ...check })),
  fc.tuple(fc.nat(99), optionalField(bioFieldCheck, wordCheck)).map(([n, check]) => ({ subject: `bio#${n}`, ...check })),
  fc.tuple(fc.nat(99), optionalField(dioFieldCheck, fc.oneof(numberCheck, errnoCheck))).map(([n, check]) => ({ subject: `dio#${n}`, ...check })),
  fc.tuple(fc.constantFrom('violations', 'leaks'), numberCheck).map(([subject, check]) => ({ subject, ...check })),
);
// The parser keeps an expectation's source text; for printed text that is the canonical form.
const expectStatement: fc.Arbitrary<Expect> = expectParts.map((parts) => {
  const st: Expect = { op: 'expect', pos: P, ...parts, text: '' };
  return { ...st, text: printStatement(st) };
});

const action: fc.Arbitrary<Statement> = fc.oneof(
  fc.record({
    op: fc.constant('mmap' as const),
    pos: fc.constant(P),
    name: identifier,
    size: positiveSize,
    backing: fc.oneof(
      fc.constant({ kind: 'anon' as const }),
      fc.constant({ kind: 'memfd' as const }),
      identifier.map((file) => ({ kind: 'file' as const, file })),
    ),
    shared: fc.boolean(),
    writable: fc.boolean(),
    thp: fc.boolean(),
  }),
  fc.record({
    op: fc.constant('file' as const),
    pos: fc.constant(P),
    name: identifier,
    size,
    fs: fc.constantFrom('legacy' as const, 'iomap' as const),
    blocksize: fc.integer({ min: 9, max: 16 }).map((shift) => 2 ** shift),
    holes: fc.boolean(),
  }),
  fc.record({
    op: fc.constant('file' as const),
    pos: fc.constant(P),
    name: identifier,
    size,
    fs: fc.constant('blockdev' as const),
    blocksize: fc.integer({ min: 9, max: 16 }).map((shift) => 2 ** shift),
    holes: fc.constant(false),
  }),
  fc.tuple(fc.constantFrom('read' as const, 'write' as const, 'writeback' as const), identifier, fc.nat(2), size, positiveSize).map(([op, name, parts, off, len]) =>
    parts === 0 ? { op, pos: P, name } : parts === 1 ? { op, pos: P, name, off } : { op, pos: P, name, off, len },
  ),
  identifier.map((name): Statement => ({ op: 'munmap', pos: P, name })),
  fc.tuple(identifier, fc.option(fc.tuple(size, positiveSize), { nil: undefined })).map(([name, range]): Statement =>
    range === undefined
      ? { op: 'madvise', pos: P, name, advice: 'dontneed' }
      : { op: 'madvise', pos: P, name, advice: 'dontneed', off: range[0], len: range[1] },
  ),
  fc.tuple(identifier, fc.constantFrom('dontfork' as const, 'dofork' as const, 'wipeonfork' as const, 'keeponfork' as const)).map(([name, advice]): Statement => ({ op: 'madvise', pos: P, name, advice })),
  fc.option(identifier, { nil: undefined }).map((child): Statement => (child === undefined ? { op: 'fork', pos: P } : { op: 'fork', pos: P, child })),
  identifier.map((name): Statement => ({ op: 'task', pos: P, name })),
  fc.option(identifier, { nil: undefined }).map((name): Statement => (name === undefined ? { op: 'exit', pos: P } : { op: 'exit', pos: P, name })),
  fc
    .record({
      op: fc.constantFrom('pin' as const, 'get' as const),
      handle: fc.option(handleName, { nil: undefined }),
      name: identifier,
      off: size,
      len: positiveSize,
      write: fc.boolean(),
      longterm: fc.boolean(),
      fast: fc.boolean(),
    })
    .map(({ handle, ...pin }): Statement => {
      const st: Statement = { ...pin, pos: P, longterm: pin.op === 'pin' && pin.longterm };
      return handle === undefined ? st : { ...st, handle };
    }),
  fc.tuple(handleReference, fc.boolean()).map(([handle, dirty]): Statement => ({ op: 'unpin', pos: P, handle, dirty })),
  handleReference.map((handle): Statement => ({ op: 'put', pos: P, handle, dirty: false })),
  fc.record({
    op: fc.constant('dio' as const),
    pos: fc.constant(P),
    dir: fc.constantFrom('read' as const, 'write' as const),
    file: identifier,
    foff: size,
    len: positiveSize,
    name: identifier,
    bufoff: size,
    async: fc.boolean(),
  }),
  fc.option(fc.nat(999), { nil: undefined }).map((n): Statement => (n === undefined ? { op: 'complete', pos: P } : { op: 'complete', pos: P, bio: `bio#${n}` })),
  fc.record({
    op: fc.constant('vfio-map' as const),
    pos: fc.constant(P),
    handle: handleName,
    name: identifier,
    off: size,
    len: positiveSize,
    write: fc.boolean(),
  }),
  handleReference.map((handle): Statement => ({ op: 'vfio-unmap', pos: P, handle })),
  fc.record({ op: fc.constant('vmsplice' as const), pos: fc.constant(P), handle: handleName, name: identifier, off: size, len: positiveSize, nonblock: fc.boolean() }),
  fc.tuple(handleName, fc.option(fc.integer({ min: 1, max: 2 ** 31 }), { nil: undefined })).map(([name, size]): Statement => (size === undefined ? { op: 'pipe', pos: P, name } : { op: 'pipe', pos: P, name, size })),
  fc.record({ op: fc.constant('label' as const), pos: fc.constant(P), name: labelName, mapping: identifier, offset: fc.maxSafeNat() }),
  handleReference.map((handle): Statement => ({ op: 'close', pos: P, handle })),
  fc
    .tuple(identifier, fc.boolean(), fc.option(fc.tuple(size, positiveSize), { nil: undefined }))
    .map(([name, writable, range]): Statement => (range === undefined ? { op: 'mprotect', pos: P, name, writable } : { op: 'mprotect', pos: P, name, writable, off: range[0], len: range[1] })),
  fc.tuple(fc.constantFrom('mark' as const, 'note' as const), lineText).map(([op, text]): Statement => ({ op, pos: P, text })),
  fc.oneof(
    fc.constant<Statement>({ op: 'show', pos: P, views: 'all' }),
    fc.uniqueArray(fc.constantFrom(...VIEW_NAMES), { minLength: 1, maxLength: 4 }).map((views): Statement => ({ op: 'show', pos: P, views })),
  ),
  expectStatement,
);

const trivia: fc.Arbitrary<Trivia> = comment.map((c) => (c === undefined ? { op: 'trivia', pos: P } : { op: 'trivia', pos: P, comment: c }));

const { item } = fc.letrec<{ item: Statement | Trivia; repeat: Repeat }>((tie) => ({
  item: fc.oneof({ maxDepth: 3, depthIdentifier: 'repeat' }, commented(action), trivia, tie('repeat')),
  repeat: fc
    .record({
      count: fc.oneof(fc.nat(10), fc.integer({ min: 0, max: 2 ** 32 })),
      body: fc.array(tie('item'), { maxLength: 5 }),
      comment,
      endComment: comment,
    })
    .map(({ count, body, comment: c, endComment }): Repeat => {
      const st: Repeat = { op: 'repeat', pos: P, count, body, endPos: P };
      if (c !== undefined) st.comment = c;
      if (endComment !== undefined) st.endComment = endComment;
      return st;
    }),
}));

const titleStatement: fc.Arbitrary<Title> = commented(lineText.map((text): Title => ({ op: 'title', pos: P, text })));
const kernelStatement: fc.Arbitrary<Kernel> = commented(
  fc
    .tuple(kernelWord, fc.uniqueArray(fc.tuple(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_-]{0,7}$/), kernelWord), { maxLength: 3, selector: ([n]) => n }))
    .map(([preset, toggles]): Kernel => ({ op: 'kernel', pos: P, preset, toggles: toggles.map(([name, value]) => ({ name, value, pos: P })) })),
);

const scenario: fc.Arbitrary<Scenario> = fc
  .tuple(fc.option(titleStatement, { nil: undefined }), fc.option(kernelStatement, { nil: undefined }), fc.array(item, { maxLength: 12 }))
  .map(([title, kernel, body]) => ({
    statements: [...(title === undefined ? [] : [title]), ...(kernel === undefined ? [] : [kernel]), ...body],
  }));

describe('printing and parsing agree (property)', () => {
  it('parse(printScenario(ast)) equals ast apart from positions', () => {
    fc.assert(
      fc.property(scenario, (ast) => {
        const text = printScenario(ast);
        expect(withoutPositions(parseOk(text))).toEqual(withoutPositions(ast));
      }),
      { numRuns: 400 },
    );
  });

  it('each statement printed alone parses back to itself', () => {
    fc.assert(
      fc.property(commented(action), (st) => {
        const [parsed] = parseOk(printStatement(st)).statements;
        const { comment: _dropped, ...withoutComment } = st;
        expect(withoutPositions(parsed)).toEqual(withoutPositions(withoutComment));
      }),
      { numRuns: 400 },
    );
  });

  it('printing is idempotent through the parser', () => {
    fc.assert(
      fc.property(scenario, (ast) => {
        const once = printScenario(ast);
        expect(printScenario(parseOk(once))).toBe(once);
      }),
      { numRuns: 200 },
    );
  });
});
