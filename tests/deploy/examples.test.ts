/**
 * examples/deploy: make-config.js (the per-environment Deploy CLI config with secrets from the
 * environment) and the GitHub Actions workflow stay correct for the sample organisation.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from '../helpers/compiled';

const EXAMPLES = path.join(REPO, 'examples', 'deploy');
const MAKE_CONFIG = path.join(EXAMPLES, 'make-config.js');
const MANIFEST = path.join(REPO, 'generated', 'mapc-manifest.json');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'mapc-examples-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** Every secret name the sample's Actions use, from the committed manifest. */
function secretNames(): string[] {
  const manifest = JSON.parse(fs.readFileSync(MANIFEST, 'utf8')) as { actions: Record<string, { secrets: string[] }> };
  return [...new Set(Object.values(manifest.actions).flatMap((a) => a.secrets))].sort();
}

function makeConfig(env: Record<string, string>, base = path.join(EXAMPLES, 'config.staging.json')) {
  const out = path.join(work, `config-${Math.random().toString(36).slice(2)}.json`);
  const r = spawnSync(process.execPath, [MAKE_CONFIG, base, MANIFEST, out], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    encoding: 'utf8',
  });
  return { status: r.status, stderr: r.stderr, out };
}

const VALUES = Object.fromEntries(secretNames().map((n) => [n, `value-of-${n}`]));

describe('examples/deploy/make-config.js', () => {
  it('writes the base config plus the client secret and every secret mapping, mode 0600', () => {
    const r = makeConfig({ ...VALUES, AUTH0_CLIENT_SECRET: 'client-secret' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(fs.readFileSync(r.out, 'utf8'))).toEqual({
      AUTH0_DOMAIN: 'acme-staging.eu.auth0.com',
      AUTH0_CLIENT_ID: 'REPLACE_WITH_THE_DEPLOY_APPLICATION_CLIENT_ID',
      AUTH0_CLIENT_SECRET: 'client-secret',
      AUTH0_INCLUDED_ONLY: ['actions', 'triggers'],
      AUTH0_ALLOW_DELETE: false,
      AUTH0_KEYWORD_REPLACE_MAPPINGS: VALUES,
    });
    expect(Object.keys(VALUES)).toEqual(['BILLING_API_KEY', 'CRM_API_KEY', 'MARKETING_PASSWORD', 'MARKETING_USER', 'ORDERS_API_KEY', 'RISK_API_KEY', 'UPGRADE_TOKEN_SECRET']);
    expect(fs.statSync(r.out).mode & 0o777).toBe(0o600);
  });

  it('fails, writing nothing, when a secret is not set', () => {
    const { RISK_API_KEY: _r, CRM_API_KEY: _c, ...partial } = VALUES;
    const r = makeConfig({ ...partial, AUTH0_CLIENT_SECRET: 'x' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('no value for secret(s) CRM_API_KEY, RISK_API_KEY');
    expect(fs.existsSync(r.out)).toBe(false);
  });

  it('fails on a value the ##NAME## replacement would corrupt (quote, backslash, line break)', () => {
    for (const bad of ['a"b', 'a\\tb', 'a\nb']) {
      const r = makeConfig({ ...VALUES, CRM_API_KEY: bad, AUTH0_CLIENT_SECRET: 'x' });
      expect(r.status, JSON.stringify(bad)).toBe(1);
      expect(r.stderr).toContain('secret(s) CRM_API_KEY contain');
      expect(fs.existsSync(r.out)).toBe(false);
    }
  });

  it('fails without the client secret', () => {
    const r = makeConfig(VALUES);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('AUTH0_CLIENT_SECRET is not set');
  });
});

describe('examples/deploy/deploy.yml', () => {
  const workflow = parse(fs.readFileSync(path.join(EXAMPLES, 'deploy.yml'), 'utf8')) as {
    jobs: Record<string, { steps: { run?: string; env?: Record<string, string> }[] }>;
  };
  const steps = Object.values(workflow.jobs).flatMap((j) => j.steps);

  it('runs every a0deploy import with --no-env on generated/tenant.yaml', () => {
    const imports = steps.flatMap((s) => (s.run ?? '').split('\n')).filter((l) => l.includes('npx a0deploy'));
    expect(imports.length).toBeGreaterThanOrEqual(4);
    for (const line of imports) {
      expect(line).toContain('import -c "$RUNNER_TEMP/a0deploy.json" -i generated/tenant.yaml --no-env');
    }
    expect(imports.filter((l) => l.endsWith('--dry-run')).length).toBeGreaterThanOrEqual(2);
  });

  it('passes every secret the generated Actions need to make-config, from the secret store', () => {
    const configSteps = steps.filter((s) => (s.run ?? '').includes('make-config.js'));
    expect(configSteps).toHaveLength(3);
    for (const s of configSteps) {
      const expected = Object.fromEntries(['AUTH0_CLIENT_SECRET', ...secretNames()].map((n) => [n, `\${{ secrets.${n} }}`]));
      expect(s.env).toEqual(expected);
    }
  });
});
