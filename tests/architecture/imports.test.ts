/**
 * The layers as drawn (issue: one resolved model, phases that say what they import). Reads the
 * layer table of docs/architecture.md — the table is the rule, so it cannot drift — and every
 * import of compiler/ and runtime/, then fails on:
 * - an import the table does not allow for its unit ("may import");
 * - an import into a phase folder that bypasses its `index.ts` surface;
 * - an import cycle between units, or between files.
 * Type-only imports count: a layer that needs another's types depends on it.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/compiled';

interface Import {
  readonly from: string;
  readonly to: string;
  readonly line: number;
}

const SOURCE = /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"](\.[^'"]+)['"]|import\(\s*['"](\.[^'"]+)['"]\s*\)/g;

function tsFiles(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...tsFiles(p));
    else if (e.name.endsWith('.ts')) out.push(p);
  }
  return out.sort();
}

function resolveImport(from: string, spec: string): string | null {
  const base = path.resolve(path.dirname(from), spec);
  for (const c of [`${base}.ts`, path.join(base, 'index.ts')]) if (fs.existsSync(c)) return c;
  return null;
}

/** `compiler/check` for compiler/check/rules/x.ts, `compiler/model` for compiler/model.ts, `runtime` for runtime/*. */
function unitOf(file: string): string {
  const rel = path.relative(REPO, file).split(path.sep);
  if (rel[0] === 'runtime') return 'runtime';
  return rel.length === 2 ? `compiler/${rel[1]!.replace(/\.ts$/, '')}` : `compiler/${rel[1]}`;
}

const short = (unit: string): string => unit.replace(/^compiler\//, '');

function allImports(): Import[] {
  const out: Import[] = [];
  for (const file of [...tsFiles(path.join(REPO, 'compiler')), ...tsFiles(path.join(REPO, 'runtime'))]) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(SOURCE)) {
      const target = resolveImport(file, (m[1] ?? m[2])!);
      if (target === null) continue; // node built-ins and packages are not layers
      out.push({ from: file, to: target, line: text.slice(0, m.index).split('\n').length + 1 });
    }
  }
  return out;
}

/** unit → the units it may import, from the table between `<!-- layers -->` markers. */
function layerTable(): Map<string, Set<string>> {
  const doc = fs.readFileSync(path.join(REPO, 'docs', 'architecture.md'), 'utf8');
  const body = /<!-- layers -->([\s\S]*?)<!-- \/layers -->/.exec(doc)?.[1];
  if (!body) throw new Error('docs/architecture.md has no <!-- layers --> table');
  const table = new Map<string, Set<string>>();
  for (const row of body.split('\n')) {
    const cells = row.split('|').map((c) => c.trim());
    const unit = /^`((?:compiler\/)?[a-z0-9-]+)(?:\.ts|\/)`$/.exec(cells[1] ?? '')?.[1];
    if (!unit) continue;
    const may = cells[cells.length - 2] ?? '';
    const allowed = may === 'nothing' ? [] : [...may.matchAll(/`([a-z0-9-]+)`/g)].map((x) => x[1]!);
    table.set(unit === 'runtime' ? 'runtime' : `compiler/${unit.replace(/^compiler\//, '')}`, new Set(allowed));
  }
  return table;
}

const rel = (f: string): string => path.relative(REPO, f).split(path.sep).join('/');

/** Strongly connected components of more than one node (or a self-loop). */
function cycles(edges: Map<string, Set<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const on = new Set<string>();
  const out: string[][] = [];
  let n = 0;
  const strong = (v: string): void => {
    index.set(v, n);
    low.set(v, n++);
    stack.push(v);
    on.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const comp: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1 || edges.get(v)?.has(v)) out.push(comp.sort());
    }
  };
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) strong(v);
  return out;
}

describe('the layers of docs/architecture.md', () => {
  const imports = allImports();
  const table = layerTable();

  it('lists every unit of compiler/ and runtime/ in its layer table', () => {
    const units = new Set(imports.flatMap((i) => [unitOf(i.from), unitOf(i.to)]));
    expect([...units].filter((u) => !table.has(u)).sort()).toEqual([]);
  });

  it('has no import the table does not allow', () => {
    const bad = imports
      .filter((i) => unitOf(i.from) !== unitOf(i.to) && !table.get(unitOf(i.from))?.has(short(unitOf(i.to))))
      .map((i) => `${rel(i.from)}:${i.line} imports ${rel(i.to)} (${short(unitOf(i.from))} may not import ${short(unitOf(i.to))})`);
    expect(bad).toEqual([]);
  });

  it('imports a phase folder only through its index.ts', () => {
    const bad = imports
      .filter((i) => {
        const to = unitOf(i.to);
        if (to === unitOf(i.from) || to === 'runtime') return false;
        const folder = path.join(REPO, to);
        return fs.existsSync(folder) && fs.statSync(folder).isDirectory() && i.to !== path.join(folder, 'index.ts');
      })
      .map((i) => `${rel(i.from)}:${i.line} imports ${rel(i.to)}: import '${short(unitOf(i.to))}' (its index.ts) instead`);
    expect(bad).toEqual([]);
  });

  it('has no import cycle between units or between files', () => {
    const units = new Map<string, Set<string>>();
    const files = new Map<string, Set<string>>();
    for (const i of imports) {
      const [a, b] = [unitOf(i.from), unitOf(i.to)];
      if (a !== b) (units.get(a) ?? units.set(a, new Set()).get(a)!).add(b);
      (files.get(rel(i.from)) ?? files.set(rel(i.from), new Set()).get(rel(i.from))!).add(rel(i.to));
    }
    expect(cycles(units)).toEqual([]);
    expect(cycles(files)).toEqual([]);
  });

  it('keeps the runtime a leaf: it imports nothing outside runtime/', () => {
    expect(imports.filter((i) => unitOf(i.from) === 'runtime' && unitOf(i.to) !== 'runtime').map((i) => rel(i.from))).toEqual([]);
  });

  it('fails on what it should (the checks are not vacuous)', () => {
    // A made-up import of the engine from a check rule, bypassing nothing but not allowed.
    const fake: Import = { from: path.join(REPO, 'compiler/codegen/code.ts'), to: path.join(REPO, 'compiler/ir/types.ts'), line: 1 };
    expect(table.get(unitOf(fake.from))!.has(short(unitOf(fake.to)))).toBe(false);
    expect(cycles(new Map([['a', new Set(['b'])], ['b', new Set(['a'])]]))).toEqual([['a', 'b']]);
    expect(imports.length).toBeGreaterThan(200);
  });
});
