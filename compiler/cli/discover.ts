/**
 * Where the project is when `-p` is not given (#19): like tsc and eslint, the nearest folder
 * at or above the working folder holding `mapc.yaml`, or a `mappings/mapc.yaml` beside it, so
 * `mapc build` works from anywhere in a repository. Nothing found: `mappings` (whose absence
 * the loader then reports as usual).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const isFile = (p: string): boolean => {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
};

/** The project folder for `cwd`, relative to it (`.` for itself), or null when none is found. */
export function findProject(cwd: string): string | null {
  const start = path.resolve(cwd);
  let dir = start;
  for (;;) {
    const found = isFile(path.join(dir, 'mapc.yaml')) ? dir : isFile(path.join(dir, 'mappings', 'mapc.yaml')) ? path.join(dir, 'mappings') : null;
    if (found !== null) return path.relative(start, found).split(path.sep).join('/') || '.';
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/**
 * The output folder that goes with a found project: `generated` (or `folder`: `catalog` for
 * `mapc catalog`) beside the project folder (where `mapc build` from the repository root puts
 * it), relative to `cwd`.
 */
export function outFor(cwd: string, project: string, folder = 'generated'): string {
  const out = path.join(path.dirname(path.resolve(cwd, project)), folder);
  return path.relative(path.resolve(cwd), out).split(path.sep).join('/') || '.';
}
