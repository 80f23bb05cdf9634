/**
 * `mapc test [filter]`: build the project in memory, load its `*.test.yaml` files and run
 * the cases against the bundled Actions (compiler/emulator/cases.ts). Text output: one line
 * per case on stdout, details under a failure, then exactly one closing `N passed, N failed`
 * line. Exit 0 when every selected case passed, 1 on a failure, a diagnostic error or a
 * filter that selects nothing. `--format json` prints one document instead:
 * `{ diagnostics, cases, passed, failed }` (plus `error` when the filter selects nothing).
 */
import { hasErrors } from '../../diagnostics';
import { toJsonDiagnostics } from '../../diagnostics';
import { suggest } from '../../suggest';
import { formatResult, resultJson, runCases, selectCases, summaryLine, type CaseResult, type TestCase } from '../../emulator';
import { EXIT, type CliIO } from '../io';
import { compileWithTests, report, type CommonOptions } from './build';

export interface TestOptions extends CommonOptions {
  /** Cases run at the same time (default 8). */
  readonly jobs?: number;
  /**
   * `--watch`: the files saved since the last run (cwd-relative). Only the cases they can
   * affect run — every case of an Action holding a changed spec, every case of a changed test
   * file — unless a changed file is neither (mapc.yaml, a new file): then all.
   */
  readonly changed?: readonly string[];
}

/** The cases `changed` files can affect, or all of them (see TestOptions.changed). */
function affected(cases: readonly TestCase[], specFiles: ReadonlyMap<string, string>, changed: readonly string[]): readonly TestCase[] {
  const changedSpecs = new Set<string>();
  const fileOf = (c: TestCase) => c.location.replace(/:\d+:\d+$/, '');
  const testFiles = new Set(cases.map(fileOf));
  for (const f of changed) {
    const spec = specFiles.get(f);
    if (spec !== undefined) changedSpecs.add(spec);
    else if (!testFiles.has(f)) return cases;
  }
  return cases.filter((c) => changed.includes(fileOf(c)) || c.action.specs.some((s) => changedSpecs.has(s.name)));
}

export async function testCommand(io: CliIO, filter: string | undefined, o: TestOptions): Promise<number> {
  const json = o.format === 'json';
  const { tests: loaded, ...compiled } = await compileWithTests(io, o);
  const diagnostics = [...compiled.diagnostics, ...(loaded?.diagnostics ?? [])];
  if (!compiled.result || !loaded || hasErrors(diagnostics)) {
    // JSON keeps one document shape whether or not cases ran.
    if (json) io.stdout(JSON.stringify({ diagnostics: toJsonDiagnostics(diagnostics), cases: [], passed: 0, failed: 0 }, null, 2) + '\n');
    else report(io, 'text', diagnostics);
    return EXIT.failed;
  }
  if (!json) report(io, 'text', diagnostics);

  const { result } = compiled;
  const all = loaded.result;
  const filtered = selectCases(all, filter);
  const specFiles = new Map(result.loaded.specs.map((sp) => [sp.file.path, sp.name.value]));
  const selected = o.changed && o.changed.length > 0 ? [...affected(filtered, specFiles, o.changed)] : filtered;
  if (!json && selected.length < filtered.length) io.stderr(`mapc: running the ${selected.length} of ${filtered.length} case(s) the change can affect\n`);
  if (all.length > 0 && filtered.length === 0) {
    const names = [...new Set(all.flatMap((c) => [c.spec, c.name]))];
    const guess = filter === undefined ? undefined : suggest(filter, names);
    const msg = `mapc: no test case matches '${filter ?? ''}'${guess ? ` (did you mean '${guess}'?)` : ''}`;
    if (json) io.stdout(JSON.stringify({ diagnostics: [], cases: [], passed: 0, failed: 0, error: msg }, null, 2) + '\n');
    else io.stderr(msg + '\n');
    return EXIT.failed;
  }
  if (all.length === 0 && !json) io.stderr(`mapc: no test files (*.test.yaml) in ${o.project}/\n`);

  const color = io.isTTY && !io.env['NO_COLOR'];
  const results: CaseResult[] = await runCases(selected, {
    code: result.code,
    ...(result.program.claimsNamespace !== undefined ? { claimsNamespace: result.program.claimsNamespace } : {}),
    ...(o.jobs !== undefined ? { concurrency: o.jobs } : {}),
    onResult: json ? undefined : (r) => io.stdout(formatResult(r, { color }) + '\n'),
  });
  const failed = results.filter((r) => !r.passed).length;
  if (json) {
    io.stdout(
      JSON.stringify(
        { diagnostics: toJsonDiagnostics(diagnostics), cases: results.map(resultJson), passed: results.length - failed, failed },
        null,
        2,
      ) + '\n',
    );
  } else {
    io.stdout(summaryLine(results) + '\n');
  }
  return failed > 0 ? EXIT.failed : EXIT.ok;
}
