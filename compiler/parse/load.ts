/**
 * Loading a project folder: find mapc.yaml and every spec, refuse hostile files, parse,
 * validate against the schemas and build the model.
 */
import { compare } from '../order';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic, PhaseResult } from '../diagnostics';
import { sortDiagnostics } from '../diagnostics';
import type { LoadedProject, Project, Spec } from '../model';
import { sourceFile, span } from '../source';
import { buildProject, buildSpec } from './model-builder';
import { validateFile } from './validate';
import { loadYamlFile, unreadable, type YamlFile } from './yaml-file';
import { diag } from '../diagnostics';

export const PROJECT_FILE = 'mapc.yaml';

export interface LoadOptions {
  /** Paths in diagnostics are relative to this folder (default `process.cwd()`). */
  readonly cwd?: string;
}

/** The files of a project folder, as absolute paths sorted by their display path. */
interface FoundFiles {
  specs: string[];
  tests: string[];
}

/**
 * Loads the project in `projectDir` (absolute, or relative to `opts.cwd`).
 *
 * `result` is null when mapc.yaml is missing or invalid. A spec with errors is left out of
 * `specs` (its diagnostics say why); the others are still loaded, so one run reports as much
 * as it can. `root` and `testFiles` are absolute paths. Never throws for user mistakes.
 */
export function loadProject(projectDir: string, opts: LoadOptions = {}): PhaseResult<LoadedProject | null> {
  const cwd = path.resolve(opts.cwd ?? process.cwd());
  const root = path.resolve(cwd, projectDir);
  const display = (abs: string): string => {
    const rel = path.relative(cwd, abs);
    return (rel === '' ? '.' : rel).split(path.sep).join('/');
  };
  const diagnostics: Diagnostic[] = [];
  const done = (result: LoadedProject | null): PhaseResult<LoadedProject | null> => ({
    result,
    diagnostics: sortDiagnostics(diagnostics),
  });

  const projectAbs = path.join(root, PROJECT_FILE);
  let realRoot: string;
  try {
    realRoot = fs.realpathSync(root);
  } catch {
    diagnostics.push(diag('MAPC0101', undefined, `project folder '${display(root)}' does not exist`, "pass the folder holding mapc.yaml with --project, or run 'mapc init'"));
    return done(null);
  }
  if (!fs.statSync(realRoot).isDirectory()) {
    diagnostics.push(diag('MAPC0101', undefined, `'${display(root)}' is a file; --project names the folder holding mapc.yaml`, `pass --project ${display(path.dirname(root))}`));
    return done(null);
  }
  if (!fs.existsSync(projectAbs)) {
    diagnostics.push(diag('MAPC0101', undefined, `no project file: '${display(projectAbs)}' not found`, "create it (run 'mapc init'), or pass the folder holding mapc.yaml with --project"));
    return done(null);
  }

  const found: FoundFiles = { specs: [], tests: [] };
  walk(root, { realRoot, projectAbs, display, found, diagnostics, visited: new Set() });
  const byDisplay = (a: string, b: string): number => compare(display(a), display(b));
  found.specs.sort(byDisplay);
  found.tests.sort(byDisplay);

  const project = loadProjectFile(projectAbs, realRoot, display, diagnostics);
  const specs: Spec[] = [];
  for (const abs of found.specs) {
    const yf = loadYamlFile(abs, display(abs));
    diagnostics.push(...yf.diagnostics);
    if (!validated(yf, 'spec', diagnostics)) continue;
    const built = buildSpec(yf.doc!, yf.file, yf.data);
    diagnostics.push(...built.diagnostics);
    specs.push(built.spec);
  }
  if (!project) return done(null);
  return done({ root, cwd, project, specs, testFiles: found.tests });
}

function loadProjectFile(
  abs: string,
  realRoot: string,
  display: (abs: string) => string,
  diagnostics: Diagnostic[],
): Project | null {
  const outside = symlinkOutside(abs, realRoot);
  if (outside) {
    diagnostics.push(symlinkDiagnostic(display(abs), outside));
    return null;
  }
  const yf = loadYamlFile(abs, display(abs));
  diagnostics.push(...yf.diagnostics);
  if (!validated(yf, 'project', diagnostics)) return null;
  const built = buildProject(yf.doc!, yf.file, yf.data);
  diagnostics.push(...built.diagnostics);
  return built.project;
}

/** Validates a loaded file; true when it is ready for model building. */
function validated(yf: YamlFile, kind: 'project' | 'spec', diagnostics: Diagnostic[]): boolean {
  if (yf.doc === null || yf.data === undefined || yf.diagnostics.some((d) => d.severity === 'error')) return false;
  const problems = validateFile(kind, { file: yf.file, doc: yf.doc, data: yf.data });
  diagnostics.push(...problems);
  return problems.length === 0;
}


function isInside(realRoot: string, real: string): boolean {
  const rel = path.relative(realRoot, real);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The resolved target when `abs` is a symlink resolving outside the project, else undefined. */
function symlinkOutside(abs: string, realRoot: string): string | undefined {
  try {
    if (!fs.lstatSync(abs).isSymbolicLink()) return undefined;
    const real = fs.realpathSync(abs);
    return isInside(realRoot, real) ? undefined : real;
  } catch {
    return undefined;
  }
}

function symlinkDiagnostic(displayPath: string, _target: string): Diagnostic {
  // The target is not shown: it is an absolute path of this machine.
  return diag('MAPC0104', span(sourceFile(displayPath, ''), 0, 0), 'symbolic link points outside the project folder; refusing to read it', 'copy the file into the project folder instead of linking to it');
}

/**
 * Collects specs and test files under `dir`. Hidden folders and node_modules are skipped;
 * symlinks are followed only while they stay inside the project, and each real folder is
 * visited once (`visited` holds real paths), so link cycles end.
 */
interface WalkContext {
  readonly realRoot: string;
  /** The project file: loaded on its own, so the walk skips it. */
  readonly projectAbs: string;
  readonly display: (abs: string) => string;
  readonly found: FoundFiles;
  readonly diagnostics: Diagnostic[];
  /** Real paths of the folders already walked. */
  readonly visited: Set<string>;
}

function walk(dir: string, ctx: WalkContext): void {
  const { realRoot, display, found, diagnostics, visited } = ctx;
  let entries: fs.Dirent[];
  try {
    const real = fs.realpathSync(dir);
    if (visited.has(real)) return;
    visited.add(real);
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch (e) {
    diagnostics.push(unreadable(sourceFile(display(dir), ''), e));
    return;
  }
  entries.sort((a, b) => compare(a.name, b.name));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
    const abs = path.join(dir, entry.name);
    // Only the project folder's own mapc.yaml is the project file; elsewhere the name is a spec like any other.
    if (abs === ctx.projectAbs) continue;
    let isDir = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      let real: string;
      let stat: fs.Stats;
      try {
        real = fs.realpathSync(abs);
        stat = fs.statSync(real);
      } catch (e) {
        if (isYaml(entry.name)) diagnostics.push(unreadable(sourceFile(display(abs), ''), e, true));
        continue;
      }
      isDir = stat.isDirectory();
      isFile = stat.isFile();
      if ((isDir || isYaml(entry.name)) && !isInside(realRoot, real)) {
        diagnostics.push(symlinkDiagnostic(display(abs), real));
        continue;
      }
    }
    if (isDir) {
      walk(abs, ctx);
    } else if (isFile || isYaml(entry.name)) {
      // A named pipe, socket or device named *.yaml is a spec that cannot be read: it is
      // collected, and loadYamlFile refuses it (MAPC0112) from its stat, never opening it.
      if (entry.name.endsWith('.test.yaml')) found.tests.push(abs);
      else if (entry.name.endsWith('.yaml')) found.specs.push(abs);
      else if (entry.name.endsWith('.yml')) {
        diagnostics.push(diag('MAPC0113', span(sourceFile(display(abs), ''), 0, 0), 'this file is ignored: mapc reads only files ending in .yaml', `rename it to ${entry.name.slice(0, -4)}.yaml`));
      }
    }
  }
}

function isYaml(name: string): boolean {
  return name.endsWith('.yaml') || name.endsWith('.yml');
}
