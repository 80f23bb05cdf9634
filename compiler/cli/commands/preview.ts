/**
 * `mapc preview --users <file>`: what the built Actions would do to exported users, counted
 * (docs/preview.md). The systems answer from `--systems` (recorded responses, YAML or JSON:
 * `{ <system>: [{ method?, path?, status?, body? }, ...] }`; a response without `path` answers
 * every path) or, without it, from the `*.test.yaml` stubs of the project (a stub recorded for a
 * test user's path answers every user). Prints the report on stdout (text, markdown or JSON).
 * Exit 0; 1 when the project does not build, an input is bad or an execution failed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { diag, hasErrors, type Diagnostic } from '../../diagnostics';
import { sourceFile, span } from '../../source';
import { openUsersFile, readUsers } from '../../backfill';
import { Previewer, previewJson, previewMarkdown, previewText, type Responses } from '../../preview';
import type { ScriptedResponse } from '../../emulator';
import { EXIT, type CliIO } from '../io';
import { compileWithTests, report } from './build';

export interface PreviewOptions {
  readonly project: string;
  readonly users: string;
  readonly spec?: string;
  readonly systems?: string;
  readonly concurrency: number;
  readonly format: 'text' | 'markdown' | 'json';
}

const MAX_LISTED = 20;

export async function previewCommand(io: CliIO, o: PreviewOptions): Promise<number> {
  const fmt = o.format === 'json' ? 'json' : 'text';
  const compiled = await compileWithTests(io, { project: o.project, format: fmt });
  const all = [...compiled.diagnostics, ...(compiled.tests?.diagnostics ?? [])];
  if (!compiled.result || hasErrors(all)) {
    report(io, fmt, all, o.project);
    return EXIT.failed;
  }
  const { program, code } = compiled.result;
  let actions = program.actions;
  if (o.spec !== undefined) {
    actions = actions.filter((a) => a.specs.some((s) => s.name === o.spec));
    if (actions.length === 0) {
      report(io, fmt, [diag('MAPC0821', undefined, `the project has no spec named '${o.spec}'`, `specs: ${program.actions.flatMap((a) => a.specs.map((s) => s.name)).join(', ')}`)], o.project);
      return EXIT.failed;
    }
  }

  let responses: Responses;
  if (o.systems !== undefined) {
    const loaded = loadSystems(io, o.systems);
    if ('diagnostic' in loaded) {
      report(io, fmt, [loaded.diagnostic], o.project);
      return EXIT.failed;
    }
    responses = { bySystem: loaded.bySystem, loose: false };
  } else {
    // The test stubs of the cases of these Actions, in file order.
    const bySystem: Record<string, ScriptedResponse[]> = {};
    const names = new Set(actions.map((a) => a.name));
    for (const c of compiled.tests?.result ?? []) {
      if (!names.has(c.action.name)) continue;
      for (const [system, list] of Object.entries(c.scripts)) (bySystem[system] ??= []).push(...list);
    }
    responses = { bySystem, loose: true };
  }

  const file = path.resolve(io.cwd, o.users);
  const shownPath = path.relative(io.cwd, file) || o.users;
  if (!fs.existsSync(file)) {
    report(io, fmt, [diag('MAPC0822', undefined, `cannot read the users file ${shownPath}: no such file`, 'give an export of the tenant\'s users: NDJSON, one user a line (gzipped or not)')], o.project);
    return EXIT.failed;
  }
  const previewer = new Previewer(actions, code, responses, o.concurrency, o.spec !== undefined ? new Set([o.spec]) : undefined);
  const bad: Diagnostic[] = [];
  let fatal: string | undefined;
  try {
    const inflight = new Set<Promise<void>>();
    for await (const u of readUsers(openUsersFile(file, { bytes: 0 }))) {
      if ('problem' in u) {
        previewer.result.errors++;
        if (bad.length < MAX_LISTED) {
          const at = Math.max(0, u.line - 1);
          bad.push(diag('MAPC0822', span(sourceFile(shownPath, '\n'.repeat(at)), at, at), `line ${u.line} of the users file ${u.problem}`, 'each line must be one exported user: a JSON object with a user_id (Auth0 export-job format)'));
        }
        continue;
      }
      const p: Promise<void> = previewer.add(u.user).then(
        () => undefined,
      ).finally(() => inflight.delete(p));
      inflight.add(p);
      if (inflight.size >= o.concurrency) await Promise.race(inflight);
    }
    await Promise.all(inflight);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    fatal = e.code === 'Z_DATA_ERROR' || e.code === 'Z_BUF_ERROR' ? `${shownPath} is not valid gzip` : `${e.code ?? 'error'} while reading ${shownPath}`;
  }
  if (fatal !== undefined) bad.push(diag('MAPC0822', undefined, fatal));
  if (bad.length > 0) report(io, 'text', bad);
  const r = previewer.finish();
  io.stdout(o.format === 'json' ? previewJson(r) : o.format === 'markdown' ? previewMarkdown(r) : previewText(r));
  return fatal === undefined && r.errors === 0 && r.threw === 0 ? EXIT.ok : EXIT.failed;
}

/** The `--systems` file: `{ <system>: [response, ...] }` in YAML or JSON. */
export function loadSystems(io: CliIO, file: string): { bySystem: Record<string, ScriptedResponse[]> } | { diagnostic: Diagnostic } {
  const abs = path.resolve(io.cwd, file);
  const shownPath = path.relative(io.cwd, abs) || file;
  let text: string;
  try {
    text = fs.readFileSync(abs, 'utf8');
  } catch {
    return { diagnostic: diag('MAPC0826', undefined, `cannot read the --systems file ${shownPath}`) };
  }
  const src = sourceFile(shownPath, text);
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    const pos = (err as { linePos?: { line: number; col: number }[] }).linePos?.[0];
    const at = pos ? (src.lineStarts[pos.line - 1] ?? 0) + pos.col - 1 : 0;
    return { diagnostic: diag('MAPC0826', span(src, at, at + 1), 'the --systems file is not valid YAML or JSON', 'write { <system>: [{ method, path, status, body }, ...] }') };
  }
  const fail = (what: string) => ({ diagnostic: diag('MAPC0826', span(src, 0, 0), `the --systems file ${what}`, 'write { <system>: [{ method, path, status, body }, ...] }: a response without path answers every path') });
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return fail('is not a map of system names to recorded responses');
  const bySystem: Record<string, ScriptedResponse[]> = {};
  for (const [system, list] of Object.entries(doc as Record<string, unknown>)) {
    if (!Array.isArray(list) || !list.every((x) => typeof x === 'object' && x !== null && !Array.isArray(x))) return fail(`has '${system}', which is not a list of responses`);
    bySystem[system] = (list as Record<string, unknown>[]).map((x) => ({
      ...(typeof x['method'] === 'string' ? { method: x['method'] } : {}),
      ...(typeof x['path'] === 'string' ? { path: x['path'] } : {}),
      ...(typeof x['status'] === 'number' ? { status: x['status'] } : {}),
      ...(x['body'] !== undefined ? { body: x['body'] } : {}),
    }));
  }
  return { bySystem };
}
