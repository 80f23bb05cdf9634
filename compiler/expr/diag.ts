/**
 * Small helpers shared by the expression parser, template parser and checker: building
 * diagnostics of this area (severity comes from the code table, so it cannot disagree with
 * the docs) and "did you mean" hints.
 */
import { suggest } from '../suggest';
import type { Diagnostic } from '../diagnostics/diagnostic';
import { EXPR_CODES, type ExprCode } from '../diagnostics/codes/expr';
import { lineCol, type Span } from '../source';

/** A diagnostic of the expr area; severity is the code's documented one. */
export function exprDiag(code: ExprCode, span: Span, message: string, hint?: string): Diagnostic {
  return { code, severity: EXPR_CODES[code].severity, message, span, ...(hint ? { hint } : {}) };
}

/** `line:column` of a span's start, for messages that point at a second place ("to close '(' at 1:5"). */
export function where(s: Span): string {
  const { line, column } = lineCol(s.file, s.start);
  return `${line}:${column}`;
}

/** "did you mean 'x'?" or undefined. */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const n = suggest(name, candidates);
  return n === undefined ? undefined : `did you mean '${n}'?`;
}
