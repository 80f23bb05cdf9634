/**
 * Test helpers: compile a project folder in memory (the real pipeline) and run one of its
 * bundled Actions against stub systems on 127.0.0.1.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { compile, type Compiled } from '../../compiler/pipeline';
import { formatText } from '../../compiler/diagnostics/format';
import type { Diagnostic } from '../../compiler/diagnostics';
import { defaultEvent } from '../../compiler/triggers';
import { deepMerge } from '../../compiler/emulator/events';
import { runAction, type RunOutcome } from '../../compiler/emulator/run-action';
import type { ScriptedResponse } from '../../compiler/emulator/stubs';

export const REPO = path.resolve(__dirname, '..', '..');

/** Compiles `projectDir` (relative to `cwd`); throws with the printed diagnostics if it does not build. */
export async function compileOrThrow(projectDir: string, cwd = REPO): Promise<Compiled> {
  const { result, diagnostics } = await compile({ projectDir, cwd });
  if (!result) throw new Error('project did not build:\n' + formatText(diagnostics, { color: false, frames: false }));
  return result;
}

/** Compiles the project `mappings/` of `files` (relative path → text) written to a fresh temp folder: the result (null when it does not build) and every diagnostic. */
export async function compileFiles(files: Record<string, string>): Promise<{ result: Compiled | null; diagnostics: readonly Diagnostic[] }> {
  return compile({ projectDir: 'mappings', cwd: tempProject(files) });
}

/** Writes `files` (relative path → text) into a fresh temp folder and returns its path. */
export function tempProject(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapc-test-'));
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    fs.mkdirSync(path.dirname(abs), { recursive: true });
    fs.writeFileSync(abs, text);
  }
  return dir;
}

export interface RunOptions {
  readonly event?: unknown;
  readonly secrets?: Record<string, string>;
  readonly scripts?: Record<string, readonly ScriptedResponse[]>;
}

/** Runs Action `name` of a compiled project with the default event of its trigger merged with `event`. */
export async function runCompiled(compiled: Compiled, name: string, opts: RunOptions = {}): Promise<RunOutcome> {
  const action = compiled.program.actions.find((a) => a.name === name);
  if (!action) throw new Error(`no Action ${name}`);
  const code = compiled.code.get(name)!;
  const event = deepMerge(defaultEvent(action.trigger), opts.event ?? {}) as Record<string, unknown>;
  return runAction({
    code,
    trigger: action.trigger,
    systems: action.systems,
    event,
    ...(opts.secrets ? { secrets: opts.secrets } : {}),
    ...(opts.scripts ? { scripts: opts.scripts } : {}),
  });
}
