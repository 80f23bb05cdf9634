/**
 * bin/mapc.js as a process (#16): it runs the bundled CLI (dist/mapc.js, scripts/bundle-cli.js)
 * with V8's code cache kept in `<cwd>/node_modules/.cache/mapc/`. A cache is written on the
 * first run, used as is on the next (not rewritten), replaced when it does not fit (a corrupt
 * file), never written without node_modules/ or with MAPC_NO_CACHE=1; the output is the same
 * in every case.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO, tempProject } from '../helpers/compiled';

const MAPC = path.join(REPO, 'bin', 'mapc.js');
const FILES = {
  'mappings/mapc.yaml': 'version: 1\nclaims_namespace: https://acme.example/\n',
  'mappings/profile.yaml': 'version: 1\nname: profile\nowner: team-a\ntrigger: post-login\nfields:\n  - to: app_metadata.display\n    from: user.name\n',
};

function mapc(cwd: string, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [MAPC, 'validate'], { cwd, encoding: 'utf8', env: { ...process.env, MAPC_NO_CACHE: '', ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const cacheDir = (dir: string) => path.join(dir, 'node_modules', '.cache', 'mapc');
const caches = (dir: string) => (fs.existsSync(cacheDir(dir)) ? fs.readdirSync(cacheDir(dir)).filter((f) => f.endsWith('.v8cache')) : []);

const VALID = { code: 0, stdout: '', stderr: 'mapc: 1 spec(s) valid.\n' };

describe('the launcher', () => {
  it('runs the bundled CLI', () => {
    expect(fs.existsSync(path.join(REPO, 'dist', 'mapc.js'))).toBe(true);
    const dir = tempProject(FILES);
    expect(mapc(dir)).toEqual(VALID);
  });

  it('writes a code cache on the first run and reuses it unchanged', () => {
    const dir = tempProject(FILES);
    fs.mkdirSync(path.join(dir, 'node_modules'));
    expect(mapc(dir)).toEqual(VALID);
    const [file] = caches(dir);
    expect(file).toMatch(new RegExp(`^cli-${process.version.replace(/\./g, '\\.')}-${process.arch}-[0-9a-f]{16}\\.v8cache$`));
    const abs = path.join(cacheDir(dir), file!);
    const first = fs.readFileSync(abs);
    expect(first.length).toBeGreaterThan(10_000);
    // Marked, so a rewrite would show: an accepted cache is left alone.
    const old = new Date(Date.now() - 3_600_000);
    fs.utimesSync(abs, old, old);
    expect(mapc(dir)).toEqual(VALID);
    expect(caches(dir)).toEqual([file]);
    expect(Math.abs(fs.statSync(abs).mtimeMs - old.getTime())).toBeLessThan(1000);
    expect(fs.readFileSync(abs).equals(first)).toBe(true);
  });

  it('replaces a cache V8 refuses, and drops caches of other bundles', () => {
    const dir = tempProject(FILES);
    fs.mkdirSync(path.join(dir, 'node_modules'));
    expect(mapc(dir)).toEqual(VALID);
    const [file] = caches(dir);
    const abs = path.join(cacheDir(dir), file!);
    fs.writeFileSync(abs, 'not a code cache');
    fs.writeFileSync(path.join(cacheDir(dir), 'cli-v0.0.0-x64-0123456789abcdef.v8cache'), 'an older bundle');
    expect(mapc(dir)).toEqual(VALID);
    expect(caches(dir)).toEqual([file]);
    expect(fs.readFileSync(abs, 'utf8')).not.toBe('not a code cache');
    expect(fs.statSync(abs).size).toBeGreaterThan(10_000);
    // And the rewritten cache is accepted.
    expect(mapc(dir)).toEqual(VALID);
  });

  it('writes no cache without node_modules/ or with MAPC_NO_CACHE=1', () => {
    const bare = tempProject(FILES);
    expect(mapc(bare)).toEqual(VALID);
    expect(fs.existsSync(path.join(bare, 'node_modules'))).toBe(false);
    const off = tempProject(FILES);
    fs.mkdirSync(path.join(off, 'node_modules'));
    expect(mapc(off, { MAPC_NO_CACHE: '1' })).toEqual(VALID);
    expect(caches(off)).toEqual([]);
  });
});
