/**
 * Shared setup of the deploy tests: per test file a temp folder and a certificate (removed
 * after the file), fake Management APIs (closed after each test), and the real Deploy CLI run
 * against them. Call `useDeployHarness()` at the top of a test file.
 */
import { runMapc } from '../helpers/cli';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { REPO } from '../helpers/compiled';
import { runImport, type DeployOptions, type DeployRun } from './a0deploy';
import { startFakeManagementApi, type ExistingAction, type FakeManagementApi } from './fake-management-api';
import { makeTestCert, type TestCert } from './tls';

/** Each import takes ~5 s (the CLI sleeps 2 s before setting bindings); generous for 2 shared cores. */
export const SLOW = 120_000;

/**
 * Secret values as a CI secret store would hold them. `$&` and `$'` are special in
 * String#replace patterns (the CLI's issue 1153); `#`, `'`, `/`, `+`, `=` are common in keys.
 */
export const SECRETS: Readonly<Record<string, string>> = {
  BILLING_API_KEY: 'billing-$&-key',
  CRM_API_KEY: "crm-key-with-'quotes'-and-$'",
  MARKETING_PASSWORD: 'p#ss/word+base64==',
  MARKETING_USER: 'marketing-user',
  ORDERS_API_KEY: 'orders-key',
  RISK_API_KEY: 'risk-key',
  UPGRADE_TOKEN_SECRET: 'upgrade+token/secret=',
};

/** The committed output of the sample organisation. */
export const SAMPLE_TENANT = path.join(REPO, 'generated', 'tenant.yaml');

export interface DeployHarness {
  /** The temp folder of this test file. */
  work(): string;
  /** Starts a fake Management API (closed after the test), optionally with existing Actions. */
  fake(existing?: readonly ExistingAction[]): Promise<FakeManagementApi>;
  /** Runs `a0deploy import` of `input` into `api` with a fresh config. */
  importInto(api: FakeManagementApi, input: string, mappings?: Record<string, string>, config?: Record<string, unknown>): Promise<DeployRun>;
  /** Runs `a0deploy import` with explicit options (a given config file, extra args). */
  importWith(api: FakeManagementApi, o: Omit<DeployOptions, 'domain' | 'caFile' | 'workDir'> & { workDir?: string }): Promise<DeployRun>;
}

/** Registers the hooks and returns the harness of the calling test file. */
export function useDeployHarness(): DeployHarness {
  let work = '';
  let cert: TestCert | undefined;
  const servers: FakeManagementApi[] = [];
  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'mapc-deploy-'));
    cert = makeTestCert(work);
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  afterAll(() => {
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });
  const tls = (): TestCert => {
    if (!cert) throw new Error('deploy harness used outside a test');
    return cert;
  };
  const importWith: DeployHarness['importWith'] = (api, o) =>
    runImport({ ...o, domain: api.domain, caFile: tls().certFile, workDir: o.workDir ?? fs.mkdtempSync(path.join(work, 'run-')) });
  return {
    work: () => work,
    async fake(existing = []) {
      const api = await startFakeManagementApi({ cert: tls().cert, key: tls().key, existing });
      servers.push(api);
      return api;
    },
    importInto: (api, input, mappings = { ...SECRETS }, config) =>
      importWith(api, { input, mappings, ...(config ? { config } : {}) }),
    importWith,
  };
}

/** The CLI reached the fake, and nothing else. */
export function expectOnlyLoopback(r: DeployRun, api: FakeManagementApi): void {
  expect(r.net.length).toBeGreaterThan(0);
  expect(new Set(r.net)).toEqual(new Set([`allow 127.0.0.1:${api.port}`]));
}

/** The CLI exited 0 after a full import. */
export function expectSuccess(r: DeployRun): void {
  expect(r.code, `a0deploy failed:\n${r.stdout}\n${r.stderr}`).toBe(0);
  expect(r.stdout).toContain('Import Successful');
}

/** mapc's own CLI, in-process, from the repository root. */
export async function mapc(argv: string[]): Promise<{ code: number; stderr: string }> {
  return runMapc(argv, REPO);
}
