import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Scenario, Statement, Trivia } from '../core/ast';
import { LIMITS, formatError, parseKernelSpec, parseScenario, suggest } from './parser';

/** The AST without source positions, and without keys whose value is undefined. */
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
  if (!result.ok) throw new Error(`expected a scenario, got:\n${result.errors.map(formatError).join('\n')}`);
  return result.scenario;
}

/** The single statement of a one-line scenario, without positions. */
function one(line: string): unknown {
  const { statements } = parseOk(line);
  expect(statements).toHaveLength(1);
  return withoutPositions(statements[0]);
}

function errors(text: string): string[] {
  const result = parseScenario(text);
  if (result.ok) throw new Error(`expected errors for ${JSON.stringify(text)}`);
  return result.errors.map(formatError);
}

function error(text: string): string {
  const all = errors(text);
  expect(all).toHaveLength(1);
  return all[0] ?? '';
}

const EXAMPLE = `title O_DIRECT write from a buffer that was only ever read
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

describe("the spec's example scenario", () => {
  it('parses to the expected statements, positions and comments', () => {
    const { statements } = parseOk(EXAMPLE);
    expect(statements).toEqual([
      { op: 'title', pos: { line: 1, col: 1 }, text: 'O_DIRECT write from a buffer that was only ever read' },
      { op: 'kernel', pos: { line: 2, col: 1 }, preset: 'v6.4', toggles: [] },
      { op: 'file', pos: { line: 3, col: 1 }, name: 'out', size: 65536, fs: 'blockdev', blocksize: 4096, holes: false },
      {
        op: 'mmap',
        pos: { line: 4, col: 1 },
        name: 'buf',
        size: 16384,
        backing: { kind: 'anon' },
        shared: false,
        writable: true,
        thp: false,
      },
      { op: 'read', pos: { line: 5, col: 1 }, name: 'buf', comment: ' read faults: every PTE maps the shared zero page' },
      { op: 'mark', pos: { line: 6, col: 1 }, text: 'Submit' },
      {
        op: 'dio',
        pos: { line: 7, col: 1 },
        dir: 'write',
        file: 'out',
        foff: 0,
        len: 16384,
        name: 'buf',
        bufoff: 0,
        async: false,
        comment: ' FOLL_GET: +1 on the zero page per occurrence',
      },
      {
        op: 'expect',
        pos: { line: 8, col: 1 },
        subject: 'zero',
        field: 'refcount',
        cmp: '==',
        value: { type: 'number', value: 5 },
        text: 'expect zero.refcount == 5',
      },
      { op: 'mark', pos: { line: 9, col: 1 }, text: 'Complete' },
      { op: 'complete', pos: { line: 10, col: 1 } },
      {
        op: 'expect',
        pos: { line: 11, col: 1 },
        subject: 'zero',
        field: 'refcount',
        cmp: '==',
        value: { type: 'number', value: 1 },
        text: 'expect zero.refcount == 1',
      },
      {
        op: 'expect',
        pos: { line: 12, col: 1 },
        subject: 'leaks',
        cmp: '==',
        value: { type: 'number', value: 0 },
        text: 'expect leaks == 0',
      },
    ]);
  });
});

describe('lexical rules', () => {
  it('keeps blank and comment-only lines as trivia, with the comment text after #', () => {
    const { statements } = parseOk('# heading\n\n  #indented  \nmunmap buf\n');
    expect(statements).toEqual([
      { op: 'trivia', pos: { line: 1, col: 1 }, comment: ' heading' },
      { op: 'trivia', pos: { line: 2, col: 1 } },
      { op: 'trivia', pos: { line: 3, col: 3 }, comment: 'indented' },
      { op: 'munmap', pos: { line: 4, col: 1 }, name: 'buf' },
    ]);
  });

  it('reads the empty text as no statements, and a lone newline as one blank line', () => {
    expect(parseOk('').statements).toEqual([]);
    expect(parseOk('\n').statements).toEqual([{ op: 'trivia', pos: { line: 1, col: 1 } }]);
  });

  it('separates words by spaces and tabs and accepts CRLF line ends and a byte-order mark', () => {
    const { statements } = parseOk('\uFEFFmmap\tbuf \t 4K\r\nmunmap buf\r\n');
    expect(withoutPositions(statements)).toEqual([
      { op: 'mmap', name: 'buf', size: 4096, backing: { kind: 'anon' }, shared: false, writable: true, thp: false },
      { op: 'munmap', name: 'buf' },
    ]);
    expect(statements[0]?.pos).toEqual({ line: 1, col: 1 });
    expect(statements[1]?.pos).toEqual({ line: 2, col: 1 });
  });

  it('starts a comment only at the start of a word, so pin#3 and bio#2 stay words', () => {
    expect(one('unpin pin#3 # done')).toEqual({ op: 'unpin', handle: 'pin#3', dirty: false, comment: ' done' });
    expect(one('complete bio#2 #x')).toEqual({ op: 'complete', bio: 'bio#2', comment: 'x' });
    expect(error('complete bio#2#x')).toBe('scenario.scn:1:10: expected bio#N or all, got "bio#2#x"');
  });

  it('treats a quoted string as one word, with # inside it not a comment', () => {
    expect(one('title "a # b"   # real comment')).toEqual({ op: 'title', text: 'a # b', comment: ' real comment' });
    expect(one('mmap "buf" 4K')).toMatchObject({ op: 'mmap', name: 'buf' });
  });

  it('reads \\" and \\\\ escapes inside quotes and keeps other backslashes', () => {
    expect(one('note "say \\"hi\\" \\\\ \\n"')).toEqual({ op: 'note', text: 'say "hi" \\ \\n' });
  });

  it('reports an unterminated string at its opening quote', () => {
    expect(error('mmap buf 4K\ntitle "abc')).toBe('scenario.scn:2:7: unterminated string (missing closing ")');
  });

  it('reports a closing quote glued to the next word', () => {
    expect(error('title "abc"def')).toBe('scenario.scn:1:12: expected a space after the closing quote');
  });

  it('uses the given file name in errors', () => {
    const result = parseScenario('bogus', 'demo/zero.scn');
    expect(result.ok ? [] : result.errors).toEqual([
      { file: 'demo/zero.scn', line: 1, col: 1, message: 'unknown statement "bogus"' },
    ]);
  });
});

describe('title, mark and note', () => {
  it('take the rest of the line, keeping inner spacing and dropping the comment', () => {
    expect(one('title  Zero page   and  O_DIRECT  # c')).toEqual({ op: 'title', text: 'Zero page   and  O_DIRECT', comment: ' c' });
    expect(one('mark Submit the I/O')).toEqual({ op: 'mark', text: 'Submit the I/O' });
    expect(one('note FOLL_PIN adds 1024 (GUP_PIN_COUNTING_BIAS)')).toEqual({
      op: 'note',
      text: 'FOLL_PIN adds 1024 (GUP_PIN_COUNTING_BIAS)',
    });
  });

  it('strip the quotes only when the whole rest is one quoted string', () => {
    expect(one('mark "  padded  "')).toEqual({ op: 'mark', text: '  padded  ' });
    expect(one('mark "a" b')).toEqual({ op: 'mark', text: '"a" b' });
    expect(one('title ""')).toEqual({ op: 'title', text: '' });
  });

  it('need text', () => {
    expect(error('mark')).toBe('scenario.scn:1:5: missing TEXT (usage: mark TEXT...)');
    expect(error('note   # only a comment')).toBe('scenario.scn:1:5: missing TEXT (usage: note TEXT...)');
  });

  it('allows one title, at the top level', () => {
    expect(error('title A\nmmap b 4K\ntitle B')).toBe('scenario.scn:3:1: title may appear only once (first at line 1)');
    expect(error('repeat 2\n  title A\nend')).toBe('scenario.scn:2:3: title belongs at the top level, not inside repeat');
  });

  it('allows marks and notes inside repeat', () => {
    const [repeat] = parseOk('repeat 2\n  mark Again\n  note n\nend').statements;
    expect(withoutPositions(repeat)).toEqual({
      op: 'repeat',
      count: 2,
      body: [
        { op: 'mark', text: 'Again' },
        { op: 'note', text: 'n' },
      ],
    });
  });
});

describe('kernel', () => {
  it('reads a preset and toggles with their positions', () => {
    const [kernel] = parseOk('kernel v6.1 zero-pin=skip dio=pin').statements;
    expect(kernel).toEqual({
      op: 'kernel',
      pos: { line: 1, col: 1 },
      preset: 'v6.1',
      toggles: [
        { name: 'zero-pin', value: 'skip', pos: { line: 1, col: 13 } },
        { name: 'dio', value: 'pin', pos: { line: 1, col: 27 } },
      ],
    });
  });

  it('does not judge preset or toggle names (the simulator does)', () => {
    expect(one('kernel v9.99 what-if=maybe')).toEqual({ op: 'kernel', preset: 'v9.99', toggles: [{ name: 'what-if', value: 'maybe' }] });
  });

  it('checks the toggle syntax', () => {
    expect(error('kernel v6.1 zero-pin')).toBe('scenario.scn:1:13: expected TOGGLE=VALUE, got "zero-pin" (usage: kernel PRESET [TOGGLE=VALUE ...])');
    expect(error('kernel v6.1 zero-pin=')).toBe('scenario.scn:1:22: missing value for toggle "zero-pin"');
    expect(error('kernel v6.1 =skip')).toBe('scenario.scn:1:13: bad toggle name ""');
    expect(error('kernel v6.1 dio=pin dio=get')).toBe('scenario.scn:1:21: toggle "dio" given twice');
    expect(error('kernel')).toBe('scenario.scn:1:7: missing PRESET (usage: kernel PRESET [TOGGLE=VALUE ...])');
    expect(error('kernel v6=1')).toBe('scenario.scn:1:8: bad kernel preset "v6=1" (such as v6.1 or latest)');
  });

  it('may follow title, mark, note and comments, but nothing else', () => {
    expect(withoutPositions(parseOk('# c\ntitle T\nmark M\nnote N\nkernel latest').statements.at(-1))).toEqual({
      op: 'kernel',
      preset: 'latest',
      toggles: [],
    });
    expect(error('file out 4K\nkernel v6.4')).toBe('scenario.scn:2:1: kernel must come before the first action ("file" at line 1)');
    expect(error('mmap buf 4K\n\nkernel v6.4')).toBe('scenario.scn:3:1: kernel must come before the first action ("mmap" at line 1)');
  });

  it('counts a malformed action as the first action', () => {
    expect(errors('mmap buf 16Q\nkernel v6.4')).toEqual([
      'scenario.scn:1:10: bad number "16Q" for SIZE (use decimal, 0x hex, or a size such as 4K, 2M, 1G)',
      'scenario.scn:2:1: kernel must come before the first action ("mmap" at line 1)',
    ]);
  });

  it('may appear only once', () => {
    expect(error('kernel v6.1\nkernel v6.5')).toBe('scenario.scn:2:1: kernel may appear only once (first at line 1)');
  });
});

describe('mmap', () => {
  it('defaults to anon private rw without thp', () => {
    expect(one('mmap buf 16K')).toEqual({
      op: 'mmap',
      name: 'buf',
      size: 16384,
      backing: { kind: 'anon' },
      shared: false,
      writable: true,
      thp: false,
    });
  });

  it('takes its options in any order', () => {
    expect(one('mmap m 2M thp ro shared file=data')).toEqual({
      op: 'mmap',
      name: 'm',
      size: 2 * 1024 * 1024,
      backing: { kind: 'file', file: 'data' },
      shared: true,
      writable: false,
      thp: true,
    });
    expect(one('mmap m 0x2000 memfd private rw')).toMatchObject({ backing: { kind: 'memfd' }, shared: false, writable: true });
    expect(one('mmap m 1G anon')).toMatchObject({ size: 1024 ** 3, backing: { kind: 'anon' } });
  });

  it('rejects conflicting and repeated options', () => {
    expect(error('mmap b 4K anon memfd')).toBe('scenario.scn:1:16: "memfd" conflicts with "anon"');
    expect(error('mmap b 4K file=f anon')).toBe('scenario.scn:1:18: "anon" conflicts with "file=f"');
    expect(error('mmap b 4K private shared')).toBe('scenario.scn:1:19: "shared" conflicts with "private"');
    expect(error('mmap b 4K ro rw')).toBe('scenario.scn:1:14: "rw" conflicts with "ro"');
    expect(error('mmap b 4K thp thp')).toBe('scenario.scn:1:15: option "thp" given twice');
  });

  it('suggests the option that was meant', () => {
    expect(error('mmap b 4K sahred')).toBe('scenario.scn:1:11: unknown option "sahred" (did you mean "shared"?)');
    expect(error('mmap b 4K flie=data')).toBe('scenario.scn:1:11: unknown option "flie=data" (did you mean "file=data"?)');
    expect(error('mmap b 4K xyzzy')).toBe(
      'scenario.scn:1:11: unknown option "xyzzy" (options: anon, file=, memfd, private, shared, rw, ro, thp)',
    );
  });

  it('checks option values', () => {
    expect(error('mmap b 4K file')).toBe('scenario.scn:1:11: option "file" needs a value (file=...)');
    expect(error('mmap b 4K file=')).toBe('scenario.scn:1:16: missing value after "file="');
    expect(error('mmap b 4K file=9x')).toBe('scenario.scn:1:16: bad FILE "9x" (the name of a file statement)');
    expect(error('mmap b 4K thp=1')).toBe('scenario.scn:1:11: option "thp" takes no value');
  });

  it('checks NAME and SIZE', () => {
    expect(error('mmap buf 16Q')).toBe('scenario.scn:1:10: bad number "16Q" for SIZE (use decimal, 0x hex, or a size such as 4K, 2M, 1G)');
    expect(error('mmap buf 0')).toBe('scenario.scn:1:10: SIZE must be greater than 0');
    expect(error('mmap buf -4K')).toBe('scenario.scn:1:10: SIZE cannot be negative (negative numbers appear only in expect)');
    expect(error('mmap buf 99999999999999999999')).toBe('scenario.scn:1:10: number "99999999999999999999" is too large');
    expect(error('mmap buf')).toBe(
      'scenario.scn:1:9: missing SIZE (usage: mmap NAME SIZE [anon | file=FILE | memfd] [private | shared] [rw | ro] [thp])',
    );
    expect(error('mmap 2buf 4K')).toBe(
      'scenario.scn:1:6: bad NAME "2buf" (names start with a letter or _ and contain letters, digits, _ and -)',
    );
    expect(error('mmap b.c 4K')).toMatch(/^scenario\.scn:1:6: bad NAME "b\.c"/);
  });
});

describe('file', () => {
  it('defaults to iomap, 4K blocks, all allocated; SIZE may be 0', () => {
    expect(one('file out 0')).toEqual({ op: 'file', name: 'out', size: 0, fs: 'iomap', blocksize: 4096, holes: false });
  });

  it('reads fs, blocksize and holes in any order', () => {
    expect(one('file f 1M holes blocksize=1K fs=legacy')).toEqual({
      op: 'file',
      name: 'f',
      size: 1024 * 1024,
      fs: 'legacy',
      blocksize: 1024,
      holes: true,
    });
    expect(one('file f 64K fs=blockdev blocksize=512')).toMatchObject({ fs: 'blockdev', blocksize: 512 });
    expect(one('file f 64K blocksize=64K')).toMatchObject({ blocksize: 65536 });
    expect(one('file f 64K blocksize=0x2000')).toMatchObject({ blocksize: 8192 });
  });

  it('accepts only power-of-two block sizes from 512 to 64K', () => {
    expect(error('file f 4K blocksize=3K')).toBe('scenario.scn:1:21: blocksize must be a power of two from 512 to 64K, got "3K"');
    expect(error('file f 4K blocksize=256')).toBe('scenario.scn:1:21: blocksize must be a power of two from 512 to 64K, got "256"');
    expect(error('file f 4K blocksize=128K')).toBe('scenario.scn:1:21: blocksize must be a power of two from 512 to 64K, got "128K"');
    expect(error('file f 4K blocksize=4KB')).toBe(
      'scenario.scn:1:21: bad number "4KB" for blocksize (use decimal, 0x hex, or a size such as 4K, 2M, 1G)',
    );
  });

  it('suggests a filesystem and rejects holes on a block device', () => {
    expect(error('file f 4K fs=iomapp')).toBe('scenario.scn:1:14: unknown fs "iomapp" (expected legacy, iomap, blockdev, udf, fat, ext2-legacy) (did you mean "iomap"?)');
    expect(one('file f 4K fs=ext2-legacy')).toMatchObject({ op: 'file', fs: 'ext2-legacy' });
    expect(error('file f 4K fs=fat holes')).toBe('scenario.scn:1:18: "holes" does not apply to fs=fat (FAT files are never sparse)');
    expect(error('file f 4K fs=uff')).toBe('scenario.scn:1:14: unknown fs "uff" (expected legacy, iomap, blockdev, udf, fat, ext2-legacy) (did you mean "udf"?)');
    expect(error('file f 4K fs=ext4')).toBe('scenario.scn:1:14: unknown fs "ext4" (expected legacy, iomap, blockdev, udf, fat, ext2-legacy)');
    expect(error('file f 4K fs=blockdev holes')).toBe('scenario.scn:1:23: "holes" does not apply to fs=blockdev (a block device has no holes)');
    expect(error('file f 4K hole')).toBe('scenario.scn:1:11: unknown option "hole" (did you mean "holes"?)');
  });
});

describe('read, write, munmap, madvise', () => {
  it('read and write take an optional range', () => {
    expect(one('read buf')).toEqual({ op: 'read', name: 'buf' });
    expect(one('write buf 0x1000')).toEqual({ op: 'write', name: 'buf', off: 4096 });
    expect(one('write buf 4K 8K')).toEqual({ op: 'write', name: 'buf', off: 4096, len: 8192 });
    expect(error('read buf 0 0')).toBe('scenario.scn:1:12: LEN must be greater than 0');
    expect(error('read buf 0 4K 4K')).toBe('scenario.scn:1:15: unexpected "4K" (usage: read NAME [OFF [LEN]])');
    expect(error('write buf x')).toBe('scenario.scn:1:11: bad number "x" for OFF (use decimal, 0x hex, or a size such as 4K, 2M, 1G)');
    expect(error('read')).toBe('scenario.scn:1:5: missing NAME (usage: read NAME [OFF [LEN]])');
  });

  it('munmap takes a name only', () => {
    expect(one('munmap buf')).toEqual({ op: 'munmap', name: 'buf' });
    expect(error('munmap buf 0')).toBe('scenario.scn:1:12: unexpected "0" (usage: munmap NAME)');
  });

  it('madvise takes dontneed and an optional OFF LEN pair', () => {
    expect(one('madvise buf dontneed')).toEqual({ op: 'madvise', name: 'buf', advice: 'dontneed' });
    expect(one('madvise buf dontneed 4K 4K')).toEqual({ op: 'madvise', name: 'buf', advice: 'dontneed', off: 4096, len: 4096 });
    expect(error('madvise buf dontneed 4K')).toBe('scenario.scn:1:24: missing LEN (usage: madvise NAME dontneed [OFF LEN] | madvise NAME dontfork|dofork|wipeonfork|keeponfork)');
    expect(error('madvise buf dontned')).toBe('scenario.scn:1:13: unknown advice "dontned" (did you mean "dontneed"?)');
    expect(error('madvise buf hugepage')).toBe('scenario.scn:1:13: unknown advice "hugepage" (dontneed, dontfork, dofork, wipeonfork, keeponfork)');
    expect(error('madvise buf')).toBe('scenario.scn:1:12: missing ADVICE (usage: madvise NAME dontneed [OFF LEN] | madvise NAME dontfork|dofork|wipeonfork|keeponfork)');
  });
});

describe('writeback (extension)', () => {
  it('takes a mapping and an optional range, like read and write', () => {
    expect(one('writeback buf')).toEqual({ op: 'writeback', name: 'buf' });
    expect(one('writeback buf 4K')).toEqual({ op: 'writeback', name: 'buf', off: 4096 });
    expect(one('writeback buf 0 8K')).toEqual({ op: 'writeback', name: 'buf', off: 0, len: 8192 });
    expect(error('writeback')).toBe('scenario.scn:1:10: missing NAME (usage: writeback NAME [OFF [LEN]])');
    expect(error('writebak buf')).toBe('scenario.scn:1:1: unknown statement "writebak" (did you mean "writeback"?)');
  });

  it('counts as an action for the kernel line', () => {
    expect(error('writeback buf\nkernel v6.1')).toBe('scenario.scn:2:1: kernel must come before the first action ("writeback" at line 1)');
  });
});

describe('fork, task, exit', () => {
  it('reads the optional names', () => {
    expect(one('fork')).toEqual({ op: 'fork' });
    expect(one('fork kid')).toEqual({ op: 'fork', child: 'kid' });
    expect(one('task main')).toEqual({ op: 'task', name: 'main' });
    expect(one('exit')).toEqual({ op: 'exit' });
    expect(one('exit child2')).toEqual({ op: 'exit', name: 'child2' });
  });

  it('reports missing and extra words', () => {
    expect(error('task')).toBe('scenario.scn:1:5: missing NAME (usage: task NAME)');
    expect(error('fork a b')).toBe('scenario.scn:1:8: unexpected "b" (usage: fork [CHILD])');
    expect(error('exit 3')).toMatch(/^scenario\.scn:1:6: bad NAME "3"/);
  });
});

describe('pin and get', () => {
  it('tells a handle from a name by whether the third word is a number', () => {
    expect(one('pin buf 0 16K')).toEqual({ op: 'pin', name: 'buf', off: 0, len: 16384, write: false, longterm: false, fast: false });
    expect(one('pin p1 buf 4K 4K write longterm fast')).toEqual({
      op: 'pin',
      handle: 'p1',
      name: 'buf',
      off: 4096,
      len: 4096,
      write: true,
      longterm: true,
      fast: true,
    });
    expect(one('get g buf 0 4K fast write')).toEqual({
      op: 'get',
      handle: 'g',
      name: 'buf',
      off: 0,
      len: 4096,
      write: true,
      longterm: false,
      fast: true,
    });
  });

  it('points at the end of the line for a missing argument', () => {
    expect(error('pin buf 0')).toBe('scenario.scn:1:10: missing LEN (usage: pin [HANDLE] NAME OFF LEN [write] [longterm] [fast])');
    expect(error('pin buf 0   # comment')).toBe('scenario.scn:1:10: missing LEN (usage: pin [HANDLE] NAME OFF LEN [write] [longterm] [fast])');
    expect(error('pin')).toBe('scenario.scn:1:4: missing NAME (usage: pin [HANDLE] NAME OFF LEN [write] [longterm] [fast])');
    expect(error('get h buf')).toBe('scenario.scn:1:10: missing OFF (usage: get [HANDLE] NAME OFF LEN [write] [fast])');
  });

  it('reports bad numbers, zero lengths and unknown options where they are', () => {
    expect(error('pin buf 0x1g 4K')).toBe('scenario.scn:1:9: bad number "0x1g" for OFF (use decimal, 0x hex, or a size such as 4K, 2M, 1G)');
    expect(error('pin buf 0 0')).toBe('scenario.scn:1:11: LEN must be greater than 0');
    expect(error('pin p1 buf 0 4K longtrem')).toBe('scenario.scn:1:17: unknown option "longtrem" (did you mean "longterm"?)');
    expect(error('pin buf 0 4K write write')).toBe('scenario.scn:1:20: option "write" given twice');
    expect(error('get buf 0 4K longterm')).toBe('scenario.scn:1:14: longterm applies only to pin (FOLL_LONGTERM needs FOLL_PIN)');
  });

  it('rejects handles that look assigned or are reserved', () => {
    expect(error('pin pin#1 buf 0 4K')).toBe('scenario.scn:1:5: handle "pin#1" looks like an assigned one: names with # are given by the simulator');
    expect(error('pin zero buf 0 4K')).toBe('scenario.scn:1:5: "zero" is reserved and cannot name a handle');
  });

  it('unpin and put take a handle, assigned or named', () => {
    expect(one('unpin pin#1')).toEqual({ op: 'unpin', handle: 'pin#1', dirty: false });
    expect(one('unpin p dirty')).toEqual({ op: 'unpin', handle: 'p', dirty: true });
    expect(one('put get#2')).toEqual({ op: 'put', handle: 'get#2', dirty: false });
    expect(error('put g dirty')).toBe('scenario.scn:1:7: unexpected "dirty" (usage: put HANDLE)');
    expect(error('unpin p drity')).toBe('scenario.scn:1:9: unknown option "drity" (did you mean "dirty"?)');
    expect(error('unpin')).toBe('scenario.scn:1:6: missing HANDLE (usage: unpin HANDLE [dirty])');
    expect(error('unpin pin#x')).toBe('scenario.scn:1:7: bad handle "pin#x" (a name such as h1, or an assigned handle such as pin#1)');
  });
});

describe('dio and complete', () => {
  it('reads both directions, BUFOFF and async', () => {
    expect(one('dio read out 0 16K buf')).toEqual({
      op: 'dio',
      dir: 'read',
      file: 'out',
      foff: 0,
      len: 16384,
      name: 'buf',
      bufoff: 0,
      async: false,
    });
    expect(one('dio write out 4K 4K buf 0x1000 async')).toEqual({
      op: 'dio',
      dir: 'write',
      file: 'out',
      foff: 4096,
      len: 4096,
      name: 'buf',
      bufoff: 4096,
      async: true,
    });
    expect(one('dio write out 0 512 buf async')).toMatchObject({ bufoff: 0, async: true, len: 512 });
  });

  it('checks its words', () => {
    expect(error('dio wirte out 0 4K buf')).toBe('scenario.scn:1:5: expected read or write, got "wirte" (did you mean "write"?)');
    expect(error('dio write out 0 4K')).toBe('scenario.scn:1:19: missing NAME (usage: dio read|write FILE FOFF LEN (NAME [BUFOFF] | NAME+OFF:LEN ...) [async])');
    expect(error('dio write out 0 4K buf 1z')).toBe('scenario.scn:1:24: bad number "1z" for BUFOFF (use decimal, 0x hex, or a size such as 4K, 2M, 1G)');
    expect(error('dio write out 0 4K buf asink')).toBe('scenario.scn:1:24: unknown option "asink" (did you mean "async"?)');
  });

  it('complete takes nothing, all, or one bio', () => {
    expect(one('complete')).toEqual({ op: 'complete' });
    expect(one('complete all')).toEqual({ op: 'complete' });
    expect(one('complete bio#3')).toEqual({ op: 'complete', bio: 'bio#3' });
    expect(error('complete dio#1')).toBe('scenario.scn:1:10: expected bio#N or all, got "dio#1"');
    expect(error('complete bio#1 bio#2')).toBe('scenario.scn:1:16: unexpected "bio#2" (usage: complete [bio#N | all])');
  });
});

describe('dio with iovecs', () => {
  it('reads NAME+OFF:LEN iovecs after LEN, and leaves the one-buffer form as it was', () => {
    expect(one('dio write out 0 8K buf+0:4K other+0x1000:4K async')).toMatchObject({
      op: 'dio', dir: 'write', file: 'out', foff: 0, len: 8192, name: 'buf', bufoff: 0, async: true,
      iov: [{ name: 'buf', off: 0, len: 4096 }, { name: 'other', off: 4096, len: 4096 }],
    });
    expect(one('dio read out 0 4K buf 512')).toEqual({ op: 'dio', dir: 'read', file: 'out', foff: 0, len: 4096, name: 'buf', bufoff: 512, async: false });
  });
  it('checks the iovecs', () => {
    expect(error('dio write out 0 8K buf+0:4K')).toBe('scenario.scn:1:20: the iovecs add up to 4096 bytes, not LEN (8192)');
    expect(error('dio write out 0 4K buf+0:4K 512')).toBe('scenario.scn:1:29: BUFOFF does not go with iovecs: give each iovec its offset (NAME+OFF:LEN)');
    expect(error('dio write out 0 4K buf+0')).toBe('scenario.scn:1:20: expected an iovec NAME+OFF:LEN such as buf+0x1000:4K, got "buf+0"');
    expect(error('dio write out 0 4K buf+0:4Q')).toMatch(/^scenario\.scn:1:26: /);
  });
});

describe('pvm and uring', () => {
  it('reads pvm with and without a handle', () => {
    expect(one('pvm read peer buf 0 16K')).toEqual({ op: 'pvm', dir: 'read', task: 'peer', name: 'buf', off: 0, len: 16384 });
    expect(one('pvm write r peer buf 4K 4K')).toEqual({ op: 'pvm', dir: 'write', handle: 'r', task: 'peer', name: 'buf', off: 4096, len: 4096 });
    expect(error('pvm raed peer buf 0 4K')).toBe('scenario.scn:1:5: expected read or write, got "raed" (did you mean "read"?)');
  });
  it('reads uring register and unregister', () => {
    expect(one('uring register u buf 0 16K')).toEqual({ op: 'uring-register', handle: 'u', name: 'buf', off: 0, len: 16384 });
    expect(one('uring unregister u')).toEqual({ op: 'uring-unregister', handle: 'u' });
    expect(error('uring regster u buf 0 4K')).toBe('scenario.scn:1:7: expected register or unregister, got "regster" (did you mean "register"?)');
    expect(error('urnig register u buf 0 4K')).toBe('scenario.scn:1:1: unknown statement "urnig" (did you mean "uring"?)');
  });
});

describe('vfio, vmsplice, close', () => {
  it('reads vfio map and unmap', () => {
    expect(one('vfio map dma buf 0 2M')).toEqual({ op: 'vfio-map', handle: 'dma', name: 'buf', off: 0, len: 2 * 1024 * 1024, write: false });
    expect(one('vfio map dma buf 0 2M write')).toMatchObject({ op: 'vfio-map', write: true });
    expect(one('vfio unmap dma')).toEqual({ op: 'vfio-unmap', handle: 'dma' });
    expect(error('vfio mpa dma buf 0 4K')).toBe('scenario.scn:1:6: expected map or unmap, got "mpa" (did you mean "map"?)');
    expect(error('vfio')).toBe('scenario.scn:1:5: missing map|unmap (usage: vfio map HANDLE NAME OFF LEN [write] | vfio unmap HANDLE)');
    expect(error('vfio map buf 0 4K')).toBe(
      'scenario.scn:1:14: bad NAME "0" (names start with a letter or _ and contain letters, digits, _ and -)',
    );
  });

  it('reads vmsplice and close', () => {
    expect(one('vmsplice p buf 0 4K')).toEqual({ op: 'vmsplice', handle: 'p', name: 'buf', off: 0, len: 4096, nonblock: false });
    expect(one('vmsplice p buf 0 256K nonblock')).toEqual({ op: 'vmsplice', handle: 'p', name: 'buf', off: 0, len: 262144, nonblock: true });
    expect(one('close p')).toEqual({ op: 'close', handle: 'p' });
    expect(error('vmsplice p buf 0 4K write')).toBe('scenario.scn:1:21: unknown option "write" (options: nonblock)');
    expect(error('vmsplice p buf 0 4K nonblok')).toBe('scenario.scn:1:21: unknown option "nonblok" (did you mean "nonblock"?)');
    expect(error('close')).toBe('scenario.scn:1:6: missing HANDLE (usage: close HANDLE)');
  });
});

describe('pipe, label and page table entries (extensions)', () => {
  it('reads pipe with and without a size', () => {
    expect(one('pipe p')).toEqual({ op: 'pipe', name: 'p' });
    expect(one('pipe p size=1M')).toEqual({ op: 'pipe', name: 'p', size: 1024 * 1024 });
    expect(error('pipe p sise=1M')).toBe('scenario.scn:1:8: unknown option "sise=1M" (did you mean "size=1M"?)');
    expect(error('pipe p size=0')).toBe('scenario.scn:1:13: size must be greater than 0');
    expect(error('pipe p size=4G')).toBe(`scenario.scn:1:13: size must be at most ${2 ** 31}`);
    expect(error('pipe zero')).toBe('scenario.scn:1:6: "zero" is reserved and cannot name a handle');
    expect(error('pipr p')).toBe('scenario.scn:1:1: unknown statement "pipr" (did you mean "pipe"?)');
  });

  it('reads label and makes the name a folio subject for later expectations', () => {
    expect(one('label old buf+0x3000')).toEqual({ op: 'label', name: 'old', mapping: 'buf', offset: 0x3000 });
    const { statements } = parseOk('label old buf+0\nexpect old.refcount == 1\nexpect old.freed == true\nexpect old == 2');
    expect(withoutPositions(statements[1])).toMatchObject({ op: 'expect', subject: 'old', field: 'refcount' });
    // Before its label, the same name is a handle, which has no refcount.
    expect(error('expect old.refcount == 1\nlabel old buf+0')).toBe(
      'scenario.scn:1:12: "old" has no field "refcount" (a handle has result, pages, bytes; for a page of a mapping write old+0.refcount)',
    );
    expect(error('label old buf')).toBe('scenario.scn:1:11: expected MAPPING+OFF such as buf+0x3000, got "buf"');
    expect(error('label old buf+x')).toBe('scenario.scn:1:15: bad number "x" for OFF (use decimal, 0x hex, or a size such as 4K, 2M, 1G)');
    expect(error('label old')).toBe('scenario.scn:1:10: missing MAPPING+OFF (usage: label NAME MAPPING+OFF)');
    expect(error('lable old buf+0')).toBe('scenario.scn:1:1: unknown statement "lable" (did you mean "label"?)');
  });

  it('reads the fork flags of madvise, for whole mappings only', () => {
    expect(one('madvise buf dontfork')).toEqual({ op: 'madvise', name: 'buf', advice: 'dontfork' });
    expect(one('madvise buf wipeonfork')).toEqual({ op: 'madvise', name: 'buf', advice: 'wipeonfork' });
    expect(error('madvise buf dontfrok')).toBe('scenario.scn:1:13: unknown advice "dontfrok" (did you mean "dontfork"?)');
    expect(error('madvise buf dontfork 0 4K')).toBe(
      'scenario.scn:1:22: dontfork applies to the whole mapping here (usage: madvise NAME dontneed [OFF LEN] | madvise NAME dontfork|dofork|wipeonfork|keeponfork)',
    );
  });

  it('reads mprotect with and without a range', () => {
    expect(one('mprotect buf ro')).toEqual({ op: 'mprotect', name: 'buf', writable: false });
    expect(one('mprotect buf rw 4K 8K')).toEqual({ op: 'mprotect', name: 'buf', writable: true, off: 4096, len: 8192 });
    expect(error('mprotect buf r0')).toBe('scenario.scn:1:14: expected ro or rw, got "r0" (did you mean "ro"?)');
    expect(error('mprotect buf none')).toBe('scenario.scn:1:14: expected ro or rw, got "none"');
    expect(error('mprotect buf ro 4K')).toBe('scenario.scn:1:19: missing LEN (usage: mprotect NAME ro|rw [OFF LEN])');
    expect(error('mprotec buf ro')).toBe('scenario.scn:1:1: unknown statement "mprotec" (did you mean "mprotect"?)');
  });

  it('reads PTE bits of NAME+OFF, defaulting to present', () => {
    expect(one('expect buf+0x1000.pte.writable == true')).toMatchObject({ subject: 'buf', offset: 0x1000, field: 'pte.writable' });
    expect(one('expect buf+0.pte == false')).toMatchObject({ subject: 'buf', offset: 0, field: 'pte.present' });
    expect(one('expect buf+0.pte.pmd != true')).toMatchObject({ field: 'pte.pmd', cmp: '!=' });
    expect(error('expect buf+0.pte.writeable == true')).toBe('scenario.scn:1:18: unknown field "writeable" (did you mean "writable"?)');
    expect(error('expect buf+0.pte.dirty == 1')).toBe('scenario.scn:1:27: buf+0.pte.dirty compares with true or false, got "1"');
    expect(error('expect buf+0.writable == true')).toBe('scenario.scn:1:14: "writable" is a bit of the page table entry: write buf+0.pte.writable');
  });
});

describe('repeat', () => {
  it('nests, keeping trivia and the comment on end', () => {
    const { statements } = parseOk('repeat 3  # outer\n  repeat 0x10\n    pin buf 0 4K\n\n  end\n  # between\nend  # done\nmunmap buf');
    expect(statements).toEqual([
      {
        op: 'repeat',
        pos: { line: 1, col: 1 },
        count: 3,
        comment: ' outer',
        body: [
          {
            op: 'repeat',
            pos: { line: 2, col: 3 },
            count: 16,
            body: [
              { op: 'pin', pos: { line: 3, col: 5 }, name: 'buf', off: 0, len: 4096, write: false, longterm: false, fast: false },
              { op: 'trivia', pos: { line: 4, col: 1 } },
            ],
            endPos: { line: 5, col: 3 },
          },
          { op: 'trivia', pos: { line: 6, col: 3 }, comment: ' between' },
        ],
        endPos: { line: 7, col: 1 },
        endComment: ' done',
      },
      { op: 'munmap', pos: { line: 8, col: 1 }, name: 'buf' },
    ]);
  });

  it('counts up to 4G, enough to wrap a 32-bit refcount', () => {
    expect(one('repeat 2147483647\nend')).toMatchObject({ count: 2 ** 31 - 1 });
    expect(one('repeat 2M\nend')).toMatchObject({ count: 2 ** 21 });
    expect(one('repeat 4G\nend')).toMatchObject({ count: 2 ** 32 });
    expect(one('repeat 0\nend')).toMatchObject({ count: 0, body: [] });
    expect(error('repeat 4294967297\nend')).toBe('scenario.scn:1:8: N must be at most 4294967296');
  });

  it('reports an unterminated repeat at the repeat, and a stray end at the end', () => {
    expect(error('mmap b 4K\n  repeat 2\n  read b\n')).toBe('scenario.scn:2:3: repeat without end');
    expect(errors('repeat 2\nrepeat 3\n')).toEqual(['scenario.scn:1:1: repeat without end', 'scenario.scn:2:1: repeat without end']);
    expect(error('read b\n  end')).toBe('scenario.scn:2:3: end without repeat');
    expect(error('repeat 1\nend\nend')).toBe('scenario.scn:3:1: end without repeat');
  });

  it('reports a bad count once, not again at its end', () => {
    expect(error('repeat many\n  read b\nend')).toBe('scenario.scn:1:8: bad number "many" for N (use decimal, 0x hex, or a size such as 4K, 2M, 1G)');
    expect(error('repeat\nend')).toBe('scenario.scn:1:7: missing N (usage: repeat N)');
    expect(error('repeat 2 times\nend')).toBe('scenario.scn:1:10: unexpected "times" (usage: repeat N)');
  });

  it('closes the repeat even when end has extra words', () => {
    expect(error('repeat 2\nend repeat\nread b')).toBe('scenario.scn:2:5: unexpected "repeat" (usage: end)');
  });

  it('limits the nesting depth', () => {
    const depth = LIMITS.maxRepeatDepth;
    const ok = `${'repeat 1\n'.repeat(depth)}${'end\n'.repeat(depth)}`;
    expect(parseScenario(ok).ok).toBe(true);
    const tooDeep = `${'repeat 1\n'.repeat(depth + 1)}${'end\n'.repeat(depth + 1)}`;
    expect(error(tooDeep)).toBe(`scenario.scn:${depth + 1}:1: repeat nested too deeply (the limit is ${depth} levels)`);
  });
});

describe('expect', () => {
  it('reads every kind of subject', () => {
    expect(one('expect zero.refcount == 5')).toEqual({
      op: 'expect',
      subject: 'zero',
      field: 'refcount',
      cmp: '==',
      value: { type: 'number', value: 5 },
      text: 'expect zero.refcount == 5',
    });
    expect(one('expect hugezero.mapcount >= 0')).toMatchObject({ subject: 'hugezero', field: 'mapcount', cmp: '>=' });
    expect(one('expect buf+0x3000.pincount < 1024')).toMatchObject({ subject: 'buf', offset: 0x3000, field: 'pincount', cmp: '<' });
    expect(one('expect buf+0.kind == zero')).toMatchObject({ subject: 'buf', offset: 0, field: 'kind', value: { type: 'word', value: 'zero' } });
    expect(one('expect pin#3.result == -ENOMEM')).toMatchObject({ subject: 'pin#3', field: 'result', value: { type: 'errno', name: 'ENOMEM' } });
    expect(one('expect bio#2.state == done')).toMatchObject({ subject: 'bio#2', field: 'state', value: { type: 'word', value: 'done' } });
    expect(one('expect dio#1.bios > 1')).toMatchObject({ subject: 'dio#1', field: 'bios' });
    expect(one('expect dma.pages != 0')).toMatchObject({ subject: 'dma', field: 'pages', cmp: '!=' });
    expect(one('expect violations <= 2')).toMatchObject({ subject: 'violations', cmp: '<=', value: { type: 'number', value: 2 } });
    expect(one('expect leaks == 0')).not.toHaveProperty('field');
  });

  it('reads every value type: numbers (negative too), errno names, booleans and words', () => {
    expect(one('expect buf+4K.refcount == -1')).toMatchObject({ offset: 4096, value: { type: 'number', value: -1 } });
    expect(one('expect zero.refcount > 0x7fffffff')).toMatchObject({ value: { type: 'number', value: 0x7fffffff } });
    expect(one('expect pin#1.result == 4')).toMatchObject({ value: { type: 'number', value: 4 } });
    expect(one('expect buf+0.pinned == true')).toMatchObject({ value: { type: 'bool', value: true } });
    expect(one('expect buf+0.exclusive != false')).toMatchObject({ cmp: '!=', value: { type: 'bool', value: false } });
    expect(one('expect buf+0.dirty == true')).toMatchObject({ field: 'dirty' });
    expect(one('expect dio#1.inflight == 2')).toMatchObject({ value: { type: 'number', value: 2 } });
    expect(one('expect bio#1.inflight == false')).toMatchObject({ value: { type: 'bool', value: false } });
    expect(one('expect bio#1.pinned == true')).toMatchObject({ field: 'pinned', value: { type: 'bool', value: true } });
    expect(one('expect bio#1.bvecs == 1')).toMatchObject({ subject: 'bio#1', field: 'bvecs', value: { type: 'number', value: 1 } });
    expect(one('expect bio#2.bytes >= 4K')).toMatchObject({ field: 'bytes', cmp: '>=', value: { type: 'number', value: 4096 } });
    expect(one('expect pin#1.result == -EIOCBQUEUED')).toMatchObject({ value: { type: 'errno', name: 'EIOCBQUEUED' } });
    expect(one('expect pin#1.result == -EPROBE_DEFER')).toMatchObject({ value: { type: 'errno', name: 'EPROBE_DEFER' } });
    for (const kind of ['zero', 'hugezero', 'anon', 'file', 'none']) {
      expect(one(`expect buf+0.kind == ${kind}`)).toMatchObject({ value: { type: 'word', value: kind } });
    }
  });

  it('reads all six operators', () => {
    for (const op of ['==', '!=', '<', '<=', '>', '>=']) {
      expect(one(`expect leaks ${op} 1`)).toMatchObject({ cmp: op });
    }
  });

  it('keeps the source text of the statement without its comment', () => {
    expect(one('  expect   zero.refcount  ==  5   # after')).toMatchObject({ text: 'expect   zero.refcount  ==  5', comment: ' after' });
  });

  it('requires spaces around the operator', () => {
    expect(error('expect zero.refcount==5')).toBe('scenario.scn:1:21: put spaces around the operator (usage: expect SUBJECT[.FIELD] OP VALUE [on SELECTOR ...])');
    expect(error('expect zero.refcount ==5')).toBe('scenario.scn:1:22: put spaces around the operator (usage: expect SUBJECT[.FIELD] OP VALUE [on SELECTOR ...])');
  });

  it('reports missing parts at the end of the line', () => {
    expect(error('expect zero.refcount ==')).toBe('scenario.scn:1:24: missing VALUE (usage: expect SUBJECT[.FIELD] OP VALUE [on SELECTOR ...])');
    expect(error('expect zero.refcount')).toBe('scenario.scn:1:21: missing OP (usage: expect SUBJECT[.FIELD] OP VALUE [on SELECTOR ...])');
    expect(error('expect')).toBe('scenario.scn:1:7: missing SUBJECT (usage: expect SUBJECT[.FIELD] OP VALUE [on SELECTOR ...])');
    expect(error('expect leaks == 0 1')).toBe('scenario.scn:1:19: unexpected "1" (usage: expect SUBJECT[.FIELD] OP VALUE [on SELECTOR ...])');
  });

  it('suggests operators and fields, pointing at the field inside the word', () => {
    expect(error('expect leaks = 0')).toBe('scenario.scn:1:14: unknown operator "=" (did you mean "=="?)');
    expect(error('expect leaks =< 0')).toBe('scenario.scn:1:14: unknown operator "=<" (did you mean "<="?)');
    expect(error('expect leaks ~ 0')).toBe('scenario.scn:1:14: unknown operator "~" (use ==, !=, <, <=, > or >=)');
    expect(error('expect zero.refcnt == 1')).toBe('scenario.scn:1:13: unknown field "refcnt" (did you mean "refcount"?)');
    expect(error('expect buf+0x3000.mapcuont == 1')).toBe('scenario.scn:1:19: unknown field "mapcuont" (did you mean "mapcount"?)');
    expect(error('expect zero.colour == 1')).toBe(
      'scenario.scn:1:13: unknown field "colour" (a folio has refcount, mapcount, pincount, pinned, kind, exclusive, dirty, freed)',
    );
    expect(error('expect bio#1.sate == done')).toBe('scenario.scn:1:14: unknown field "sate" (did you mean "state"?)');
    expect(error('expect bio#1.bvec == 1')).toBe('scenario.scn:1:14: unknown field "bvec" (did you mean "bvecs"?)');
    expect(error('expect bio#1.bvecs == many')).toBe('scenario.scn:1:23: bio#1.bvecs compares with a number, got "many"');
  });

  it('matches fields to the subject: folio, bio#N, dio#N or another handle', () => {
    expect(error('expect zero.result == 1')).toBe(
      'scenario.scn:1:13: "zero" has no field "result" (a folio has refcount, mapcount, pincount, pinned, kind, exclusive, dirty, freed)',
    );
    expect(error('expect buf.refcount == 1')).toBe(
      'scenario.scn:1:12: "buf" has no field "refcount" (a handle has result, pages, bytes; for a page of a mapping write buf+0.refcount)',
    );
    expect(error('expect bio#1.result == 1')).toBe('scenario.scn:1:14: "bio#1" has no field "result" (a bio has state, pages, bvecs, bytes, pinned, inflight)');
    expect(error('expect dio#1.pinned == true')).toBe(
      'scenario.scn:1:14: "dio#1" has no field "pinned" (a dio has result, state, bios, inflight, pages)',
    );
    expect(error('expect leaks.count == 0')).toBe('scenario.scn:1:14: leaks takes no field');
    expect(error('expect zero. == 1')).toBe(
      'scenario.scn:1:13: missing field after "." (a folio has refcount, mapcount, pincount, pinned, kind, exclusive, dirty, freed)',
    );
  });

  it('lets the field be omitted; the simulator then reads the first field of the subject', () => {
    expect(one('expect zero == 1')).toEqual({ op: 'expect', subject: 'zero', cmp: '==', value: { type: 'number', value: 1 }, text: 'expect zero == 1' });
    expect(one('expect pin#1 == -EFAULT')).toMatchObject({ subject: 'pin#1', value: { type: 'errno', name: 'EFAULT' } });
    expect(one('expect bio#1 == completed')).toMatchObject({ subject: 'bio#1', value: { type: 'word', value: 'completed' } });
    expect(one('expect dio#2 == 16384')).toMatchObject({ subject: 'dio#2' });
    expect(error('expect zero == anon')).toBe('scenario.scn:1:16: zero compares with a number, got "anon"');
    expect(error('expect bio#1 == 3')).toBe('scenario.scn:1:17: bio#1 compares with a word, got "3"');
  });

  it('checks NAME+OFF', () => {
    expect(error('expect buf+4Q.refcount == 1')).toBe('scenario.scn:1:12: bad number "4Q" for OFF (use decimal, 0x hex, or a size such as 4K, 2M, 1G)');
    expect(error('expect +0.refcount == 1')).toBe('scenario.scn:1:8: bad mapping name "" in "+0" (expected NAME+OFF such as buf+0x3000)');
    expect(error('expect buf+.refcount == 1')).toBe('scenario.scn:1:12: bad number "" for OFF (use decimal, 0x hex, or a size such as 4K, 2M, 1G)');
    expect(error('expect 9lives.result == 1')).toBe('scenario.scn:1:8: bad subject "9lives" (zero, hugezero, violations, leaks, NAME+OFF or a handle)');
  });

  it('checks the value against the field', () => {
    expect(error('expect zero.refcount == five')).toBe('scenario.scn:1:25: zero.refcount compares with a number, got "five"');
    expect(error('expect zero.refcount == 5x')).toBe('scenario.scn:1:25: bad number "5x" (use decimal, 0x hex, or a size such as 4K)');
    expect(error('expect zero.pinned == 1')).toBe('scenario.scn:1:23: zero.pinned compares with true or false, got "1"');
    expect(error('expect zero.pinned < true')).toBe('scenario.scn:1:20: zero.pinned is true or false: use == or !=');
    expect(error('expect buf+0.kind == anno')).toBe(
      'scenario.scn:1:22: buf+0.kind is one of zero, hugezero, anon, file, none, got "anno" (did you mean "anon"?)',
    );
    expect(error('expect buf+0.kind > anon')).toBe('scenario.scn:1:19: buf+0.kind is a kind: use == or !=');
    expect(error('expect pin#1.result < -ENOMEM')).toBe('scenario.scn:1:21: error names are compared for equality: use == or !=');
    expect(error('expect pin#1.result == yes')).toBe(
      'scenario.scn:1:24: pin#1.result compares with a number of pages or an error name such as -ENOMEM, got "yes"',
    );
    expect(error('expect leaks == -ENOMEM')).toBe('scenario.scn:1:17: leaks compares with a number, got "-ENOMEM"');
    expect(error('expect bio#1.state == 3')).toBe('scenario.scn:1:23: bio#1.state compares with a word, got "3"');
    expect(error('expect bio#1.inflight == 1')).toBe('scenario.scn:1:26: bio#1.inflight compares with true or false, got "1"');
    expect(error('expect dio#1.inflight == true')).toBe('scenario.scn:1:26: dio#1.inflight compares with a number, got "true"');
    expect(error('expect pin#1.result == -ENOMEN')).toBe('scenario.scn:1:24: unknown error name "-ENOMEN" (did you mean "-ENOMEM"?)');
    expect(error('expect pin#1.result == -EWHATEVER')).toBe('scenario.scn:1:24: unknown error name "-EWHATEVER"');
    expect(error('expect leaks == "a b"')).toBe('scenario.scn:1:17: bad value "a b" (a number, an error name such as -ENOMEM, true, false or a word)');
  });
});

describe('unknown statements', () => {
  it('suggests the statement that was meant', () => {
    expect(error('mmapp buf 4K')).toBe('scenario.scn:1:1: unknown statement "mmapp" (did you mean "mmap"?)');
    expect(error('  unppin p')).toBe('scenario.scn:1:3: unknown statement "unppin" (did you mean "unpin"?)');
    expect(error('MMAP buf 4K')).toBe('scenario.scn:1:1: unknown statement "MMAP" (did you mean "mmap"?)');
    expect(error('frobnicate')).toBe('scenario.scn:1:1: unknown statement "frobnicate"');
  });

  it('quotes hostile words safely and briefly', () => {
    const message = error(`\u0001${'x'.repeat(500)}`);
    expect(message.startsWith('scenario.scn:1:1: unknown statement "\\u0001xxx')).toBe(true);
    expect(message.length).toBeLessThan(100);
  });
});

describe('several errors', () => {
  it('collects one error per line, in line order', () => {
    expect(errors('mmap buf 16Q\nread buf\npin buf 0\nmmapp x\nrepeat 2\n')).toEqual([
      'scenario.scn:1:10: bad number "16Q" for SIZE (use decimal, 0x hex, or a size such as 4K, 2M, 1G)',
      'scenario.scn:3:10: missing LEN (usage: pin [HANDLE] NAME OFF LEN [write] [longterm] [fast])',
      'scenario.scn:4:1: unknown statement "mmapp" (did you mean "mmap"?)',
      'scenario.scn:5:1: repeat without end',
    ]);
  });

  it('stops after a bounded number of errors', () => {
    const all = errors('bogus\n'.repeat(1000));
    expect(all).toHaveLength(LIMITS.maxErrors + 1);
    expect(all.at(-1)).toBe(`scenario.scn:${LIMITS.maxErrors + 1}:1: too many errors (stopped after ${LIMITS.maxErrors})`);
  });
});

describe('limits on hostile input', () => {
  it('rejects a line longer than 10,000 characters', () => {
    expect(error(`read b\ntitle ${'x'.repeat(10_000)}\nread b`)).toBe('scenario.scn:2:10001: line too long (10006 characters; the limit is 10000)');
    expect(parseScenario(`title ${'x'.repeat(10_000 - 6)}`).ok).toBe(true);
  });

  it('rejects text over 200,000 characters', () => {
    expect(error(`# ${'x'.repeat(200_000)}`)).toBe('scenario.scn:1:1: scenario too long (200002 characters; the limit is 200000)');
    expect(error('read b\n'.repeat(1 << 18))).toMatch(/^scenario\.scn:1:1: scenario too long/);
  });

  it('rejects more than 20,000 lines', () => {
    expect(parseScenario('\n'.repeat(20_000)).ok).toBe(true);
    expect(error('\n'.repeat(20_001))).toBe('scenario.scn:20001:1: too many lines (20001; the limit is 20000)');
  });

  it('returns errors rather than throwing for input that is not text', () => {
    expect(parseScenario(undefined as unknown as string)).toEqual({
      ok: false,
      errors: [{ file: 'scenario.scn', line: 1, col: 1, message: 'scenario is not text' }],
    });
  });
});

describe('formatError and suggest', () => {
  it('formats file:line:col: message', () => {
    expect(formatError({ file: 'scenario.scn', line: 7, col: 12, message: 'unknown option "longtrem" (did you mean "longterm"?)' })).toBe(
      'scenario.scn:7:12: unknown option "longtrem" (did you mean "longterm"?)',
    );
  });

  it('suggests within a few edits, counting a swapped pair as one', () => {
    expect(suggest('longtrem', ['write', 'longterm', 'fast'])).toBe('longterm');
    expect(suggest('fsat', ['write', 'longterm', 'fast'])).toBe('fast');
    expect(suggest('zzzz', ['write', 'longterm', 'fast'])).toBeUndefined();
    expect(suggest('', ['a'])).toBeUndefined();
  });
});

describe('parseKernelSpec (the --kernel option)', () => {
  it('reads a preset and toggles with columns in the given text', () => {
    expect(parseKernelSpec('v6.1 zero-pin=skip')).toEqual({
      ok: true,
      kernel: {
        op: 'kernel',
        pos: { line: 1, col: 1 },
        preset: 'v6.1',
        toggles: [{ name: 'zero-pin', value: 'skip', pos: { line: 1, col: 6 } }],
      },
    });
  });

  it('reports errors at columns of the given text', () => {
    expect(parseKernelSpec('v6.1 zero-pin')).toEqual({
      ok: false,
      errors: [{ file: '--kernel', line: 1, col: 6, message: 'expected TOGGLE=VALUE, got "zero-pin" (usage: kernel PRESET [TOGGLE=VALUE ...])' }],
    });
    expect(parseKernelSpec('')).toMatchObject({ ok: false, errors: [{ col: 1 }] });
    expect(parseKernelSpec('v6.1\nmmap b 4K')).toMatchObject({ ok: false });
  });
});

describe('never throws (property)', () => {
  const checkResult = (text: string): void => {
    const result = parseScenario(text);
    if (result.ok) {
      expect(Array.isArray(result.scenario.statements)).toBe(true);
      return;
    }
    expect(result.errors.length).toBeGreaterThan(0);
    for (const e of result.errors) {
      expect(e.line).toBeGreaterThanOrEqual(1);
      expect(e.col).toBeGreaterThanOrEqual(1);
      expect(e.message).not.toMatch(/internal parser error/);
    }
  };

  it('handles arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (text) => checkResult(text)), { numRuns: 500 });
  });

  it('handles scenario-like lines made of real keywords, options and odd words', () => {
    const word = fc.oneof(
      fc.constantFrom(
        'title', 'kernel', 'mmap', 'file', 'read', 'write', 'munmap', 'madvise', 'fork', 'task', 'exit', 'pin', 'get',
        'unpin', 'put', 'dio', 'complete', 'vfio', 'map', 'unmap', 'vmsplice', 'close', 'repeat', 'end', 'mark', 'note',
        'expect', 'writeback', 'zero.refcount', 'bio#1.inflight', 'dio#1.state', 'buf+0x1000.kind', 'pin#1.result', 'leaks', '==', '<=', '-ENOMEM', '-1', 'true',
        'anon', 'memfd', 'file=out', 'shared', 'ro', 'thp', 'fs=legacy', 'blocksize=512', 'holes', 'longterm', 'fast',
        'dirty', 'async', 'bio#1', 'all', 'dontneed', 'buf', 'out', '0', '4K', '0x1000', '2M', '4G', '16Q', '"q q"', '"',
        '#', '# c', 'v6.1', 'zero-pin=skip', '=', '+', '.',
      ),
      fc.string({ maxLength: 6 }),
    );
    const line = fc.array(word, { maxLength: 8 }).map((words) => words.join(' '));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 30 }), (lines) => checkResult(lines.join('\n'))),
      { numRuns: 1000 },
    );
  });

  // How fast is measured by bench/run.ts (parseLargeMs); here only that the answer is right.
  it('handles a megabyte of text', () => {
    checkResult('read buf # padding\n'.repeat(60_000));
    checkResult(`${'repeat 1\n'.repeat(20_000)}`.slice(0, 199_999));
    const over = parseScenario('read buf # padding\n'.repeat(60_000), 'big.scn');
    expect(over.ok ? 'parsed' : over.errors[0]!.message).toMatch(/characters|lines/);
  });
});

// Every statement form at least once, in one scenario, so that a change to any of them shows up here.
describe('a scenario using every statement', () => {
  it('parses without errors and yields each op', () => {
    const text = [
      'title Every statement',
      'kernel v6.1 zero-pin=skip',
      'file out 64K fs=legacy blocksize=1K holes',
      'mmap buf 64K',
      'read buf',
      'write buf 0 4K',
      'madvise buf dontneed 0 4K',
      'mprotect buf ro 0 4K',
      'fork kid',
      'task kid',
      'pin p buf 0 4K write longterm',
      'get buf 0 4K',
      'unpin p dirty',
      'put get#1',
      'dio read out 0 4K buf',
      'complete bio#1',
      'vfio map v buf 0 4K write',
      'vfio unmap v',
      'pipe s size=128K',
      'vmsplice s buf 0 4K nonblock',
      'label l buf+0',
      'close s',
      'pvm read kid buf 0 4K',
      'uring register u buf 0 4K',
      'uring unregister u',
      'writeback buf',
      'repeat 2',
      '  mark M',
      '  note N',
      'end',
      'expect leaks == 0',
      'exit kid',
      'munmap buf',
    ].join('\n');
    const ops = parseOk(text).statements.map((s: Statement | Trivia) => s.op);
    expect(ops).toEqual([
      'title', 'kernel', 'file', 'mmap', 'read', 'write', 'madvise', 'mprotect', 'fork', 'task', 'pin', 'get', 'unpin', 'put', 'dio',
      'complete', 'vfio-map', 'vfio-unmap', 'pipe', 'vmsplice', 'label', 'close', 'pvm', 'uring-register', 'uring-unregister', 'writeback', 'repeat', 'expect', 'exit', 'munmap',
    ]);
  });
});
