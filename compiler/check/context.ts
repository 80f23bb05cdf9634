/**
 * What every rule of the check phase sees: the loaded project and a `report` sink.
 * Rules are `(ctx) => void`; they never throw for user mistakes and never mutate the model.
 */
import { diag as makeDiag, type Diagnostic, type Related } from '../diagnostics';
import type { SemanticCode } from '../diagnostics';
import type { LoadedProject, Project, Spec } from '../model';
import type { ResolvedProject } from '../resolve';
import type { Span } from '../source';

export interface CheckContext {
  readonly loaded: LoadedProject;
  readonly project: Project;
  /** In the loaded order (sorted by file path): "first" always means first in this order. */
  readonly specs: readonly Spec[];
  /** What the resolve phase bound: Actions, parsed targets, lookup order. */
  readonly resolved: ResolvedProject;
  report(diagnostic: Diagnostic): void;
}

/** One semantic rule: inspects `ctx` and reports through `ctx.report`. */
export type Rule = (ctx: CheckContext) => void;

export type { Related } from '../diagnostics';

/** A semantic diagnostic: `diag` (diagnostics/diagnostic.ts) with the hint every rule gives. */
export function diag(code: SemanticCode, span: Span, message: string, hint: string, related: readonly Related[] = []): Diagnostic {
  return makeDiag(code, span, message, hint, related);
}

/** Creates a context whose `report` appends to `out`. */
export function createContext(resolved: ResolvedProject, out: Diagnostic[]): CheckContext {
  const loaded: LoadedProject = resolved.loaded;
  return {
    loaded,
    project: loaded.project,
    specs: loaded.specs,
    resolved,
    report: (d) => {
      out.push(d);
    },
  };
}
