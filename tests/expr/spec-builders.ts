/** Builders of model objects (Spec, Project, ...) for the spec-level checker tests. */
import { expect } from 'vitest';
import type { Field, Lookup, Project, Spec, System, TransformStep, Value } from '../../compiler/model';
import { sourceFile, span, type Located } from '../../compiler/source';
import type { TriggerId } from '../../compiler/triggers';
import { parse, tpl } from './helpers';

export const names = sourceFile('mappings/names.yaml', 'abcdefghijklmnopqrstuvwxyz\n'.repeat(20));
let nameLine = 0;
/** A located value on a line of names.yaml (column 1): the given line, else the next one in turn. */
export function loc<T>(value: T, line?: number): Located<T> {
  const start = names.lineStarts[line !== undefined ? line - 1 : nameLine++ % 20]!;
  return { value, span: span(names, start, start + 3) };
}

export function ex(src: string): Value {
  const p = parse(src);
  expect(p.diagnostics).toEqual([]);
  return { kind: 'expr', expr: p.expr, span: p.expr.span };
}
export function when(src: string) {
  const p = parse(src);
  expect(p.diagnostics).toEqual([]);
  return p.expr;
}
export function path(src: string) {
  const t = tpl(src);
  expect(t.diagnostics).toEqual([]);
  return t.template;
}

export function lookup(name: string, p: string, extra: Partial<Lookup> = {}): Lookup {
  return { name: loc(name), system: loc('crm'), method: loc('GET'), path: path(p), query: [], headers: [], span: span(names, 0), ...extra };
}
export function field(to: string, from: Value, extra: Partial<Field> = {}): Field {
  return { to: loc(to), from, transform: [], span: span(names, 0), ...extra };
}
export function step(name: string, args: unknown[] = [], named?: Record<string, unknown>): TransformStep {
  return {
    name: loc(name),
    args: args.map((a) => loc(a)),
    ...(named ? { namedArgs: Object.entries(named).map(([k, v]) => ({ name: loc(k), value: loc(v) })) } : {}),
    span: span(names, 0),
  };
}

export function spec(trigger: TriggerId, parts: Partial<Spec>): Spec {
  return {
    file: names,
    version: 1,
    name: loc('s'),
    owner: loc('team'),
    trigger: loc(trigger),
    lookups: [],
    uses: [],
    fields: [],
    sends: [],
    access: [],
    ...parts,
  };
}

export const system = (name: string, by?: string): System => ({
  name: loc(name),
  baseUrl: by ? { kind: 'routed', by: when(by), routes: [], span: span(names, 0) } : { kind: 'static', url: loc('https://x.example') },
  auth: { kind: 'none', span: span(names, 0) },
  span: span(names, 0),
});

export function project(systems: System[] = [system('crm')]): Project {
  return {
    file: names,
    version: 1,
    runtime: loc('node22'),
    defaults: { timeoutMs: loc(2000), deadlineMs: loc(8000), retries: loc(0), onError: loc('continue') },
    systems,
    attributes: [{ target: loc('app_metadata.tier'), owner: loc('team'), type: loc('string'), span: span(names, 0) }],
    externalActions: [],
  };
}

