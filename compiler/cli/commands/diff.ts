/**
 * `mapc diff [base-ref]`: the semantic diff of the specs for reviewers (SPEC 7.2). Exit 0; 1 when
 * the working tree does not build or `--fail-on` trips; 2 when the base cannot be read.
 */
import { diffProject } from '../../diff';
import { shouldFail } from '../../diff';
import { renderText } from '../../diff';
import { renderMarkdown } from '../../diff';
import { renderJson } from '../../diff';
import { renderDiffHtml } from '../../catalog';
import { EXIT, type CliIO } from '../io';
import { report } from './build';

export interface DiffCommandOptions {
  readonly project: string;
  readonly format: 'text' | 'markdown' | 'json' | 'html';
  readonly baseDir?: string;
  readonly failOn?: 'risky' | 'any';
}

export async function diffCommand(io: CliIO, ref: string | undefined, o: DiffCommandOptions): Promise<number> {
  if (ref !== undefined && o.baseDir !== undefined) {
    io.stderr('mapc: give either a base ref or --base-dir, not both\n');
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
  io.stdout(o.format === 'json' ? renderJson(r) : o.format === 'markdown' ? renderMarkdown(r) : o.format === 'html' ? renderDiffHtml(r, outcome.head) : renderText(r));
  return shouldFail(r, o.failOn) ? EXIT.failed : EXIT.ok;
}
