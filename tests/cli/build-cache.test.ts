/**
 * The build cache (#16, compiler/output/cache.ts): a build with nothing changed does nothing
 * and says so; any change of an input, of the output folder, of the layout, a warning, or
 * MAPC_NO_CACHE=1 makes it build for real.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../compiler/cli/run';
import { tempProject } from '../helpers/compiled';

const PROJECT = 'version: 1\nclaims_namespace: https://acme.example/\n';
const spec = (from: string) => `version: 1
name: profile
owner: team-a
trigger: post-login
fields:
  - to: app_metadata.display
    from: ${from}
`;

async function mapc(argv: string[], cwd: string, env: Record<string, string> = {}) {
  let stderr = '';
  let stdout = '';
  const code = await run(argv, { cwd, env, isTTY: false, stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) });
  return { code, stderr, stdout };
}

/** A project in a folder that has node_modules/ (where the cache lives). */
function project(): string {
  const dir = tempProject({ 'mappings/mapc.yaml': PROJECT, 'mappings/profile.yaml': spec('user.name') });
  fs.mkdirSync(path.join(dir, 'node_modules'));
  return dir;
}

const WROTE = 'mapc: wrote 1 Action(s) to generated/\n';
const UP_TO_DATE = 'mapc: generated/ is up to date (1 Action(s); no input changed since the last build)\n';

describe('build cache', () => {
  it('a second build with nothing changed writes nothing; a changed spec builds', async () => {
    const dir = project();
    expect((await mapc(['build'], dir)).stderr).toBe(WROTE);
    const code = path.join(dir, 'generated/actions/mapc-post-login/code.js');
    const before = fs.statSync(code).mtimeMs;
    expect((await mapc(['build'], dir)).stderr).toBe(UP_TO_DATE);
    expect(fs.statSync(code).mtimeMs).toBe(before);
    fs.writeFileSync(path.join(dir, 'mappings/profile.yaml'), spec('user.nickname'));
    expect((await mapc(['build'], dir)).stderr).toBe(WROTE);
    expect(fs.readFileSync(code, 'utf8')).toContain('nickname');
  });

  it('an output file edited or added by hand, or the output removed, is rebuilt', async () => {
    const dir = project();
    await mapc(['build'], dir);
    const code = path.join(dir, 'generated/actions/mapc-post-login/code.js');
    const good = fs.readFileSync(code, 'utf8');
    fs.writeFileSync(code, good + '\n// edited');
    expect((await mapc(['build'], dir)).stderr).toBe(WROTE);
    expect(fs.readFileSync(code, 'utf8')).toBe(good);
    fs.writeFileSync(path.join(dir, 'generated/extra.txt'), 'x');
    expect((await mapc(['build'], dir)).stderr).toBe(WROTE);
    expect(fs.existsSync(path.join(dir, 'generated/extra.txt'))).toBe(false);
    fs.rmSync(path.join(dir, 'generated'), { recursive: true });
    expect((await mapc(['build'], dir)).stderr).toBe(WROTE);
  });

  it('a test file or any other file of the project folder counts as an input', async () => {
    const dir = project();
    await mapc(['build'], dir);
    fs.writeFileSync(path.join(dir, 'mappings/notes.yml'), 'x: 1\n');
    const r = await mapc(['build'], dir);
    expect(r.stderr).toContain('MAPC0113');
    expect(r.stderr).toContain(WROTE);
    // A build with a diagnostic is not recorded: the warning is printed every time.
    expect((await mapc(['build'], dir)).stderr).toContain('MAPC0113');
  });

  it('another layout, MAPC_NO_CACHE=1, or no node_modules folder: no hit', async () => {
    const dir = project();
    await mapc(['build'], dir);
    expect((await mapc(['build'], dir, { MAPC_NO_CACHE: '1' })).stderr).toBe(WROTE);
    expect((await mapc(['build', '--layout', 'directory'], dir)).stderr).toBe(WROTE);
    const bare = tempProject({ 'mappings/mapc.yaml': PROJECT, 'mappings/profile.yaml': spec('user.name') });
    await mapc(['build'], bare);
    expect((await mapc(['build'], bare)).stderr).toBe(WROTE);
  });

  it('--format json prints an empty diagnostics list on a hit', async () => {
    const dir = project();
    await mapc(['build'], dir);
    const r = await mapc(['build', '-f', 'json'], dir);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });
});
