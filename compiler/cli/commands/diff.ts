/**
 * `mapc diff [base-ref]`: the semantic diff of the specs for reviewers (SPEC 7.2). Exit 0; 1 when
 * the working tree does not build, `--fail-on` trips or a `--users` line is bad; 2 when the base
 * cannot be read. With `--users <file>`, every exported user also runs through the base's and the
 * head's Actions (as `mapc preview` does, the systems answered by `--systems` or the head's test
 * stubs), and the report ends with the change's impact on them (docs/preview.md).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diffProject } from '../../diff';
import { shouldFail } from '../../diff';
import { renderText } from '../../diff';
import { renderMarkdown } from '../../diff';
import { renderJson } from '../../diff';
import { diag, type Diagnostic } from '../../diagnostics';
import { sourceFile, span } from '../../source';
import { openUsersFile, readUsers } from '../../backfill';
import { loadTestCases, type ScriptedResponse } from '../../emulator';
import { addImpact, impactJson, impactMarkdown, impactText, newImpact, Previewer, type Impact, type Responses } from '../../preview';
import type { Compiled } from '../../pipeline';
import { renderDiffHtml } from '../../catalog';
import { EXIT, type CliIO } from '../io';
import { report } from './build';
import { loadSystems } from './preview';

export interface DiffCommandOptions {
  readonly project: string;
  readonly format: 'text' | 'markdown' | 'json' | 'html';
  readonly baseDir?: string;
  readonly failOn?: 'risky' | 'any';
  readonly users?: string;
  readonly systems?: string;
  readonly concurrency?: number;
}

export async function diffCommand(io: CliIO, ref: string | undefined, o: DiffCommandOptions): Promise<number> {
  if (ref !== undefined && o.baseDir !== undefined) {
    io.stderr('mapc: give either a base ref or --base-dir, not both\n');
    return EXIT.usage;
  }
  if (o.users !== undefined && o.format === 'html') {
    io.stderr('mapc: the html report draws the lineage graph and has no users section; use --users with -f text, markdown or json\n');
    return EXIT.usage;
  }
  if (o.systems !== undefined && o.users === undefined) {
    io.stderr('mapc: --systems answers the systems for --users; give --users too\n');
    return EXIT.usage;
  }
  const outcome = await diffProject({
    cwd: io.cwd,
    projectDir: o.project,
    base: o.baseDir !== undefined ? { kind: 'dir', dir: o.baseDir } : { kind: 'ref', ref: ref ?? 'HEAD' },
  });
  if (outcome.kind === 'usage') {
    io.stderr(`mapc: ${outcome.message}\n`);
    return EXIT.usage;
  }
  if (outcome.kind === 'head-fails') {
    report(io, 'text', outcome.diagnostics);
    io.stderr('mapc: the specs in the working tree do not build; fix them before diffing.\n');
    return EXIT.failed;
  }
  const r = outcome.report;
  let impact: Impact | undefined;
  if (o.users !== undefined) {
    const done = await usersImpact(io, outcome.built, o, o.users);
    if ('exit' in done) return done.exit;
    impact = done.impact;
  }
  const file = o.users ?? '';
  if (o.format === 'json') {
    const doc = JSON.parse(renderJson(r)) as Record<string, unknown>;
    io.stdout(impact ? JSON.stringify({ ...doc, users: impactJson(impact) }, null, 2) + '\n' : renderJson(r));
  } else if (o.format === 'markdown') io.stdout(renderMarkdown(r) + (impact ? impactMarkdown(impact, file) : ''));
  else if (o.format === 'html') io.stdout(renderDiffHtml(r, outcome.built.head));
  else io.stdout(renderText(r) + (impact ? impactText(impact, file) : ''));
  return shouldFail(r, o.failOn) ? EXIT.failed : EXIT.ok;
}

/** Every user through both sides; the impact, or the exit code when an input is bad. */
async function usersImpact(io: CliIO, built: { base: Compiled | null; head: Compiled }, o: DiffCommandOptions, users: string): Promise<{ impact: Impact } | { exit: number }> {
  let responses: Responses;
  if (o.systems !== undefined) {
    const loaded = loadSystems(io, o.systems);
    if ('diagnostic' in loaded) {
      report(io, 'text', [loaded.diagnostic]);
      return { exit: EXIT.failed };
    }
    responses = { bySystem: loaded.bySystem, loose: false };
  } else {
    const head = built.head;
    const cases = loadTestCases(head.loaded.testFiles, head.program, io.cwd, head.loaded.project.testDefaults).result;
    const bySystem: Record<string, ScriptedResponse[]> = {};
    for (const c of cases) for (const [system, list] of Object.entries(c.scripts)) (bySystem[system] ??= []).push(...list);
    responses = { bySystem, loose: true };
  }
  const abs = path.resolve(io.cwd, users);
  const shownPath = path.relative(io.cwd, abs) || users;
  if (!fs.existsSync(abs)) {
    report(io, 'text', [diag('MAPC0822', undefined, `cannot read the users file ${shownPath}: no such file`)]);
    return { exit: EXIT.failed };
  }
  const c = o.concurrency ?? 8;
  const base = new Previewer(built.base?.program.actions ?? [], built.base?.code ?? new Map(), responses, c);
  const head = new Previewer(built.head.program.actions, built.head.code, responses, c);
  const impact = newImpact();
  const bad: Diagnostic[] = [];
  let badLines = 0;
  try {
    const inflight = new Set<Promise<void>>();
    for await (const u of readUsers(openUsersFile(abs, { bytes: 0 }))) {
      if ('problem' in u) {
        const at = Math.max(0, u.line - 1);
        badLines++;
        if (bad.length < 20) bad.push(diag('MAPC0822', span(sourceFile(shownPath, '\n'.repeat(at)), at, at), `line ${u.line} of the users file ${u.problem}`));
        continue;
      }
      const p: Promise<void> = Promise.all([base.add(u.user), head.add(u.user)])
        .then(([b, h]) => addImpact(impact, b, h))
        .finally(() => inflight.delete(p));
      inflight.add(p);
      if (inflight.size >= c) await Promise.race(inflight);
    }
    await Promise.all(inflight);
  } catch (err) {
    bad.push(diag('MAPC0822', undefined, `${(err as NodeJS.ErrnoException).code ?? 'error'} while reading ${shownPath}`));
  }
  if (bad.length > 0) {
    report(io, 'text', bad);
    if (badLines > bad.length) io.stderr(`mapc: … and ${badLines - bad.length} more bad line(s)\n`);
    return { exit: EXIT.failed };
  }
  return { impact };
}
