// AST → canonical scenario text. parseScenario(printScenario(s)) gives back s, apart from positions.

import type { ExpectValue, Scenario, Statement, Trivia } from '../core/ast';
import { formatOffset, formatSize } from './numbers';
import { isWordSeparator } from './parser';

const INDENT = '  ';
/** Spaces between a statement and its trailing comment (at least; comments of a run of lines are aligned). */
const COMMENT_GAP = 2;

/** Text as written after `title`, `mark` or `note`: bare when it re-reads as itself, otherwise quoted. */
export function formatText(text: string): string {
  const oneLine = text.replace(/\r?\n/g, ' ');
  return printsBare(oneLine) ? oneLine : `"${oneLine.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function printsBare(text: string): boolean {
  if (text === '' || text.includes('"')) return false;
  if (isWordSeparator(text.charAt(0)) || isWordSeparator(text.charAt(text.length - 1))) return false;
  for (let i = 0; i < text.length; i++) {
    if (text.charAt(i) === '#' && (i === 0 || isWordSeparator(text.charAt(i - 1)))) return false;
  }
  return true;
}

function formatComment(comment: string): string {
  return `#${comment.replace(/\r?\n/g, ' ')}`;
}

function formatExpectValue(value: ExpectValue): string {
  switch (value.type) {
    case 'number':
      return String(value.value);
    case 'errno':
      return `-${value.name}`;
    case 'bool':
      return value.value ? 'true' : 'false';
    case 'word':
      return value.value;
  }
}

function words(...parts: (string | false | undefined)[]): string {
  return parts.filter((p): p is string => typeof p === 'string' && p !== '').join(' ');
}

/**
 * One statement on one line, without indentation or comment. A `repeat` prints as its header (`repeat N`);
 * a trivia line as its comment or the empty string.
 */
export function printStatement(st: Statement | Trivia): string {
  switch (st.op) {
    case 'trivia':
      return st.comment === undefined ? '' : formatComment(st.comment);
    case 'title':
    case 'mark':
    case 'note':
      return `${st.op} ${formatText(st.text)}`;
    case 'show':
      return words('show', ...(st.views === 'all' ? ['all'] : st.views));
    case 'kernel':
      return words('kernel', st.preset, ...st.toggles.map((t) => `${t.name}=${t.value}`));
    case 'mmap': {
      const backing = st.backing.kind === 'file' ? `file=${st.backing.file}` : st.backing.kind === 'memfd' ? 'memfd' : undefined;
      return words('mmap', st.name, formatSize(st.size), backing, st.shared && 'shared', !st.writable && 'ro', st.thp && 'thp');
    }
    case 'file':
      return words(
        'file',
        st.name,
        formatSize(st.size),
        st.fs !== 'iomap' && `fs=${st.fs}`,
        st.blocksize !== 4096 && `blocksize=${formatSize(st.blocksize)}`,
        st.holes && 'holes',
      );
    case 'read':
    case 'write':
    case 'writeback': {
      const hasRange = st.off !== undefined || st.len !== undefined;
      return words(st.op, st.name, hasRange && formatSize(st.off ?? 0), st.len !== undefined && formatSize(st.len));
    }
    case 'munmap':
      return `munmap ${st.name}`;
    case 'madvise': {
      const hasRange = st.off !== undefined || st.len !== undefined;
      return words('madvise', st.name, st.advice, hasRange && formatSize(st.off ?? 0), hasRange && formatSize(st.len ?? 0));
    }
    case 'mprotect': {
      const hasRange = st.off !== undefined || st.len !== undefined;
      return words('mprotect', st.name, st.writable ? 'rw' : 'ro', hasRange && formatSize(st.off ?? 0), hasRange && formatSize(st.len ?? 0));
    }
    case 'fork':
      return words('fork', st.child);
    case 'task':
      return `task ${st.name}`;
    case 'exit':
      return words('exit', st.name);
    case 'pin':
    case 'get':
      return words(
        st.op,
        st.handle,
        st.name,
        formatSize(st.off),
        formatSize(st.len),
        st.write && 'write',
        st.longterm && 'longterm',
        st.fast && 'fast',
      );
    case 'unpin':
    case 'put':
      return words(st.op, st.handle, st.dirty && 'dirty');
    case 'dio':
      return words(
        'dio',
        st.dir,
        st.file,
        formatSize(st.foff),
        formatSize(st.len),
        ...(st.iov ? st.iov.map((v) => `${v.name}+${formatOffset(v.off)}:${formatSize(v.len)}`) : [st.name, st.bufoff !== 0 && formatSize(st.bufoff)]),
        st.async && 'async',
      );
    case 'complete':
      return `complete ${st.bio ?? 'all'}`;
    case 'vfio-map':
      return words('vfio map', st.handle, st.name, formatSize(st.off), formatSize(st.len), st.write && 'write');
    case 'pvm':
      return words('pvm', st.dir, st.handle, st.task, st.name, formatSize(st.off), formatSize(st.len));
    case 'uring-register':
      return words('uring register', st.handle, st.name, formatSize(st.off), formatSize(st.len));
    case 'uring-unregister':
      return `uring unregister ${st.handle}`;
    case 'vfio-unmap':
      return `vfio unmap ${st.handle}`;
    case 'vmsplice':
      return words('vmsplice', st.handle, st.name, formatSize(st.off), formatSize(st.len), st.nonblock && 'nonblock');
    case 'pipe':
      return words('pipe', st.name, st.size !== undefined && `size=${formatSize(st.size)}`);
    case 'label':
      return `label ${st.name} ${st.mapping}+${formatOffset(st.offset)}`;
    case 'close':
      return `close ${st.handle}`;
    case 'repeat':
      return `repeat ${st.count}`;
    case 'expect': {
      const offset = st.offset === undefined ? '' : `+${formatOffset(st.offset)}`;
      const field = st.field === undefined ? '' : `.${st.field}`;
      const on = st.on?.length ? ` on ${st.on.map((o) => o.text).join(' ')}` : '';
      return `expect ${st.subject}${offset}${field} ${st.cmp} ${formatExpectValue(st.value)}${on}`;
    }
  }
}

interface PendingLine {
  text: string;
  comment?: string;
}

function printBlock(items: readonly (Statement | Trivia)[], depth: number, out: string[]): void {
  const indent = INDENT.repeat(depth);
  // Trailing comments of consecutive statements line up, as authors tend to write them.
  let run: PendingLine[] = [];
  const flush = (): void => {
    const width = Math.max(0, ...run.filter((l) => l.comment !== undefined).map((l) => l.text.length));
    for (const line of run) {
      out.push(line.comment === undefined ? indent + line.text : `${indent}${line.text.padEnd(width + COMMENT_GAP)}${formatComment(line.comment)}`);
    }
    run = [];
  };
  const withComment = (text: string, comment: string | undefined): string =>
    comment === undefined ? text : `${text}${' '.repeat(COMMENT_GAP)}${formatComment(comment)}`;

  for (const item of items) {
    if (item.op === 'trivia') {
      flush();
      out.push(item.comment === undefined ? '' : indent + formatComment(item.comment));
    } else if (item.op === 'repeat') {
      flush();
      out.push(indent + withComment(printStatement(item), item.comment));
      printBlock(item.body, depth + 1, out);
      out.push(indent + withComment('end', item.endComment));
    } else {
      run.push(item.comment === undefined ? { text: printStatement(item) } : { text: printStatement(item), comment: item.comment });
    }
  }
  flush();
}

/** The whole scenario as canonical text: two-space indented repeat bodies, comments and blank lines kept. */
export function printScenario(s: Scenario): string {
  const out: string[] = [];
  printBlock(s.statements, 0, out);
  return out.length === 0 ? '' : `${out.join('\n')}\n`;
}
