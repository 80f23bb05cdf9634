/**
 * The cookbook is real: every recipe under examples/cookbook/ builds without a single
 * diagnostic and its test cases pass under `mapc test` (the CLI, in-process); every spec has a
 * test file; the recipes cover each use case of the Auth0 B2C mapping guide; and
 * docs/cookbook.md shows the recipes' files exactly as they are (UPDATE_GOLDEN=1 refreshes).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { run } from '../../compiler/cli/run';
import type { CliIO } from '../../compiler/cli/io';
import { blockNames, regenerate, REPO } from './docgen';

const COOKBOOK = path.join(REPO, 'examples', 'cookbook');
const DOC = path.join(REPO, 'docs', 'cookbook.md');

/** The guide's use cases, one recipe each (SPEC 1), the redirect round trip (terms-page) and a lookup two specs share (shared-lookup). */
const RECIPES = [
  'crm-sync',
  'enrichment-freshness',
  'idp-attributes',
  'tier-gate',
  'terms-page',
  'custom-claims',
  'consent',
  'multi-tenant',
  'critical-failures',
  'timeouts',
  'shared-lookup',
  'linked-accounts',
  'oauth-api',
  'auth0-outputs',
  'signed-webhook',
  'choices',
];

function capture(): { io: CliIO; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    io: { stdout: (s) => void (out += s), stderr: (s) => void (err += s), cwd: REPO, env: {}, isTTY: false },
    out: () => out,
    err: () => err,
  };
}

const filesOf = (recipe: string) => fs.readdirSync(path.join(COOKBOOK, recipe, 'mappings')).sort();

describe('examples/cookbook', () => {
  it('has exactly one recipe per use case of the guide', () => {
    expect(fs.readdirSync(COOKBOOK).sort()).toEqual([...RECIPES].sort());
  });

  describe.each(RECIPES)('%s', (recipe) => {
    const project = `examples/cookbook/${recipe}/mappings`;

    it('every spec has a test file, and nothing else is in the folder', () => {
      const files = filesOf(recipe);
      const specs = files.filter((f) => f !== 'mapc.yaml' && !f.endsWith('.test.yaml'));
      expect(files).toContain('mapc.yaml');
      expect(specs.length).toBeGreaterThan(0);
      expect(files.filter((f) => f.endsWith('.test.yaml'))).toEqual(specs.map((s) => s.replace(/\.yaml$/, '.test.yaml')).sort());
      expect(files.every((f) => f.endsWith('.yaml'))).toBe(true);
    });

    it('builds with no diagnostic at all', async () => {
      const out = fs.mkdtempSync(path.join(os.tmpdir(), `mapc-cookbook-${recipe}-`));
      const c = capture();
      const code = await run(['build', '-p', project, '-o', path.join(out, 'generated'), '--format', 'json'], c.io);
      expect(JSON.parse(c.out())).toEqual([]);
      expect(code).toBe(0);
      expect(fs.existsSync(path.join(out, 'generated', 'tenant.yaml'))).toBe(true);
    });

    it('passes every case of its test files under `mapc test`', async () => {
      const cases = filesOf(recipe)
        .filter((f) => f.endsWith('.test.yaml'))
        .reduce((n, f) => n + (parseYaml(fs.readFileSync(path.join(COOKBOOK, recipe, 'mappings', f), 'utf8')) as { cases: unknown[] }).cases.length, 0);
      const c = capture();
      const code = await run(['test', '-p', project], c.io);
      const lines = c.out().trim().split('\n');
      expect(lines.filter((l) => !l.startsWith('✓')).join('\n')).toBe(`${cases} passed, 0 failed`);
      expect(c.err()).toBe('');
      expect(code).toBe(0);
    });
  });
});

describe('docs/cookbook.md', () => {
  it('equals its regeneration (UPDATE_GOLDEN=1 to refresh)', () => {
    let committed = fs.readFileSync(DOC, 'utf8');
    const fresh = regenerate(committed);
    if (process.env['UPDATE_GOLDEN'] === '1' && fresh !== committed) {
      fs.writeFileSync(DOC, fresh);
      committed = fresh;
    }
    expect(committed, 'docs/cookbook.md is out of date: run `node scripts/gen-docs.js` and review the diff').toBe(fresh);
  });

  it('shows every file of every recipe, in recipe order', () => {
    const included = blockNames(fs.readFileSync(DOC, 'utf8'))
      .filter((b) => b.startsWith('include:'))
      .map((b) => b.slice('include:'.length));
    const all = RECIPES.flatMap((r) => filesOf(r).map((f) => `examples/cookbook/${r}/mappings/${f}`));
    expect([...included].sort()).toEqual([...all].sort());
    const recipeOrder = included.map((f) => f.split('/')[2]).filter((r, i, a) => a.indexOf(r) === i);
    expect(recipeOrder).toEqual(RECIPES);
  });
});
