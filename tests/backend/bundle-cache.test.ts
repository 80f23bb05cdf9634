/**
 * The bundle cache (#16, compiler/bundle `cacheDir`): an Action whose entry module, name,
 * runtime/ and esbuild are unchanged is read back instead of bundled again; the bytes are
 * those of a fresh bundle; any change of what a bundle depends on misses; a failed or
 * over-size bundle is never kept; the folder stays bounded.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleActions } from '../../compiler/bundle';
import { emitAction } from '../../compiler/emit';
import type { ActionIR, FieldIR } from '../../compiler/ir/types';
import { richAction } from './fixture';
import { action, ex, p, rmrf, spec, tempRoot, val } from './helpers';

const dirs: string[] = [];
afterAll(() => dirs.forEach(rmrf));
const temp = (f: () => string): string => {
  const d = f();
  dirs.push(d);
  return d;
};
const root = () => temp(() => tempRoot({ stub: false }));
const cacheDir = () => temp(() => fs.mkdtempSync(path.join(os.tmpdir(), 'mapc-bundle-cache-')));
const kept = (cache: string): string[] => (fs.existsSync(path.join(cache, 'bundles')) ? fs.readdirSync(path.join(cache, 'bundles')).sort() : []);

const field = (name: string, value = ex(p('user.email'))): FieldIR => ({ target: { kind: 'app_metadata', path: [name] }, value, transforms: [], clear: false, owner: 't' });
const small = (name: string, fields = ['a']): ActionIR => action([spec({ name: 'small', fields: fields.map((f) => field(f)) })], { name, usesRedirect: false });
const items = (as: readonly ActionIR[]) => as.map((a) => ({ entry: emitAction(a), name: a.name }));

describe('bundle cache', () => {
  it('keeps each bundle, gives the same bytes as without a cache, and reads them back', async () => {
    const r = root();
    const cache = cacheDir();
    const as = [richAction(), small('mapc-small')];
    const fresh = await bundleActions(items(as), { root: r });
    const first = await bundleActions(items(as), { root: r, cacheDir: cache });
    expect(first).toEqual(fresh);
    expect(first.every((x) => 'code' in x)).toBe(true);
    const files = kept(cache);
    expect(files).toHaveLength(2);
    expect(files.every((f) => /^[0-9a-f]{64}\.js$/.test(f))).toBe(true);
    // A hit is read from the folder: a planted file comes back as the Action's code.
    for (const f of files) fs.writeFileSync(path.join(cache, 'bundles', f), `planted ${f}`);
    const second = await bundleActions(items(as), { root: r, cacheDir: cache });
    expect(second.map((x) => ('code' in x ? x.code.slice(0, 7) : 'diagnostics'))).toEqual(['planted', 'planted']);
  });

  it('misses when the entry, the name or runtime/ changes', async () => {
    const r = root();
    const cache = cacheDir();
    await bundleActions(items([small('mapc-a')]), { root: r, cacheDir: cache });
    expect(kept(cache)).toHaveLength(1);
    // Another entry module (one more field), another name, the same entry under a new runtime.
    const changed = await bundleActions(items([small('mapc-a', ['a', 'b'])]), { root: r, cacheDir: cache });
    expect(kept(cache)).toHaveLength(2);
    await bundleActions(items([small('mapc-b')]), { root: r, cacheDir: cache });
    expect(kept(cache)).toHaveLength(3);
    fs.appendFileSync(path.join(r, 'runtime', 'path.ts'), '\n// changed\n');
    await bundleActions(items([small('mapc-a')]), { root: r, cacheDir: cache });
    expect(kept(cache)).toHaveLength(4);
    expect('code' in changed[0]! && changed[0].code).toContain('"b"');
  });

  it('never keeps a bundle over the size limit', async () => {
    const r = root();
    const cache = cacheDir();
    const big = action([spec({ name: 'big', fields: Array.from({ length: 40 }, (_, i) => field(`f${i}`, val('x'.repeat(100)))) })], { name: 'mapc-big', usesRedirect: false });
    const [over, ok] = await bundleActions(items([big, small('mapc-small')]), { root: r, cacheDir: cache, maxBytes: 20_000 });
    expect(over && 'tooLarge' in over && over.tooLarge).toBeTruthy();
    expect(ok && 'code' in ok).toBe(true);
    expect(kept(cache)).toHaveLength(1);
    // Asked again, the over-size Action is still refused (bundled again, not read back).
    const [again] = await bundleActions(items([big]), { root: r, cacheDir: cache, maxBytes: 20_000 });
    expect(again && 'tooLarge' in again && again.tooLarge).toBeTruthy();
  });

  it('keeps the most recently used bundles, a few times the Actions of a build', async () => {
    const r = root();
    const cache = cacheDir();
    fs.mkdirSync(path.join(cache, 'bundles'), { recursive: true });
    const old = new Date(Date.now() - 86_400_000);
    for (let i = 0; i < 100; i++) {
      const f = path.join(cache, 'bundles', `${String(i).padStart(64, '0')}.js`);
      fs.writeFileSync(f, 'old');
      fs.utimesSync(f, old, old);
    }
    await bundleActions(items([small('mapc-new')]), { root: r, cacheDir: cache });
    const files = kept(cache);
    expect(files).toHaveLength(4 * 1 + 64);
    // The bundle just made is among them.
    const again = await bundleActions(items([small('mapc-new')]), { root: r, cacheDir: cache });
    expect(kept(cache)).toEqual(files);
    expect('code' in again[0]! && again[0].code).toContain('mapc-new');
  });
});
