import type { Span } from '../source';

export type Severity = 'error' | 'warning';

/**
 * The one diagnostic type of mapc. Every user mistake becomes one of these; none is thrown.
 * `code` is stable (`MAPCnnnn`) and documented in docs/diagnostics.md.
 */
export interface Diagnostic {
  readonly code: string;
  readonly severity: Severity;
  readonly message: string;
  /** What to do about it; shown under the code frame. */
  readonly hint?: string;
  /** Where; absent only for whole-project problems (e.g. no project file). */
  readonly span?: Span;
  /** Other places that explain this one (e.g. the first writer of a target). */
  readonly related?: readonly { readonly message: string; readonly span: Span }[];
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
