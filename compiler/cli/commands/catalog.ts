/**
 * `mapc catalog`: build the project in memory and write the catalog site (compiler/catalog)
 * to the output folder, atomically like `mapc build` writes generated/ (exit 0; 1 when the
 * project does not build or the folder cannot be written).
 */
import * as path from 'node:path';
import { compile } from '../../pipeline';
import { GitError, renderCodeowners, repoRoot } from '../../diff';
import { writeOutput } from '../../output';
import { CATALOG_MARKER, renderCatalog } from '../../catalog';
import { EXIT, type CliIO } from '../io';
import { report, type DiagnosticsFormat } from './build';

export interface CatalogCommandOptions {
  readonly project: string;
  readonly out: string;
  readonly format: DiagnosticsFormat;
}

export async function catalogCommand(io: CliIO, o: CatalogCommandOptions): Promise<number> {
  const { result, diagnostics } = await compile({ projectDir: o.project, cwd: io.cwd });
  if (!result) {
    report(io, o.format, diagnostics, o.project);
    return EXIT.failed;
  }
  let root = io.cwd;
  try {
    // The owners pages list the paths `mapc owners` prints: relative to the repository root.
    root = repoRoot(path.resolve(io.cwd, o.project));
  } catch (err) {
    if (!(err instanceof GitError)) throw err;
  }
  const files = renderCatalog(result, { codeowners: renderCodeowners(result.loaded, io.cwd, { root }) });
  const written = await writeOutput(path.resolve(io.cwd, o.out), files, { marker: CATALOG_MARKER });
  report(io, o.format, [...diagnostics, ...written], o.project);
  if (written.length > 0) return EXIT.failed;
  if (o.format === 'text') io.stderr(`mapc: wrote the catalog (${files.size - 1} pages) to ${o.out}/; open ${path.join(o.out, 'index.html')}\n`);
  return EXIT.ok;
}
