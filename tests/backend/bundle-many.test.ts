/**
 * `bundleActions`: every Action of a build in one esbuild build (runtime/ parsed once). Each
 * result must be byte for byte what `bundleAction` gives for that Action alone, in the order
 * asked, with per-Action diagnostics.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleAction, bundleActions } from '../../compiler/bundle';
import { emitAction } from '../../compiler/emit';
import type { ActionIR, FieldIR } from '../../compiler/ir/types';
import { sourceFile, span } from '../../compiler/source';
import { richAction } from './fixture';
import { action, ex, p, rmrf, spec, tempRoot, val } from './helpers';

const roots: string[] = [];
function newRoot(stub: boolean): string {
  const r = tempRoot({ stub });
  roots.push(r);
  return r;
}
afterAll(() => roots.forEach(rmrf));

const field = (name: string, value = ex(p('user.email'))): FieldIR => ({ target: { kind: 'app_metadata', path: [name] }, value, transforms: [], clear: false, owner: 't' });

/** Three Actions using different parts of the runtime (lookups, sends and access; fields only; a big one). */
function actions(): ActionIR[] {
  const small = action([spec({ name: 'small', fields: [field('a')] })], { name: 'mapc-small', usesRedirect: false });
  const big = action([spec({ name: 'big', fields: Array.from({ length: 40 }, (_, i) => field(`f${i}`, val('x'.repeat(100)))) })], { name: 'mapc-big', usesRedirect: false });
  return [richAction(), small, big];
}

describe('bundleActions', () => {
  it('gives each Action the bytes bundleAction gives it, in order', async () => {
    const root = newRoot(false);
    const as = actions();
    const many = await bundleActions(as.map((a) => ({ entry: emitAction(a), name: a.name })), { root });
    const alone = await Promise.all(as.map((a) => bundleAction(emitAction(a), a.name, { root })));
    expect(many.every((r) => 'code' in r)).toBe(true);
    expect(many).toEqual(alone);
    // Tree-shaken per Action: the fields-only Action has no HTTP client.
    const small = many[1]!;
    expect('code' in small && small.code).not.toContain('fetch(');
    expect('code' in many[0]! && many[0].code).toContain('fetch(');
  });

  it('reports the size limit per Action, at that Action\'s span', async () => {
    const root = newRoot(true);
    const as = actions();
    const where = span(sourceFile('mappings/big.yaml', 'name: big\n'), 0, 4);
    const sizes = await bundleActions(as.map((a) => ({ entry: emitAction(a), name: a.name })), { root });
    const bytes = sizes.map((r) => ('code' in r ? Buffer.byteLength(r.code) : 0));
    // A limit between the small Action and the others.
    const max = bytes[1]! + 1;
    const rs = await bundleActions(
      as.map((a) => ({ entry: emitAction(a), name: a.name, ...(a.name === 'mapc-big' ? { span: where } : {}) })),
      { root, maxBytes: max },
    );
    expect(rs.map((r) => ('code' in r ? 'ok' : r.diagnostics.map((d) => d.code).join()))).toEqual(['MAPC0801', 'ok', 'MAPC0801']);
    const big = rs[2]!;
    expect('diagnostics' in big && big.diagnostics[0]!.span).toEqual(where);
    expect('diagnostics' in big && big.diagnostics[0]!.message).toBe(`Action 'mapc-big' is ${bytes[2]} bytes after bundling; Auth0 accepts at most ${max} bytes per Action`);
  });

  it('falls back to one build per Action when the build fails, so each failure names its Action', async () => {
    const root = newRoot(true);
    fs.rmSync(path.join(root, 'runtime', 'index.ts'));
    const as = actions().slice(1);
    const rs = await bundleActions(as.map((a) => ({ entry: emitAction(a), name: a.name })), { root });
    expect(rs.map((r) => ('diagnostics' in r ? [r.diagnostics[0]!.code, r.diagnostics[0]!.message.split(':')[0]] : 'ok'))).toEqual([
      ['MAPC0802', "could not bundle Action 'mapc-small'"],
      ['MAPC0802', "could not bundle Action 'mapc-big'"],
    ]);
  });
});
