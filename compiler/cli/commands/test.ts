/**
 * `mapc test [filter]`: build the project in memory, load its `*.test.yaml` files and run
 * the cases against the bundled Actions (compiler/emulator/cases.ts). Text output: one line
 * per case on stdout, details under a failure, then exactly one closing `N passed, N failed`
 * line. Exit 0 when every selected case passed, 1 on a failure, a diagnostic error or a
 * filter that selects nothing. `--format json` prints one document instead:
 * `{ diagnostics, cases, passed, failed }` (plus `error` when the filter selects nothing).
 */
import { compile } from '../../pipeline';
import { hasErrors } from '../../diagnostics';
import { toJsonDiagnostics } from '../../diagnostics';
import { suggest } from '../../suggest';
import { formatResult, loadTestCases, resultJson, runCases, selectCases, summaryLine, type CaseResult } from '../../emulator';
import { EXIT, type CliIO } from '../io';
import { report, type CommonOptions } from './build';

export interface TestOptions extends CommonOptions {
  /** Cases run at the same time (default 8). */
  readonly jobs?: number;
}

export async function testCommand(io: CliIO, filter: string | undefined, o: TestOptions): Promise<number> {
  const json = o.format === 'json';
  const compiled = await compile({ projectDir: o.project, cwd: io.cwd });
  const loaded = compiled.result ? loadTestCases(compiled.result.loaded.testFiles, compiled.result.program, io.cwd) : null;
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
  const selected = selectCases(all, filter);
  if (all.length > 0 && selected.length === 0) {
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
