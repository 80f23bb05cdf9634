/**
 * The corpus cases on disk, shared by corpus.test.ts and tests/cli/validate-parity.test.ts:
 * the case folders and their materialisation (generate.json).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const CORPUS = __dirname;

/** `generate.json`: a file written at test time (too large to commit), `head` + `line`×n + `tail`. */
interface Generated {
  readonly file: string;
  readonly head?: string;
  readonly line: string;
  /** Repeat `line` until the file has at least this many bytes (before `tail`). */
  readonly bytes: number;
  readonly tail?: string;
}

/** Temporary folders made by `materialize`; callers remove them. */
export const tmpDirs: string[] = [];

/**
 * The folder to compile for a case: the case folder itself, or, when it has generate.json,
 * a temporary copy with the generated file added (so nothing large lands in the repository).
 */
export function materialize(caseDir: string): string {
  const spec = path.join(caseDir, 'generate.json');
  if (!fs.existsSync(spec)) return caseDir;
  const g = JSON.parse(fs.readFileSync(spec, 'utf8')) as Generated;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `mapc-corpus-${path.basename(caseDir)}-`));
  tmpDirs.push(tmp);
  fs.cpSync(caseDir, tmp, { recursive: true, verbatimSymlinks: true });
  const parts = [g.head ?? ''];
  let size = Buffer.byteLength(parts[0]!);
  while (size < g.bytes) {
    parts.push(g.line);
    size += Buffer.byteLength(g.line);
  }
  parts.push(g.tail ?? '');
  const abs = path.join(tmp, g.file);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, parts.join(''));
  return tmp;
}

/** The case folders, sorted; anything else at the top of tests/corpus is reported by a test. */
export function listCases(): string[] {
  return fs
    .readdirSync(CORPUS, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}
