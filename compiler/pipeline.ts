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
import { actionSpan, emitAction, specSizes } from './emit';
import { diag } from './diagnostics';
import type { ActionIR } from './ir';
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

export interface CompileOptions extends ProjectOptions {
  /**
   * Work to do while esbuild bundles in its own process (e.g. loading the test files): called
   * once the project is lowered, before the bundles are awaited, so both run at the same time.
   * Not called when an earlier phase failed.
   */
  readonly whileBundling?: (loaded: LoadedProject, program: ProgramIR) => void;
  /** A folder to keep bundled Actions in across builds (compiler/bundle `cacheDir`); none by default. */
  readonly cacheDir?: string;
}

/** Everything up to the rendered output files, in memory. */
export async function compile(opts: CompileOptions): Promise<PhaseResult<Compiled | null>> {
  const validated = validate(opts);
  const diagnostics = [...validated.diagnostics];
  if (!validated.result) return { result: null, diagnostics };
  const { loaded, resolved } = validated.result;
  const program = lower(resolved);
  const code = new Map<string, string>();
  // One esbuild build for all Actions (runtime/ parsed once); results in Action order.
  const bundling = bundleActions(
    program.actions.map((action) => {
      const where = actionSpan(action);
      return { entry: emitAction(action), name: action.name, ...(where ? { span: where } : {}) };
    }),
    opts.cacheDir !== undefined ? { cacheDir: opts.cacheDir } : {},
  );
  if (opts.whileBundling) {
    // One turn of the event loop first: esbuild's request is written to its process then.
    await new Promise<void>((r) => setImmediate(r));
    opts.whileBundling(loaded, program);
  }
  const bundles = await bundling;
  program.actions.forEach((action, i) => {
    const bundled = bundles[i]!;
    if (!('diagnostics' in bundled)) code.set(action.name, bundled.code);
    else if (bundled.tooLarge) diagnostics.push(...bundled.diagnostics.filter((d) => d.code !== 'MAPC0801'), tooLarge(action, resolved, bundled.tooLarge));
    else diagnostics.push(...bundled.diagnostics);
  });
  if (hasErrors(diagnostics)) return { result: null, diagnostics };
  const files = renderOutput(program, code, loaded);
  return { result: { loaded, resolved, program, files, code }, diagnostics };
}

/**
 * MAPC0801 for an Action over Auth0's size limit, located at the spec that takes it over: the
 * runtime and shared code first, then each spec's share in file order; notes give every
 * other spec's share, the largest first (at most 20).
 */
function tooLarge(action: ActionIR, resolved: ResolvedProject, size: { bytes: number; max: number }) {
  const specs = resolved.actions.find((a) => a.name === action.name)?.specs.map((r) => r.spec) ?? [];
  const shares = specSizes(action);
  const shared = Math.max(0, size.bytes - shares.reduce((a, b) => a + b, 0));
  let total = shared;
  let over = shares.length - 1;
  for (let i = 0; i < shares.length; i++) {
    total += shares[i]!;
    if (total > size.max) {
      over = i;
      break;
    }
  }
  const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
  const at = specs[over];
  const notes = shares
    .map((bytes, i) => ({ bytes, spec: specs[i] }))
    .filter((x) => x.spec !== undefined && x.spec !== at)
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, 20)
    .map((x) => ({ message: `spec '${x.spec!.name.value}' adds about ${kb(x.bytes)}`, span: x.spec!.name.span }));
  return diag(
    'MAPC0801',
    at?.name.span,
    `Action '${action.name}' is ${size.bytes} bytes after bundling; Auth0 accepts at most ${size.max} bytes per Action: the runtime and shared code take about ${kb(shared)}, the specs before this one in file order fit, and this spec (about ${kb(shares[over] ?? 0)}) takes it over`,
    'move some specs into their own Action with `action: <name>`, or drop mappings this Action does not need',
    notes,
  );
}
