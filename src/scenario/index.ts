// The scenario language: parse text into the AST, print the AST back as canonical text.

export type * from '../core/ast';
export {
  COMPARE_OPS,
  ERRNO_NAMES,
  EXPECT_FIELDS,
  FOLIO_KINDS,
  FS_KINDS,
  LIMITS,
  RUN_SUBJECTS,
  STATEMENT_KEYWORDS,
  USAGE,
  formatError,
  parseKernelSpec,
  parseScenario,
  suggest,
} from './parser';
export type { ParseResult, StatementKeyword, SubjectFamily } from './parser';
export { printScenario, printStatement, formatText } from './printer';
export { GIB, KIB, MIB, formatOffset, formatSize, parseErrnoName, parseNumber, parseSignedNumber, readNumber } from './numbers';
export type { NumberReading } from './numbers';
