import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../bundle';

/** mapc's version, from its package.json (found the same way the bundler finds runtime/). */
export function version(): string {
  try {
    return (JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}
