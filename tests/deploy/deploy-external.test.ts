/**
 * Issue 6, continued: Actions not made by mapc (external_actions) stay bound where declared,
 * and `mapc build --layout directory` deploys the same way, both with the real Auth0 Deploy
 * CLI against the fake Management API on 127.0.0.1 (see deploy-yaml.test.ts).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileOrThrow } from '../helpers/compiled';
import { callsOf, expectBindings, expectedActions, expectedBindings, expectFreshImport } from './expect-deploy';
import type { ExistingAction } from './fake-management-api';
import { expectOnlyLoopback, expectSuccess, mapc, SECRETS, SLOW, useDeployHarness } from './harness';

const h = useDeployHarness();
const EXTERNAL_PROJECT = path.join('tests', 'deploy', 'fixtures', 'external');

describe('Actions not made by mapc (external_actions)', () => {
  const EXISTING: ExistingAction[] = [
    { name: 'fraud-screen', trigger: 'post-login' },
    { name: 'geo-block', trigger: 'post-login' },
    // A marketplace (integration) Action: the Deploy CLI never edits or deletes these.
    { name: 'audit-log', trigger: 'post-login', integration: { id: 'int-1', name: 'Audit Log' } },
    { name: 'welcome-email', trigger: 'post-user-registration', version: 'v2' },
  ];

  async function buildExternal(name: string): Promise<string> {
    const out = path.join(h.work(), name);
    const built = await mapc(['build', '-p', EXTERNAL_PROJECT, '-o', out]);
    expect(built.code, built.stderr).toBe(0);
    return out;
  }

  it(
    'stay bound before and after mapc’s Actions, in the declared order, and are left untouched',
    async () => {
      const out = await buildExternal('external-yaml');
      const program = (await compileOrThrow(EXTERNAL_PROJECT)).program;
      expect(program.bindings.map((b) => [b.trigger, b.actions])).toEqual([
        ['post-login', ['fraud-screen', 'geo-block', 'mapc-post-login', 'audit-log']],
        ['post-user-registration', ['mapc-post-user-registration', 'welcome-email']],
      ]);
      const api = await h.fake(EXISTING);
      const untouched = api.tenant.actions.map((a) => ({ ...a }));
      const r = await h.importInto(api, path.join(out, 'tenant.yaml'), { CRM_API_KEY: 'crm' });
      expectSuccess(r);
      expectOnlyLoopback(r, api);
      expectBindings(api, expectedBindings(program), api.calls);
      const creates = callsOf(api.calls, 'POST', /^\/api\/v2\/actions\/actions$/).map((c) => (c.body as { name: string }).name);
      expect(creates.sort()).toEqual(['mapc-post-login', 'mapc-post-user-registration']);
      // No call names an existing Action's id: not updated, deployed or deleted.
      for (const a of untouched) expect(api.calls.filter((c) => c.path.includes(a.id))).toEqual([]);
      expect(api.tenant.actions.slice(0, untouched.length)).toEqual(untouched);
    },
    SLOW,
  );

  it(
    'the import fails when a declared Action does not exist in the tenant',
    async () => {
      const out = await buildExternal('external-missing');
      const api = await h.fake(EXISTING.filter((a) => a.name !== 'geo-block'));
      const r = await h.importInto(api, path.join(out, 'tenant.yaml'), { CRM_API_KEY: 'crm' });
      expect(r.code).not.toBe(0);
      expect(r.stdout + r.stderr).toContain('That action does not exist: geo-block');
      expect(api.tenant.bindings.get('post-login')).toBeUndefined();
    },
    SLOW,
  );

  it(
    'with AUTH0_ALLOW_DELETE the Deploy CLI deletes hand-written Actions missing from tenant.yaml (why the docs keep it false)',
    async () => {
      const out = await buildExternal('external-delete');
      const api = await h.fake(EXISTING);
      const ids = new Map(api.tenant.actions.map((a) => [a.name, a.id]));
      await h.importInto(api, path.join(out, 'tenant.yaml'), { CRM_API_KEY: 'crm' }, { AUTH0_ALLOW_DELETE: true });
      const deleted = callsOf(api.calls, 'DELETE', /^\/api\/v2\/actions\/actions\//).map((c) => c.path.split('/').pop());
      // Marketplace Actions are spared; hand-written ones are not.
      expect(deleted.sort()).toEqual(['fraud-screen', 'geo-block', 'welcome-email'].map((n) => ids.get(n)).sort());
    },
    SLOW,
  );
});

describe('mapc build --layout directory with the real Deploy CLI', () => {
  it(
    'imports the same Actions and bindings, and a second import updates',
    async () => {
      const out = path.join(h.work(), 'directory-layout');
      const built = await mapc(['build', '--layout', 'directory', '-o', out]);
      expect(built.code, built.stderr).toBe(0);
      expect(fs.existsSync(path.join(out, 'tenant.yaml'))).toBe(false);
      const program = (await compileOrThrow('mappings')).program;
      const api = await h.fake();
      const r = await h.importInto(api, out);
      expectSuccess(r);
      expectOnlyLoopback(r, api);
      expectFreshImport(api, expectedActions(program, out, SECRETS), expectedBindings(program));

      const before = api.calls.length;
      expectSuccess(await h.importInto(api, out));
      const second = api.calls.slice(before);
      expect(callsOf(second, 'POST', /^\/api\/v2\/actions\/actions$/)).toEqual([]);
      expect(callsOf(second, 'PATCH', /^\/api\/v2\/actions\/actions\/[^/]+$/)).toHaveLength(program.actions.length);
      expect(api.tenant.actions).toHaveLength(program.actions.length);
    },
    SLOW,
  );

  it(
    'a broken action JSON file makes the import fail',
    async () => {
      const out = path.join(h.work(), 'directory-broken');
      expect((await mapc(['build', '--layout', 'directory', '-o', out])).code).toBe(0);
      fs.appendFileSync(path.join(out, 'actions', 'mapc-post-login.json'), '}');
      const api = await h.fake();
      const r = await h.importInto(api, out);
      expect(r.code).not.toBe(0);
      expect(r.stdout + r.stderr).toContain('Error parsing JSON from metadata file');
      expect(api.tenant.actions).toEqual([]);
    },
    SLOW,
  );
});
