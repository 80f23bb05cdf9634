import * as fs from 'node:fs';
import * as path from 'node:path';
import { compile, type Compiled } from '../../pipeline';
import { loadTestCases, type TestCase } from '../../emulator';
import type { PhaseResult } from '../../diagnostics';
import { formatJson, formatSarif, formatText } from '../../diagnostics';
import { version } from '../version';
import { hasErrors, type Diagnostic } from '../../diagnostics';
import { buildKey, cacheFolder, cacheHit, diffOutputDetailed, recordBuild, recoverOutput, renderDirectoryOutput, renderTerraformOutput, writeOutput, TENANT_FILE, TERRAFORM_FILE, TRIGGERS_FILE, type CacheOptions, type Layout, type Target } from '../../output';
import { repoRoot } from '../../bundle';
import { EXIT, type CliIO } from '../io';
import { diag } from '../../diagnostics';

/** How diagnostics are printed: text on stderr; JSON or SARIF 2.1.0 on stdout. */
export type DiagnosticsFormat = 'text' | 'json' | 'sarif';

export interface CommonOptions {
  readonly project: string;
  readonly format: DiagnosticsFormat;
}

/** Prints diagnostics in the requested format: JSON or SARIF to stdout, text to stderr. */
export function report(io: CliIO, format: DiagnosticsFormat, diagnostics: readonly Diagnostic[], project?: string): void {
  if (format === 'json' || format === 'sarif') {
    // SARIF reports a diagnostic without a location at the project file (see sarif.ts).
    const fallbackFile = project === undefined ? undefined : path.relative(io.cwd, path.resolve(io.cwd, project, 'mapc.yaml'));
    io.stdout((format === 'json' ? formatJson(diagnostics) : formatSarif(diagnostics, { version: version(), ...(fallbackFile !== undefined ? { fallbackFile } : {}) })) + '\n');
    return;
  }
  if (diagnostics.length === 0) return;
  const color = io.isTTY && !io.env['NO_COLOR'];
  io.stderr(formatText(diagnostics, { color, frames: io.isTTY }) + '\n');
}

/**
 * `mapc validate`, the CI gate: everything `mapc build` would refuse (the whole pipeline runs
 * in memory, bundling and the Action size limit MAPC0801 included) and everything `mapc test`
 * would refuse before running a case (its test files' MAPC10xx), without writing anything.
 * Only problems of the output folder itself (MAPC0803/0804) are left to `build`.
 */
export async function validateCommand(io: CliIO, o: CommonOptions): Promise<number> {
  const { result, diagnostics, tests } = await compileWithTests(io, o);
  const all = [...diagnostics, ...(tests?.diagnostics ?? [])];
  report(io, o.format, all, o.project);
  if (!result || hasErrors(all)) return EXIT.failed;
  if (o.format === 'text') io.stderr(`mapc: ${result.loaded.specs.length} spec(s) valid.\n`);
  return EXIT.ok;
}

/** What every command compiles with: the project, and the bundle cache when there is a cache folder. */
function projectOptions(io: CliIO, o: CommonOptions): { projectDir: string; cwd: string; cacheDir?: string } {
  const folder = cacheFolder(io.cwd, io.env);
  return { projectDir: o.project, cwd: io.cwd, ...(folder !== null ? { cacheDir: folder } : {}) };
}

/**
 * The project compiled and its test files loaded (`validate`, `test`): the test files are read
 * and checked while esbuild bundles. `tests` is null when the project did not compile.
 */
export async function compileWithTests(io: CliIO, o: CommonOptions): Promise<PhaseResult<Compiled | null> & { readonly tests: PhaseResult<TestCase[]> | null }> {
  let tests: PhaseResult<TestCase[]> | null = null;
  const compiled = await compile({
    ...projectOptions(io, o),
    whileBundling: (loaded, program) => void (tests = loadTestCases(loaded.testFiles, program, io.cwd, loaded.project.testDefaults)),
  });
  return { ...compiled, tests: compiled.result ? tests : null };
}

export interface OutputOptions {
  readonly out: string;
  /** `yaml` (tenant.yaml, the default) or `directory` (the Deploy CLI's directory format). */
  readonly layout?: Layout;
  /** `deploy-cli` (the default: tenant.yaml, or `layout`) or `terraform` (main.tf.json instead of tenant.yaml). */
  readonly target?: Target;
}

/** The output files of a build for the requested target and layout: what `build` writes and `check` compares. */
function filesIn(o: OutputOptions, result: Compiled): ReadonlyMap<string, string> {
  if (o.target === 'terraform') return renderTerraformOutput(result.program, result.code, result.loaded);
  return o.layout === 'directory' ? renderDirectoryOutput(result.program, result.code, result.loaded) : result.files;
}

/** `npx mapc <command>` for this project and output folder, with the flags choosing `output` (for hints). */
function commandLine(command: 'build' | 'check', o: CommonOptions & OutputOptions, output: OutputChoice): string {
  return [`npx mapc ${command}`, ...(o.project !== 'mappings' ? [`-p ${o.project}`] : []), ...(o.out !== 'generated' ? [`-o ${o.out}`] : []), ...outputFlags(output)].join(' ');
}

/** What the output flags choose. */
type OutputChoice = Pick<OutputOptions, 'layout' | 'target'>;

/** The build flags that select the output, for the hint of `check`; none for the default. */
function outputFlags(o: OutputChoice): string[] {
  return o.target === 'terraform' ? ['--target terraform'] : o.layout === 'directory' ? ['--layout directory'] : [];
}

const OUTPUT_NAMES = {
  yaml: 'a Deploy CLI build in the YAML layout (tenant.yaml)',
  directory: 'a Deploy CLI build in the directory layout (actions/*.json, triggers/)',
  terraform: 'a Terraform build (main.tf.json)',
} as const;

function outputName(o: OutputChoice): keyof typeof OUTPUT_NAMES {
  return o.target === 'terraform' ? 'terraform' : o.layout === 'directory' ? 'directory' : 'yaml';
}

/** The output an existing folder was built as, from the file only that output writes; null when none is there. */
function builtAs(outDir: string): OutputChoice | null {
  const has = (f: string): boolean => fs.existsSync(path.join(outDir, f));
  if (has(TENANT_FILE)) return { target: undefined, layout: 'yaml' };
  if (has(TERRAFORM_FILE)) return { target: 'terraform', layout: undefined };
  if (has(TRIGGERS_FILE)) return { target: undefined, layout: 'directory' };
  return null;
}

/** `--layout` chooses between the Deploy CLI's formats; the Terraform target has one. A usage error, or null. */
function outputUsage(io: CliIO, o: OutputOptions): number | null {
  if (o.target !== 'terraform' || (o.layout ?? 'yaml') === 'yaml') return null;
  io.stderr(`mapc: --layout ${o.layout} is a Deploy CLI layout; --target terraform writes main.tf.json and takes no --layout\n`);
  return EXIT.usage;
}

export async function buildCommand(io: CliIO, o: CommonOptions & OutputOptions): Promise<number> {
  const usage = outputUsage(io, o);
  if (usage !== null) return usage;
  const outDir = path.resolve(io.cwd, o.out);
  // The build cache (compiler/output/cache.ts): nothing changed since the last clean build.
  const cache: CacheOptions = {
    cwd: io.cwd,
    projectDir: path.resolve(io.cwd, o.project),
    outDir,
    variant: o.target === 'terraform' ? 'target=terraform' : `layout=${o.layout ?? 'yaml'}`,
    installDir: repoRoot(),
    env: io.env,
  };
  recoverOutput(outDir);
  const key = buildKey(cache);
  const cached = key === null ? null : cacheHit(cache, key);
  if (cached !== null) {
    report(io, o.format, [], o.project);
    if (o.format === 'text') io.stderr(`mapc: ${o.out}/ is up to date (${cached} Action(s); no input changed since the last build)\n`);
    return EXIT.ok;
  }
  const { result, diagnostics } = await compile(projectOptions(io, o));
  // Nothing is written unless the whole build succeeded; writing itself is atomic.
  const files = result ? filesIn(o, result) : null;
  const written = result && files ? await writeOutput(outDir, files) : [];
  report(io, o.format, [...diagnostics, ...written], o.project);
  if (!result || written.length > 0) return EXIT.failed;
  if (key !== null && files && diagnostics.length === 0) recordBuild(cache, key, files, result.program.actions.length);
  if (o.format === 'text') {
    io.stderr(`mapc: wrote ${result.program.actions.length} Action(s) to ${o.out}/\n`);
  }
  return EXIT.ok;
}

export async function checkCommand(io: CliIO, o: CommonOptions & OutputOptions): Promise<number> {
  const usage = outputUsage(io, o);
  if (usage !== null) return usage;
  const { result, diagnostics } = await compile(projectOptions(io, o));
  if (!result) {
    report(io, o.format, diagnostics, o.project);
    return EXIT.failed;
  }
  // Compared for the target and layout asked for: a directory-layout or Terraform folder is not drift of a YAML build.
  const drift = diffOutputDetailed(path.resolve(io.cwd, o.out), filesIn(o, result));
  const rebuild = commandLine('build', o, o);
  // A folder built for another target or layout is one mistake (the flags), not a file-by-file drift.
  const other = drift.length > 0 ? builtAs(path.resolve(io.cwd, o.out)) : null;
  const wanted: OutputChoice = { target: o.target, layout: o.layout };
  if (other !== null && outputFlags(other).join(' ') !== outputFlags(wanted).join(' ')) {
    const checkAgain = commandLine('check', o, other);
    const d = diag('MAPC0805', undefined, `${o.out}/ holds ${OUTPUT_NAMES[outputName(other)]}, and this check compares ${OUTPUT_NAMES[outputName(wanted)]}`, `check with the flags it was built with: \`${checkAgain}\` (or rebuild it with \`${rebuild}\` to change the output)`);
    report(io, o.format, [...diagnostics, d], o.project);
    return EXIT.failed;
  }
  const stale: Diagnostic[] = drift.map((d) => (diag('MAPC0805', undefined, `${o.out}/${d.path} ${d.kind === 'changed' ? 'differs from a fresh build' : d.kind === 'missing' ? 'is missing' : 'is not produced by the specs any more'}`, `run \`${rebuild}\` and commit the result`)));
  report(io, o.format, [...diagnostics, ...stale], o.project);
  if (stale.length > 0) return EXIT.failed;
  if (o.format === 'text') io.stderr(`mapc: ${o.out}/ is up to date.\n`);
  return EXIT.ok;
}
