/**
 * mapc as a package in a company's own repository (#19): `npm pack` holds only what users
 * need (the bundled CLI, runtime/ for bundling Actions, the schemas, README, LICENSE), it
 * installs into a fresh folder outside this repository with `npm install -D <tarball>`
 * (from the npm cache where it can, else the registry, as `npm ci` does: no prepare step runs there), and `npx mapc init/validate/
 * build/test/diff` work as a user runs them. The Actions it builds are byte for byte what this
 * repository's compiler builds from the same project.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../compiler/pipeline';
import { REPO } from '../helpers/compiled';

const ENV = { ...process.env, NO_COLOR: '1', MAPC_DEBUG: '', npm_config_prefer_offline: 'true', npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };

function sh(cmd: string, args: readonly string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(cmd, [...args], { cwd, encoding: 'utf8', env: ENV, timeout: 180_000 });
}

let tmp: string;
let project: string;
let tarball: string;
let packed: string[];

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mapc-package-'));
  // The dist/ the other process tests run (built by `npm install`'s prepare step).
  const pack = sh('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', tmp], REPO);
  expect(pack.status, pack.stderr).toBe(0);
  const info = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  tarball = path.join(tmp, info[0]!.filename);
  packed = info[0]!.files.map((f) => f.path).sort();
  project = path.join(tmp, 'acme-identity');
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'package.json'), '{ "name": "acme-identity", "private": true }\n');
  const install = sh('npm', ['install', '-D', tarball], project);
  expect(install.status, install.stderr).toBe(0);
}, 240_000);

afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the mapc package', () => {
  it('holds the CLI, the runtime sources, the schemas, README and LICENSE, and nothing else', () => {
    expect(packed).toContain('bin/mapc.js');
    expect(packed).toContain('dist/mapc.js');
    expect(packed).toContain('runtime/engine.ts');
    expect(packed).toContain('schema/spec.schema.json');
    expect(packed).toContain('README.md');
    expect(packed).toContain('LICENSE');
    const top = new Set(packed.map((p) => p.split('/')[0]));
    expect([...top].sort()).toEqual(['LICENSE', 'README.md', 'bin', 'dist', 'package.json', 'runtime', 'schema']);
    expect(packed.filter((p) => p.startsWith('dist/'))).toEqual(['dist/mapc.js']);
    const pkg = JSON.parse(fs.readFileSync(path.join(project, 'node_modules', 'mapc', 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    // The CLI bundles its libraries; only esbuild (a native binary) is installed beside it.
    expect(Object.keys(pkg.dependencies)).toEqual(['esbuild']);
  });

  it('npx mapc init, validate, build and test work in a fresh project', () => {
    const init = sh('npx', ['mapc', 'init'], project);
    expect(init.status, init.stderr).toBe(0);
    // The editor hints point at the installed package's schemas, relative to each file.
    const spec = fs.readFileSync(path.join(project, 'mappings', 'crm-enrichment.yaml'), 'utf8');
    const ref = /\$schema=(\S+)/.exec(spec)![1]!;
    expect(ref).toBe('../node_modules/mapc/schema/spec.schema.json');
    expect(fs.existsSync(path.resolve(project, 'mappings', ref))).toBe(true);

    const validate = sh('npx', ['mapc', 'validate'], project);
    expect([validate.status, validate.stderr]).toEqual([0, 'mapc: 1 spec(s) valid.\n']);
    const build = sh('npx', ['mapc', 'build'], project);
    expect([build.status, build.stderr]).toEqual([0, 'mapc: wrote 1 Action(s) to generated/\n']);
    const test = sh('npx', ['mapc', 'test'], project);
    expect(test.status, test.stdout + test.stderr).toBe(0);
    expect(test.stdout).toMatch(/\n(\d+) passed, 0 failed\n$/);
  });

  it('builds the same bytes as this repository', async () => {
    const { result } = await compile({ projectDir: 'mappings', cwd: project });
    expect(result).not.toBeNull();
    for (const [file, text] of result!.files) {
      expect([file, fs.readFileSync(path.join(project, 'generated', file), 'utf8') === text]).toEqual([file, true]);
    }
  });

  it('npx mapc diff reviews a change against git', () => {
    const git = (...args: string[]) => {
      const r = sh('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], project);
      expect(r.status, r.stderr).toBe(0);
    };
    git('init', '-q');
    git('add', 'mappings');
    git('commit', '-qm', 'mappings');
    const file = path.join(project, 'mappings', 'crm-enrichment.yaml');
    const text = fs.readFileSync(file, 'utf8');
    const to = /- to: (app_metadata\.\w+)/.exec(text)![1]!;
    fs.writeFileSync(file, text.replace(`- to: ${to}`, `- to: ${to}_v2`));
    const diff = sh('npx', ['mapc', 'diff'], project);
    expect(diff.status, diff.stderr).toBe(0);
    expect(diff.stdout).toContain(`${to}_v2`);
  });
});
