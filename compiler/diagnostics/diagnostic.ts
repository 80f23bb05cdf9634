import type { Span } from '../source';
import { CODES, type Code, type Severity } from './codes/index';

export type { Code, Severity };

/**
 * The one diagnostic type of mapc. Every user mistake becomes one of these; none is thrown.
 * `code` is stable (`MAPCnnnn`) and documented in docs/diagnostics.md.
 */
export interface Diagnostic {
  readonly code: Code;
  readonly severity: Severity;
  readonly message: string;
  /** What to do about it; shown under the code frame. */
  readonly hint?: string;
  /** Where; absent only for whole-project problems (e.g. no project file). */
  readonly span?: Span;
  /** Other places that explain this one (e.g. the first writer of a target). */
  readonly related?: readonly { readonly message: string; readonly span: Span }[];
}

/** A place that explains a diagnostic (the first writer of a target, where a default is set...). */
export interface Related {
  readonly message: string;
  readonly span: Span;
}

/**
 * The one way to make a diagnostic: the severity comes from the code table (CODES), so a code
 * never changes severity from one call site to another. `span` absent: a whole-project problem.
 */
export function diag(code: Code, span: Span | undefined, message: string, hint?: string, related: readonly Related[] = []): Diagnostic {
  return {
    code,
    severity: CODES[code].severity,
    message,
    ...(hint !== undefined ? { hint } : {}),
    ...(span !== undefined ? { span } : {}),
    ...(related.length > 0 ? { related } : {}),
  };
}

/** Result of a phase: phases return diagnostics, they never throw for user mistakes. */
export interface PhaseResult<T> {
  readonly result: T;
  readonly diagnostics: Diagnostic[];
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** Reported when there are more than this many diagnostics in one run. */
export const MAX_DIAGNOSTICS = 100;
