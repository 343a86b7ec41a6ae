// The plain-text form of a link, for mail: the scenario text (as Copy text gives it) under one header comment
// that names the kernel, the compare kernel and the moment. The header is a comment, so the text still runs
// anywhere as it is; pasting or dropping it on pinscope opens the same moment.
//
//   # pinscope | kernel v6.1 zero-pin=skip | compare v6.5 | step 42 | at line 12, run 1, event 4 | chapter 2 +5 | model 1
//
// Runs and events count from 1 here (it is read by people); chapter is the `mark`'s number, from 1.

import { MODEL_VERSION, type ResolvedKernel } from '../core';
import { kernelProblem, type LinkState } from './url';
import { positionOf, type MomentPosition } from './urlMoment';
import type { RunView } from './runView';

type MomentSource = Pick<RunView, 'events' | 'chapters' | 'lastStep' | 'kernel'>;

const HEADER = /^# pinscope \|/;

export interface MailMoment extends MomentPosition {
  kernel?: string;
  compare?: string;
  model: number;
}

/** A resolved kernel as a spec string: `v6.1 zero-pin=skip`. */
export function kernelSpecOf(kernel: ResolvedKernel): string {
  return [kernel.preset.name, ...Object.entries(kernel.overrides).map(([name, value]) => `${name}=${String(value)}`)].join(' ');
}

/** The moment on screen, for the header. */
export function mailMomentOf(run: MomentSource, step: number, compareRun: Pick<RunView, 'kernel'> | null): MailMoment {
  return { ...positionOf(run, step), kernel: kernelSpecOf(run.kernel), ...(compareRun ? { compare: kernelSpecOf(compareRun.kernel) } : {}), model: MODEL_VERSION };
}

export function mailHeader(m: MailMoment): string {
  const parts = ['# pinscope'];
  if (m.kernel) parts.push(`kernel ${m.kernel}`);
  if (m.compare) parts.push(`compare ${m.compare}`);
  parts.push(`step ${m.step}`);
  if (m.at) parts.push(`at line ${m.at.line}, run ${m.at.occurrence + 1}, event ${m.at.offset + 1}`);
  if (m.chapter) parts.push(`chapter ${m.chapter.chapter + 1} +${m.chapter.offset}`);
  parts.push(`model ${m.model}`);
  return parts.join(' | ');
}

/** `text` under the header for `m`, replacing a header it already has. */
export function withMailHeader(text: string, m: MailMoment): string {
  const body = HEADER.test(text) ? text.slice(text.indexOf('\n') + 1 || text.length) : text;
  return `${mailHeader(m)}\n${body}`;
}

export function looksLikeMailText(text: string): boolean {
  return HEADER.test(text.trimStart());
}

/**
 * The link a mail text stands for: the text without its header, and what the header names. Null when it has
 * no header. A header part that is damaged or names a kernel pinscope does not know is left out (the text's
 * own `kernel` line then decides), so a mangled mail still opens.
 */
export function readMailText(pasted: string): LinkState | null {
  const text = pasted.replace(/\r\n/g, '\n').trimStart();
  if (!HEADER.test(text)) return null;
  const newline = text.indexOf('\n');
  const header = newline < 0 ? text : text.slice(0, newline);
  const link: LinkState = { text: newline < 0 ? '' : text.slice(newline + 1) };
  for (const part of header.split('|').slice(1).map((p) => p.trim())) {
    let m: RegExpExecArray | null;
    if ((m = /^kernel (.+)$/.exec(part)) && !kernelProblem(m[1]!)) link.kernel = m[1]!;
    else if ((m = /^compare (.+)$/.exec(part)) && !kernelProblem(m[1]!)) link.compare = m[1]!;
    else if ((m = /^step (\d{1,9})$/.exec(part))) link.step = Number(m[1]);
    else if ((m = /^at line (\d{1,9}), run ([1-9]\d{0,8}), event ([1-9]\d{0,8})$/.exec(part))) link.at = { line: Number(m[1]), occurrence: Number(m[2]) - 1, offset: Number(m[3]) - 1 };
    else if ((m = /^chapter ([1-9]\d{0,5}) \+(\d{1,9})$/.exec(part))) link.chapter = { chapter: Number(m[1]) - 1, offset: Number(m[2]) };
    else if ((m = /^model (\d{1,6})$/.exec(part))) link.model = Number(m[1]);
  }
  return link;
}
