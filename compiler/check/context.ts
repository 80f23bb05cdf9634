/**
 * What every rule of the check phase sees: the loaded project and a `report` sink.
 * Rules are `(ctx) => void`; they never throw for user mistakes and never mutate the model.
 */
import type { Diagnostic } from '../diagnostics/diagnostic';
import { SEMANTIC_CODES, type SemanticCode } from '../diagnostics/codes/semantic';
import type { LoadedProject, Project, Spec } from '../model';
import type { Span } from '../source';

export interface CheckContext {
  readonly loaded: LoadedProject;
  readonly project: Project;
  /** In the loaded order (sorted by file path): "first" always means first in this order. */
  readonly specs: readonly Spec[];
  report(diagnostic: Diagnostic): void;
}

/** One semantic rule: inspects `ctx` and reports through `ctx.report`. */
export type Rule = (ctx: CheckContext) => void;

/** A place that explains a diagnostic (the first writer, the registry entry...). */
export interface Related {
  readonly message: string;
  readonly span: Span;
}

/**
 * Builds a diagnostic of a semantic code; the severity comes from the code table so a code
 * never changes severity from one call site to another.
 */
export function diag(
  code: SemanticCode,
  span: Span,
  message: string,
  hint: string,
  related: readonly Related[] = [],
): Diagnostic {
  return {
    code,
    severity: SEMANTIC_CODES[code].severity,
    message,
    hint,
    span,
    ...(related.length > 0 ? { related } : {}),
  };
}

/** Creates a context whose `report` appends to `out`. */
export function createContext(loaded: LoadedProject, out: Diagnostic[]): CheckContext {
  return {
    loaded,
    project: loaded.project,
    specs: loaded.specs,
    report: (d) => {
      out.push(d);
    },
  };
}
