/** User mistakes at the CLI: located or plain diagnostics and the right exit code, never a stack trace. */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../compiler/cli/run';
import type { CliIO } from '../../compiler/cli/io';
import { REPO, tempProject } from '../helpers/compiled';

function io(cwd: string): CliIO & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (s) => out.push(s), stderr: (s) => err.push(s), cwd, env: {}, isTTY: false };
}

function copyMappings(): string {
  const dir = tempProject({});
  fs.cpSync(path.join(REPO, 'mappings'), path.join(dir, 'mappings'), { recursive: true });
  return dir;
}

describe('mapc check reports drift as diagnostics', () => {
  it('names every stale file, in text and JSON, and exits 1', async () => {
    const dir = copyMappings();
    expect(await run(['build'], io(dir))).toBe(0);
    const spec = path.join(dir, 'mappings', 'token-claims.yaml');
    fs.writeFileSync(spec, fs.readFileSync(spec, 'utf8').replace('default: false', 'default: true'));
    const text = io(dir);
    expect(await run(['check'], text)).toBe(1);
    expect(text.err.join('')).toContain('error MAPC0805: generated/actions/mapc-post-login/code.js differs from a fresh build');
    expect(text.err.join('')).toContain('hint: run `npx mapc build` and commit the result');
    const json = io(dir);
    expect(await run(['check', '-o', 'generated', '-f', 'json'], json)).toBe(1);
    const diags = JSON.parse(json.out.join('')) as { code: string; message: string }[];
    expect(diags.map((d) => d.code)).toEqual(['MAPC0805', 'MAPC0805']);
    expect(diags.map((d) => d.message).sort()).toEqual([
      'generated/actions/mapc-post-login/code.js differs from a fresh build',
      'generated/mapc-manifest.json differs from a fresh build',
    ]);
  });
});

describe('usage mistakes', () => {
  it('a project path naming mapc.yaml itself suggests its folder', async () => {
    const cli = io(REPO);
    expect(await run(['validate', '-p', 'mappings/mapc.yaml'], cli)).toBe(1);
    expect(cli.err.join('')).toContain("error MAPC0101: 'mappings/mapc.yaml' is a file");
    expect(cli.err.join('')).toContain('hint: pass --project mappings');
  });

  it('schema --out into a file is a diagnostic, not an internal error', async () => {
    const dir = tempProject({ 'a-file': 'x' });
    const cli = io(dir);
    expect(await run(['schema', '--out', 'a-file/sub'], cli)).toBe(1);
    expect(cli.err.join('')).toContain('error MAPC0806');
    expect(cli.err.join('')).not.toContain('internal error');
  });

  it('unknown commands and flags exit 2; bare mapc prints help and exits 0', () => {
    const bin = path.join(REPO, 'bin', 'mapc.js');
    if (!fs.existsSync(path.join(REPO, 'dist', 'compiler', 'cli', 'main.js'))) {
      execFileSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: REPO });
    }
    const bare = spawnSync(process.execPath, [bin], { cwd: REPO, encoding: 'utf8' });
    expect(bare.status).toBe(0);
    expect(bare.stdout).toContain('Usage: mapc');
    for (const args of [['bogus'], ['build', '--bogus']]) {
      const r = spawnSync(process.execPath, [bin, ...args], { cwd: REPO, encoding: 'utf8' });
      expect(r.status).toBe(2);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('commands find the repository of the project, not of the working folder', () => {
  it('owners run from another folder prints repository-relative CODEOWNERS paths', async () => {
    const cli = io(tempProject({}));
    expect(await run(['owners', '-p', path.join(REPO, 'mappings')], cli)).toBe(0);
    const lines = cli.out.join('').split('\n').filter((l) => l.startsWith('/'));
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines) expect(l).toMatch(/^\/mappings\/[a-z-]+(\.test)?\.yaml\s+@team-[a-z]+$/);
  });
});
