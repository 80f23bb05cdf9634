/**
 * `mapc build --layout directory` writes the Auth0 Deploy CLI's directory format
 * (AUTH0-FACTS.md §4.2): actions/<name>.json + actions/<name>/code.js + triggers/triggers.json,
 * saying exactly what tenant.yaml says. (deploy.test.ts imports it with the real Deploy CLI.)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { renderDirectoryOutput } from '../../compiler/output/index';
import { compileOrThrow, REPO } from '../helpers/compiled';
import { runMapc } from '../helpers/cli';

const mapc = (argv: string[]) => runMapc(argv, REPO);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mapc-layout-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));


describe('the directory layout', () => {
  it('has exactly the Deploy CLI directory files, and says what tenant.yaml says', async () => {
    const compiled = await compileOrThrow('mappings');
    const files = renderDirectoryOutput(compiled.program, compiled.code, compiled.loaded);
    expect([...files.keys()]).toEqual([
      'actions/mapc-post-login.json',
      'actions/mapc-post-login/code.js',
      'actions/mapc-post-user-registration.json',
      'actions/mapc-post-user-registration/code.js',
      'actions/mapc-pre-user-registration.json',
      'actions/mapc-pre-user-registration/code.js',
      'mapc-manifest.json',
      'triggers/triggers.json',
    ]);
    // Code and manifest: the same bytes as the YAML layout.
    for (const [rel, text] of compiled.files) if (rel !== 'tenant.yaml') expect(files.get(rel), rel).toBe(text);
    const tenant = parse(compiled.files.get('tenant.yaml')!) as { actions: { name: string }[]; triggers: unknown };
    for (const action of tenant.actions) expect(JSON.parse(files.get(`actions/${action.name}.json`)!)).toEqual(action);
    expect(JSON.parse(files.get('triggers/triggers.json')!)).toEqual(tenant.triggers);
  });

  it('writes an Action file in the Deploy CLI export’s field order, code path relative to the folder', async () => {
    const compiled = await compileOrThrow('mappings');
    const files = renderDirectoryOutput(compiled.program, compiled.code, compiled.loaded);
    expect(files.get('actions/mapc-post-user-registration.json')).toBe(
      [
        '{',
        '  "name": "mapc-post-user-registration",',
        '  "code": "./actions/mapc-post-user-registration/code.js",',
        '  "runtime": "node22",',
        '  "dependencies": [],',
        '  "secrets": [',
        '    {',
        '      "name": "CRM_API_KEY",',
        '      "value": "##CRM_API_KEY##"',
        '    }',
        '  ],',
        '  "supported_triggers": [',
        '    {',
        '      "id": "post-user-registration",',
        '      "version": "v2"',
        '    }',
        '  ],',
        '  "deployed": true',
        '}',
        '',
      ].join('\n'),
    );
  });

  it('lists external Actions in triggers.json before and after mapc’s, in the declared order', async () => {
    const compiled = await compileOrThrow(path.join('tests', 'deploy', 'fixtures', 'external'));
    const files = renderDirectoryOutput(compiled.program, compiled.code, compiled.loaded);
    const binding = (n: string) => ({ action_name: n, display_name: n });
    expect(JSON.parse(files.get('triggers/triggers.json')!)).toEqual({
      'post-login': ['fraud-screen', 'geo-block', 'mapc-post-login', 'audit-log'].map(binding),
      'post-user-registration': ['mapc-post-user-registration', 'welcome-email'].map(binding),
    });
    // Only mapc's own Actions get files.
    expect([...files.keys()].filter((k) => k.endsWith('.json') && k.startsWith('actions/'))).toEqual([
      'actions/mapc-post-login.json',
      'actions/mapc-post-user-registration.json',
    ]);
  });
});

describe('mapc build/check --layout', () => {
  it('build --layout directory writes the layout; check compares in the layout it is given', async () => {
    const out = path.join(work, 'out');
    expect((await mapc(['build', '--layout', 'directory', '-o', out])).code).toBe(0);
    expect(fs.existsSync(path.join(out, 'triggers', 'triggers.json'))).toBe(true);
    expect(fs.existsSync(path.join(out, 'tenant.yaml'))).toBe(false);
    expect((await mapc(['check', '--layout', 'directory', '-o', out])).code).toBe(0);

    // The same folder fails a YAML-layout check, as one mistake: the flag it was built with.
    const yamlCheck = await mapc(['check', '-o', out]);
    expect(yamlCheck.code).toBe(1);
    expect(yamlCheck.stderr).toContain(`error MAPC0805: ${out}/ holds a Deploy CLI build in the directory layout (actions/*.json, triggers/), and this check compares a Deploy CLI build in the YAML layout (tenant.yaml)`);
    expect(yamlCheck.stderr).toContain(`\`npx mapc check -o ${out} --layout directory\``);

    // A hand edit is drift, and the hint names the layout to rebuild with.
    fs.appendFileSync(path.join(out, 'triggers', 'triggers.json'), ' ');
    const drift = await mapc(['check', '--layout', 'directory', '-o', out]);
    expect(drift.code).toBe(1);
    expect(drift.stderr).toMatch(/npx mapc build .*--layout directory/);
  });

  it('rejects an unknown layout as a usage error', async () => {
    const r = await mapc(['build', '--layout', 'json', '-o', path.join(work, 'never')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("'json' is invalid");
    expect(fs.existsSync(path.join(work, 'never'))).toBe(false);
  });
});
