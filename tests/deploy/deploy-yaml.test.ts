/**
 * Issue 6: the committed generated/tenant.yaml deploys with the real Auth0 Deploy CLI
 * (auth0-deploy-cli, a devDependency), run as a child process against a fake Management API
 * over https on 127.0.0.1 with a certificate made for the test. A preloaded guard refuses every
 * connection that is not to 127.0.0.1, and each test asserts the CLI reached nothing else.
 * deploy-external.test.ts covers external_actions and the directory layout.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileOrThrow, REPO } from '../helpers/compiled';
import { callsOf, expectBindings, expectedActions, expectedBindings, expectFreshImport } from './expect-deploy';
import type { FakeManagementApi } from './fake-management-api';
import { expectOnlyLoopback, expectSuccess, SAMPLE_TENANT, SECRETS, SLOW, useDeployHarness } from './harness';

const h = useDeployHarness();

describe('the committed generated/tenant.yaml with the real Deploy CLI', () => {
  it(
    'creates every Action with its exact code and replaced secrets, deploys each, binds each trigger in order; a second import updates',
    async () => {
      const program = (await compileOrThrow('mappings')).program;
      const expected = expectedActions(program, path.join(REPO, 'generated'), SECRETS);
      const api = await h.fake();
      const r = await h.importInto(api, SAMPLE_TENANT);
      expectSuccess(r);
      expectOnlyLoopback(r, api);
      expectFreshImport(api, expected, expectedBindings(program));
      // The fake stored the replaced values, not the placeholders.
      const stored = api.tenant.actions.find((a) => a.name === 'mapc-post-login')!;
      expect(stored.secrets.find((s) => s.name === 'CRM_API_KEY')?.value).toBe(SECRETS['CRM_API_KEY']);

      // Second import against the now-populated tenant: updates by id, nothing created.
      const ids = new Map(api.tenant.actions.map((a) => [a.name, a.id]));
      const before = api.calls.length;
      const again = await h.importInto(api, SAMPLE_TENANT);
      expectSuccess(again);
      expectOnlyLoopback(again, api);
      const second = api.calls.slice(before);
      expect(callsOf(second, 'POST', /^\/api\/v2\/actions\/actions$/)).toEqual([]);
      expect(api.tenant.actions.map((a) => a.id)).toEqual([...ids.values()]);
      const updates = callsOf(second, 'PATCH', /^\/api\/v2\/actions\/actions\/[^/]+$/);
      expect(updates.map((c) => c.path).sort()).toEqual(expected.map((a) => `/api/v2/actions/actions/${ids.get(a.name)}`).sort());
      for (const a of expected) {
        const update = updates.find((c) => c.path.endsWith(ids.get(a.name)!))!;
        expect(update.body, a.name).toEqual(a);
      }
      // Deployed again (a new version each import) and bound again, same order.
      expect(callsOf(second, 'POST', /\/deploy$/)).toHaveLength(expected.length);
      expectBindings(api, expectedBindings(program), second);
    },
    SLOW,
  );

  it(
    'a missing keyword mapping is not caught by the Deploy CLI: the placeholder itself becomes the secret',
    async () => {
      // Why the example workflow checks every secret is set before it runs a0deploy.
      const { RISK_API_KEY: _omitted, ...partial } = SECRETS;
      const api = await h.fake();
      const r = await h.importInto(api, SAMPLE_TENANT, partial);
      expectSuccess(r);
      const stored = api.tenant.actions.find((a) => a.name === 'mapc-post-login')!;
      expect(stored.secrets.find((s) => s.name === 'RISK_API_KEY')?.value).toBe('##RISK_API_KEY##');
    },
    SLOW,
  );
});

describe('the example workflow’s steps (examples/deploy)', () => {
  it(
    'make-config.js, then --dry-run changes nothing, then the import deploys',
    async () => {
      const api = await h.fake();
      const dir = fs.mkdtempSync(path.join(h.work(), 'workflow-'));
      const base = path.join(dir, 'config.test.json');
      fs.writeFileSync(base, JSON.stringify({ AUTH0_DOMAIN: api.domain, AUTH0_CLIENT_ID: 'fake-client-id' }));
      const configFile = path.join(dir, 'a0deploy.json');
      const made = spawnSync(
        process.execPath,
        [path.join(REPO, 'examples', 'deploy', 'make-config.js'), base, path.join(REPO, 'generated', 'mapc-manifest.json'), configFile],
        { env: { PATH: process.env['PATH'] ?? '', ...SECRETS, AUTH0_CLIENT_SECRET: 'fake-client-secret' }, encoding: 'utf8' },
      );
      expect(made.status, made.stderr).toBe(0);
      const opts = { input: SAMPLE_TENANT, mappings: {}, workDir: dir, configFile };

      const dry = await h.importWith(api, { ...opts, args: ['--dry-run'] });
      expect(dry.code, dry.stdout + dry.stderr).toBe(0);
      expectOnlyLoopback(dry, api);
      expect(dry.stdout).toContain('Dry Run completed successfully.');
      for (const name of ['mapc-post-login', 'mapc-pre-user-registration', 'mapc-post-user-registration']) {
        expect(dry.stdout).toMatch(new RegExp(`CREATE\\s+│ ${name}`));
      }
      expect(api.calls.filter((c) => c.method !== 'GET' && c.path !== '/oauth/token')).toEqual([]);
      expect(api.tenant.actions).toEqual([]);

      const program = (await compileOrThrow('mappings')).program;
      const before = api.calls.length;
      const real = await h.importWith(api, opts);
      expectSuccess(real);
      expectFreshImport(api, expectedActions(program, path.join(REPO, 'generated'), SECRETS), expectedBindings(program), api.calls.slice(before));
    },
    SLOW,
  );
});

describe('a broken tenant.yaml makes the Deploy CLI fail before it changes the tenant', () => {
  function mutating(api: FakeManagementApi): string[] {
    return api.calls.filter((c) => c.path.startsWith('/api/v2/') && c.method !== 'GET').map((c) => `${c.method} ${c.path}`);
  }

  async function brokenCopy(name: string, breakIt: (root: string) => void): Promise<string> {
    const root = path.join(h.work(), name);
    fs.cpSync(path.join(REPO, 'generated'), root, { recursive: true });
    breakIt(root);
    return path.join(root, 'tenant.yaml');
  }

  it(
    'invalid YAML',
    async () => {
      const input = await brokenCopy('broken-yaml', (root) =>
        fs.appendFileSync(path.join(root, 'tenant.yaml'), '  - action_name: [unclosed\n'),
      );
      const api = await h.fake();
      const r = await h.importInto(api, input);
      expect(r.code).not.toBe(0);
      expect(r.stdout + r.stderr).toContain('Problem loading');
      expect(mutating(api)).toEqual([]);
      expect(api.tenant.actions).toEqual([]);
    },
    SLOW,
  );

  it(
    'a missing code file',
    async () => {
      const input = await brokenCopy('broken-code', (root) => fs.rmSync(path.join(root, 'actions', 'mapc-post-login', 'code.js')));
      const api = await h.fake();
      const r = await h.importInto(api, input);
      expect(r.code).not.toBe(0);
      expect(r.stdout + r.stderr).toMatch(/Unable to load file .*mapc-post-login.code\.js/);
      expect(mutating(api)).toEqual([]);
    },
    SLOW,
  );

  it(
    'an Action without supported_triggers (the Deploy CLI schema)',
    async () => {
      const input = await brokenCopy('broken-schema', (root) => {
        const file = path.join(root, 'tenant.yaml');
        const text = fs.readFileSync(file, 'utf8');
        const broken = text.replace(/ {4}supported_triggers:\n {6}- id: post-login\n {8}version: v3\n/, '');
        expect(broken).not.toBe(text);
        fs.writeFileSync(file, broken);
      });
      const api = await h.fake();
      const r = await h.importInto(api, input);
      expect(r.code).not.toBe(0);
      expect(r.stdout + r.stderr).toContain('Schema validation failed');
      expect(mutating(api)).toEqual([]);
    },
    SLOW,
  );
});
