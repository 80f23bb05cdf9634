/**
 * The runtime as Actions get it: bundled by esbuild into one CommonJS file. Checks that it is a
 * leaf (no compiler imports, no require but node:crypto), that it stays small, and that the
 * bundled code runs a plan.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { loadAction } from '../../compiler/emulator/load';
import * as index from '../../runtime/index';
import { SIGNATURES } from '../../runtime/signatures';

const RUNTIME = path.resolve(__dirname, '../../runtime');

const entry = `
import { run, path, fn_lower, fn_sha256 } from ${JSON.stringify(RUNTIME + '/index')};
const plan = {
  action: 'mapc-post-login', trigger: 'post-login', deadlineMs: 1000, systems: {}, registry: {}, maxResponseBytes: 1000,
  specs: [{ name: 's', onError: 'continue', lookups: [], access: [], sends: [], fields: [
    { target: { kind: 'app_metadata', path: ['email_lower'] }, value: (s) => fn_lower(path(s.event, ['user', 'email'])) },
    { target: { kind: 'app_metadata', path: ['hash'] }, value: () => fn_sha256('abc') },
  ] }],
};
exports.onExecutePostLogin = async (event, api) => { await run(plan, event, api); };
`;

async function bundle(minify: boolean): Promise<string> {
  const out = await build({
    stdin: { contents: entry, resolveDir: RUNTIME, loader: 'ts' },
    bundle: true,
    write: false,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    minify,
    logLevel: 'silent',
  });
  return out.outputFiles[0]!.text;
}

describe('bundled runtime', () => {
  it('exports the contract names generated code uses', () => {
    for (const n of ['run', 'get', 'path', 'eq', 'ne', 'lt', 'le', 'gt', 'ge', 'truthy', 'tpl', 'urlPath', 'obj']) {
      expect(typeof (index as Record<string, unknown>)[n], n).toBe('function');
    }
    for (const n of Object.keys(SIGNATURES)) expect(typeof (index as Record<string, unknown>)[`fn_${n}`], n).toBe('function');
  });

  it('imports nothing from the compiler', () => {
    for (const f of readdirSync(RUNTIME).filter((f) => f.endsWith('.ts'))) {
      const src = readFileSync(path.join(RUNTIME, f), 'utf8');
      expect(src, f).not.toMatch(/from ['"]\.\.\//);
    }
  });

  it('requires only node:crypto, stays small, and runs', async () => {
    const code = await bundle(true);
    const requires = [...code.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect([...new Set(requires)]).toEqual(['node:crypto']);
    // Size guard against regressions (the whole runtime, every function included, is ~21.4 kB
    // minified today: OAuth client credentials added ~2.3 kB, the list functions and the new
    // outputs the rest since 17 kB; an Action bundles only what its plan uses).
    expect(code.length).toBeLessThan(22_500);

    // Loaded as Auth0's loader does (vm.compileFunction, native async handler required).
    const loaded = loadAction(code, [], { trigger: 'post-login' });
    const calls: unknown[][] = [];
    const api = { user: { setAppMetadata: (...a: unknown[]) => calls.push(a) } };
    await loaded.execute('onExecutePostLogin', { user: { email: 'Jane@Example.COM', app_metadata: {} }, secrets: {} }, api);
    expect(calls).toEqual([
      ['email_lower', 'jane@example.com'],
      ['hash', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
    ]);
  });
});
