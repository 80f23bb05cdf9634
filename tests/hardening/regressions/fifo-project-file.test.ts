/**
 * Found by attacking the loader (#13, item 5): a named pipe (FIFO) as `mappings/mapc.yaml` made
 * `mapc validate` wait for ever — opening a pipe for reading blocks until something writes to
 * it — and one named like a spec was silently skipped. Now a path that is not a regular file
 * (named pipe, socket, device) is refused from its `stat`, never opened: a located MAPC0112,
 * exit 1.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO, tempProject } from '../../helpers/compiled';
import { projectFile } from '../support/project';

const SPEC = `version: 1
name: ok
owner: team-a
trigger: post-login
fields:
  - to: app_metadata.value
    from: lower(user.email)
`;

/** mkfifo exists on Linux and macOS; where it does not (Windows), these tests are skipped. */
const hasMkfifo = (() => {
  try {
    execFileSync('mkfifo', [path.join(tempProject({}), 'probe')], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

function mkfifo(p: string): void {
  fs.mkdirSync(path.dirname(p), { recursive: true });
  execFileSync('mkfifo', [p]);
  expect(fs.lstatSync(p).isFIFO()).toBe(true);
}

function validate(cwd: string) {
  // The timeout is only a safety net so a regression fails instead of hanging the suite.
  return spawnSync(process.execPath, [path.join(REPO, 'bin', 'mapc.js'), 'validate', '-p', 'mappings'], { cwd, encoding: 'utf8', timeout: 20_000 });
}

const MESSAGE = 'error MAPC0112: cannot read this file: it is not a regular file (a named pipe)';

describe.skipIf(!hasMkfifo)('a named pipe in the project is refused, never opened', () => {
  beforeAll(() => {
    // bin/mapc.js runs the compiled dist/: rebuild it when it predates the check.
    const entry = path.join(REPO, 'dist', 'compiler', 'parse', 'yaml-file.js');
    const current = () => fs.existsSync(entry) && fs.readFileSync(entry, 'utf8').includes('not a regular file');
    if (current()) return;
    spawnSync(process.execPath, [path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: REPO, stdio: 'pipe' });
    if (!current()) throw new Error('could not compile dist/ (npm run build:ts)');
  }, 120_000);

  it('as mappings/mapc.yaml: exit 1, MAPC0112 on the file, no hang', () => {
    const dir = tempProject({ 'mappings/spec.yaml': SPEC });
    mkfifo(path.join(dir, 'mappings', 'mapc.yaml'));
    const r = validate(dir);
    expect(r.signal, 'killed by the safety timeout: the pipe was opened').toBeNull();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`mappings/mapc.yaml:1:1: ${MESSAGE}`);
    expect(r.stderr).toContain('hint: mapc reads only regular files');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('as a spec: exit 1, MAPC0112 on the file, the other specs still checked', () => {
    const dir = tempProject({ 'mappings/mapc.yaml': projectFile(), 'mappings/a-ok.yaml': SPEC });
    mkfifo(path.join(dir, 'mappings', 'x.yaml'));
    const r = validate(dir);
    expect(r.signal, 'killed by the safety timeout: the pipe was opened').toBeNull();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`mappings/x.yaml:1:1: ${MESSAGE}`);
    expect(r.stderr.match(/error MAPC/g)).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('behind a symbolic link inside the project, in a subfolder: the same', () => {
    const dir = tempProject({ 'mappings/mapc.yaml': projectFile() });
    mkfifo(path.join(dir, 'mappings', 'pipes', 'real-pipe'));
    fs.symlinkSync('real-pipe', path.join(dir, 'mappings', 'pipes', 'linked.yaml'));
    const r = validate(dir);
    expect(r.signal, 'killed by the safety timeout: the pipe was opened').toBeNull();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`mappings/pipes/linked.yaml:1:1: ${MESSAGE}`);
  });
});
