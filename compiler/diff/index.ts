/**
 * `mapc diff`: build the base (a git ref or a folder) and the head (the working tree) in
 * memory with the real pipeline, flatten both into snapshots and compare them semantically.
 * Public surface: `diffProject` (does the I/O) and `compareSnapshots` (pure).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { compile, type Compiled } from '../pipeline';
import type { Diagnostic } from '../diagnostics';
import { sortDiagnostics } from '../diagnostics';
import { lineCol } from '../source';
import { compareItems, compareSizes, type Change, type SizeChange } from './compare';
import { findRisks, type Risk } from './risk';
import { ownersToReview, type OwnerToReview } from './review';
import { buildSnapshot, emptySnapshot, type ItemKind, type Snapshot } from './snapshot';
import { GitError, readProjectAtRef } from './git';

export type { Change, SizeChange, PropChange, ChangeStatus } from './compare';
export type { Risk, RiskKind } from './risk';
export type { OwnerToReview } from './review';
export { GitError, repoRoot, readProjectAtRef } from './git';
export * from './format-common';
export * from './render-text';
export * from './render-markdown';
export * from './render-json';
export * from './codeowners';
export { literalText, transformsText, valueText } from './print';
export * from './report';
import { SUMMARY_ROWS, type Comparison, type Counts, type DiffReport, type SideInfo, type SummaryRow } from './report';

const ROW_OF: Record<ItemKind, SummaryRow> = {
  spec: 'specs',
  field: 'fields',
  lookup: 'lookups',
  send: 'sends',
  access: 'access',
  system: 'systems',
  attribute: 'attributes',
  project: 'project',
};

/** Everything one diff reports, from two snapshots. Pure and deterministic. */
export function compareSnapshots(base: Snapshot, head: Snapshot): Comparison {
  const changes = compareItems(base, head);
  const summary = Object.fromEntries(SUMMARY_ROWS.map((r) => [r, { added: 0, removed: 0, changed: 0 }])) as Record<
    SummaryRow,
    { added: number; removed: number; changed: number }
  >;
  for (const c of changes) summary[ROW_OF[c.kind]][c.status]++;
  return {
    changes,
    risks: findRisks(base, head, changes),
    owners: ownersToReview(base, head, changes),
    actions: compareSizes(base, head),
    summary,
  };
}

export type BaseSource = { readonly kind: 'ref'; readonly ref: string } | { readonly kind: 'dir'; readonly dir: string };

export interface DiffOptions {
  readonly cwd: string;
  /** The project folder (default `mappings`), relative to `cwd` or absolute. */
  readonly projectDir: string;
  readonly base: BaseSource;
}

/**
 * The outcome of `mapc diff`: a report; or the head does not build (its diagnostics); or the
 * base could not be read at all (a usage problem: no repository, unknown ref, missing folder).
 */
export type DiffOutcome =
  | {
      readonly kind: 'report';
      readonly report: DiffReport;
      /** Both sides as built (the base is null when it does not build or does not exist), for `mapc diff --users`. */
      readonly built: { readonly base: Compiled | null; readonly head: Compiled };
    }
  | { readonly kind: 'head-fails'; readonly diagnostics: readonly Diagnostic[] }
  | { readonly kind: 'usage'; readonly message: string };

function errorLines(diagnostics: readonly Diagnostic[]): string[] {
  return sortDiagnostics(diagnostics.filter((d) => d.severity === 'error')).map((d) => {
    const at = d.span ? `${d.span.file.path}:${lineCol(d.span.file, d.span.start).line}:${lineCol(d.span.file, d.span.start).column}: ` : '';
    return `${at}error ${d.code}: ${d.message}`;
  });
}

/** Builds both sides and compares them. Never throws for user mistakes. */
export async function diffProject(opts: DiffOptions): Promise<DiffOutcome> {
  const head = await compile({ projectDir: opts.projectDir, cwd: opts.cwd });
  if (!head.result) return { kind: 'head-fails', diagnostics: head.diagnostics };
  const headSnap = buildSnapshot(head.result);
  const headInfo: SideInfo = { label: 'working tree', builds: true, errors: [], specs: head.result.loaded.specs.length };

  let baseSnap: Snapshot | null;
  let baseInfo: SideInfo;
  let baseBuilt: Compiled | null = null;
  if (opts.base.kind === 'dir') {
    const dir = path.resolve(opts.cwd, opts.base.dir);
    if (!fs.existsSync(dir)) return { kind: 'usage', message: `base folder ${opts.base.dir} does not exist` };
    const built = await compile({ projectDir: opts.base.dir, cwd: opts.cwd });
    baseBuilt = built.result;
    baseSnap = built.result ? buildSnapshot(built.result) : null;
    baseInfo = { label: opts.base.dir, builds: !!built.result, errors: errorLines(built.diagnostics), specs: built.result?.loaded.specs.length ?? 0 };
  } else {
    let tree;
    try {
      tree = readProjectAtRef(opts.cwd, opts.projectDir, opts.base.ref);
    } catch (err) {
      if (err instanceof GitError) return { kind: 'usage', message: err.message };
      throw err;
    }
    try {
      if (tree.files === 0) {
        // The project does not exist at the ref (the change adds it): everything is new.
        baseSnap = emptySnapshot();
        baseInfo = { label: opts.base.ref, builds: true, errors: [], specs: 0 };
      } else {
        const built = await compile({ projectDir: tree.projectDir, cwd: tree.cwd });
        baseBuilt = built.result;
        baseSnap = built.result ? buildSnapshot(built.result) : null;
        baseInfo = { label: opts.base.ref, builds: !!built.result, errors: errorLines(built.diagnostics), specs: built.result?.loaded.specs.length ?? 0 };
      }
    } finally {
      tree.cleanup();
    }
  }

  // A base that does not build cannot be compared; the head alone is still summarised.
  const comparison = baseSnap
    ? compareSnapshots(baseSnap, headSnap)
    : { ...compareSnapshots(headSnap, headSnap), actions: compareSizes(emptySnapshot(), headSnap) };
  return { kind: 'report', report: { ...comparison, base: baseInfo, head: headInfo, project: opts.projectDir }, built: { base: baseBuilt, head: head.result } };
}
