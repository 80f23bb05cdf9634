/**
 * `mapc init`: the scaffold validates, builds and passes its own test cases in an empty
 * folder; it refuses to overwrite (writing nothing at all); its schema hints resolve to the
 * committed schema/*.json; and the real launcher (bin/mapc.js, the compiled dist/) runs it.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../compiler/cli/run';
import type { CliIO } from '../../compiler/cli/io';
import { REPO } from '../helpers/compiled';

interface Captured {
  readonly io: CliIO;
  readonly out: () => string;
  readonly err: () => string;
}

function capture(cwd: string): Captured {
  let out = '';
  let err = '';
  const io: CliIO = { stdout: (s) => void (out += s), stderr: (s) => void (err += s), cwd, env: {}, isTTY: false };
  return { io, out: () => out, err: () => err };
}

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'mapc-init-'));
const SCAFFOLD = ['crm-enrichment.test.yaml', 'crm-enrichment.yaml', 'mapc.yaml'];

describe('mapc init (in-process)', () => {
  it('scaffolds a project that validates, builds and passes its tests', async () => {
    const dir = tmp();
    const init = capture(dir);
    expect(await run(['init'], init.io)).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'mappings')).sort()).toEqual(SCAFFOLD);
    expect(init.err()).toBe(
      'mapc: created mappings/mapc.yaml, mappings/crm-enrichment.yaml, mappings/crm-enrichment.test.yaml\n' +
        'next: mapc validate && mapc build && mapc test\n',
    );

    const validate = capture(dir);
    expect(await run(['validate'], validate.io)).toBe(0);
    expect(validate.err()).toBe('mapc: 1 spec(s) valid.\n');

    const build = capture(dir);
    expect(await run(['build'], build.io)).toBe(0);
    expect(build.err()).toBe('mapc: wrote 1 Action(s) to generated/\n');
    expect(fs.existsSync(path.join(dir, 'generated', 'actions', 'mapc-post-login', 'code.js'))).toBe(true);
    expect(fs.readFileSync(path.join(dir, 'generated', 'tenant.yaml'), 'utf8')).toContain('mapc-post-login');

    const test = capture(dir);
    expect(await run(['test'], test.io)).toBe(0);
    expect(test.out().trim().split('\n').at(-1)).toBe('3 passed, 0 failed');
  });

  it('every scaffold file points yaml-language-server at the committed schema of its kind', async () => {
    const dir = tmp();
    expect(await run(['init', '-p', 'conf/mappings'], capture(dir).io)).toBe(0);
    const kinds: Record<string, string> = {
      'mapc.yaml': 'project',
      'crm-enrichment.yaml': 'spec',
      'crm-enrichment.test.yaml': 'test',
    };
    for (const [name, kind] of Object.entries(kinds)) {
      const file = path.join(dir, 'conf', 'mappings', name);
      const first = fs.readFileSync(file, 'utf8').split('\n')[0]!;
      const m = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
      expect(m, first).not.toBeNull();
      expect(path.resolve(path.dirname(file), m![1]!)).toBe(path.join(REPO, 'schema', `${kind}.schema.json`));
    }
  });

  it('in the repository itself, the hint is the same relative path the sample specs use', async () => {
    const { scaffold } = await import('../../compiler/cli/commands/init');
    const files = scaffold(path.join(REPO, 'mappings'));
    expect(files.get('mapc.yaml')!.split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/project.schema.json');
    expect(files.get('crm-enrichment.yaml')!.split('\n')[0]).toBe('# yaml-language-server: $schema=../schema/spec.schema.json');
  });

  it('refuses to overwrite: one existing file means nothing is written, exit 1, MAPC0810 per file', async () => {
    const dir = tmp();
    fs.mkdirSync(path.join(dir, 'mappings'));
    fs.writeFileSync(path.join(dir, 'mappings', 'mapc.yaml'), 'version: 1\n# mine\n');
    const c = capture(dir);
    expect(await run(['init'], c.io)).toBe(1);
    expect(c.err()).toBe(
      'mappings/mapc.yaml:1:1: error MAPC0810: mappings/mapc.yaml already exists; mapc init never overwrites a file\n' +
        '  hint: nothing was written; run mapc init with another folder (-p <dir>), or move mappings/mapc.yaml away\n' +
        '1 error\n',
    );
    expect(fs.readdirSync(path.join(dir, 'mappings'))).toEqual(['mapc.yaml']);
    expect(fs.readFileSync(path.join(dir, 'mappings', 'mapc.yaml'), 'utf8')).toBe('version: 1\n# mine\n');
  });

  it('a second init in the same folder reports all three files as JSON with --format json', async () => {
    const dir = tmp();
    expect(await run(['init'], capture(dir).io)).toBe(0);
    const before = SCAFFOLD.map((f) => fs.readFileSync(path.join(dir, 'mappings', f), 'utf8'));
    const c = capture(dir);
    expect(await run(['init', '--format', 'json'], c.io)).toBe(1);
    const parsed = JSON.parse(c.out()) as { code: string; file: string }[];
    expect(parsed.map((d) => [d.code, d.file])).toEqual([
      ['MAPC0810', 'mappings/crm-enrichment.test.yaml'],
      ['MAPC0810', 'mappings/crm-enrichment.yaml'],
      ['MAPC0810', 'mappings/mapc.yaml'],
    ]);
    expect(SCAFFOLD.map((f) => fs.readFileSync(path.join(dir, 'mappings', f), 'utf8'))).toEqual(before);
  });

  it('a folder that cannot be created is MAPC0811, not a stack trace', async () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'blocker'), 'a file where a folder should be');
    const c = capture(dir);
    expect(await run(['init', '-p', 'blocker/mappings'], c.io)).toBe(1);
    expect(c.err()).toMatch(/^error MAPC0811: could not write the scaffold in blocker\/mappings: /);
    expect(c.err()).toContain('hint: nothing was written');
    expect(c.err()).not.toContain('    at ');
  });
});

describe('mapc init (the real launcher)', () => {
  beforeAll(() => {
    // bin/mapc.js runs the compiled dist/ (`npm install` builds it through `prepare`). Build it
    // when it predates init; tsc still emits when another file has a type error.
    const entry = path.join(REPO, 'dist', 'compiler', 'cli', 'commands', 'init.js');
    if (fs.existsSync(entry)) return;
    spawnSync(process.execPath, [path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
      cwd: REPO,
      stdio: 'pipe',
    });
    if (!fs.existsSync(entry)) throw new Error('could not compile dist/ (npm run build:ts)');
  }, 120_000);

  it('node bin/mapc.js init scaffolds and exits 0; a second run exits 1', () => {
    const dir = tmp();
    const first = spawnSync(process.execPath, [path.join(REPO, 'bin', 'mapc.js'), 'init'], { cwd: dir, encoding: 'utf8' });
    expect(first.stderr).toContain('mapc: created mappings/mapc.yaml');
    expect(first.status).toBe(0);
    expect(fs.readdirSync(path.join(dir, 'mappings')).sort()).toEqual(SCAFFOLD);
    const second = spawnSync(process.execPath, [path.join(REPO, 'bin', 'mapc.js'), 'init'], { cwd: dir, encoding: 'utf8' });
    expect(second.status).toBe(1);
    expect(second.stderr).toContain('error MAPC0810');
  });
});
