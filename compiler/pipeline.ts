/**
 * The phases end to end: parse → resolve → check → ir → emit → bundle → output. Each phase returns
 * diagnostics; a phase runs only when the ones before it reported no error.
 */
import * as path from 'node:path';
import { hasErrors, type Diagnostic, type PhaseResult } from './diagnostics';
import { loadProject } from './parse';
import { resolve, type ResolvedProject } from './resolve';
import { checkProject } from './check';
import { lower } from './ir';
import type { ProgramIR } from './ir';
import type { LoadedProject } from './model';
import { actionSpan, emitAction } from './emit';
import { bundleActions } from './bundle';
import { renderOutput } from './output';

export interface ProjectOptions {
  /** The folder holding mapc.yaml (default `mappings`), absolute or relative to `cwd`. */
  readonly projectDir: string;
  /** Paths in diagnostics are shown relative to this folder. */
  readonly cwd: string;
}

export interface Validated {
  readonly loaded: LoadedProject;
  /** What the resolve phase bound (Actions, targets, lookup order), read by check and lowering. */
  readonly resolved: ResolvedProject;
}

export interface Compiled extends Validated {
  readonly program: ProgramIR;
  /** Output files by path relative to the output folder (`tenant.yaml`, `actions/x/code.js`, ...). */
  readonly files: ReadonlyMap<string, string>;
  /** Bundled code per Action name. */
  readonly code: ReadonlyMap<string, string>;
}

/** Parse and check; no output. */
export function validate(opts: ProjectOptions): PhaseResult<Validated | null> {
  const dir = path.resolve(opts.cwd, opts.projectDir);
  const loaded = loadProject(dir, { cwd: opts.cwd });
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  if (!loaded.result || hasErrors(diagnostics)) return { result: null, diagnostics };
  const resolved = resolve(loaded.result);
  diagnostics.push(...checkProject(resolved));
  if (hasErrors(diagnostics)) return { result: null, diagnostics };
  return { result: { loaded: loaded.result, resolved }, diagnostics };
}

/** Everything up to the rendered output files, in memory. */
export async function compile(opts: ProjectOptions): Promise<PhaseResult<Compiled | null>> {
  const validated = validate(opts);
  const diagnostics = [...validated.diagnostics];
  if (!validated.result) return { result: null, diagnostics };
  const { loaded, resolved } = validated.result;
  const program = lower(resolved);
  const code = new Map<string, string>();
  // One esbuild build for all Actions (runtime/ parsed once); results in Action order.
  const bundles = await bundleActions(
    program.actions.map((action) => {
      const where = actionSpan(action);
      return { entry: emitAction(action), name: action.name, ...(where ? { span: where } : {}) };
    }),
  );
  program.actions.forEach((action, i) => {
    const bundled = bundles[i]!;
    if ('diagnostics' in bundled) diagnostics.push(...bundled.diagnostics);
    else code.set(action.name, bundled.code);
  });
  if (hasErrors(diagnostics)) return { result: null, diagnostics };
  const files = renderOutput(program, code, loaded);
  return { result: { loaded, resolved, program, files, code }, diagnostics };
}
