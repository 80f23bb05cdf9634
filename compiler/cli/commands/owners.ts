/** `mapc owners`: print a CODEOWNERS block for the specs from their `owner:` (exit 0, or 1 if they do not validate). */
import * as path from 'node:path';
import { validate } from '../../pipeline';
import { renderCodeowners } from '../../diff';
import { repoRoot, GitError } from '../../diff';
import { EXIT, type CliIO } from '../io';
import { report } from './build';

export interface OwnersCommandOptions {
  readonly project: string;
  readonly org?: string;
  readonly projectOwner?: string;
}

export async function ownersCommand(io: CliIO, o: OwnersCommandOptions): Promise<number> {
  const { result, diagnostics } = validate({ projectDir: o.project, cwd: io.cwd });
  report(io, 'text', diagnostics);
  if (!result) return EXIT.failed;
  let root = io.cwd;
  try {
    // CODEOWNERS paths are relative to the root of the repository holding the project.
    root = repoRoot(path.resolve(io.cwd, o.project));
  } catch (err) {
    if (!(err instanceof GitError)) throw err;
  }
  io.stdout(
    renderCodeowners(result.loaded, io.cwd, {
      root,
      ...(o.org !== undefined ? { org: o.org } : {}),
      ...(o.projectOwner !== undefined ? { projectOwner: o.projectOwner } : {}),
    }),
  );
  return EXIT.ok;
}
