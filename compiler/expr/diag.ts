/**
 * Small helpers shared by the expression parser, template parser and checker: building
 * diagnostics of this area (severity comes from the code table, so it cannot disagree with
 * the docs) and "did you mean" hints.
 */
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

/** Edit distance counting an adjacent transposition as one edit (`emial` → `email`). */
function distance(a: string, b: string): number {
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) d.push([i]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidate closest to `name` (case-insensitive edit distance), or undefined when none is
 * close enough to be a plausible typo. Ties go to the alphabetically first (determinism).
 */
export function nearest(name: string, candidates: Iterable<string>): string | undefined {
  const lower = name.toLowerCase();
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of [...candidates].sort()) {
    const d = distance(lower, c.toLowerCase());
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(1, Math.floor(Math.max(name.length, best.length) / 3));
  return bestD <= limit ? best : undefined;
}

/** "did you mean 'x'?" or undefined. */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const n = nearest(name, candidates);
  return n === undefined ? undefined : `did you mean '${n}'?`;
}
