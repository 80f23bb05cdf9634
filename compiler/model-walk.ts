/** Walks over the model shared by the check and ir phases: expressions of values, requests and specs; Action names. */
import type { Expr } from './expr/ast';
import { templateExprs } from './expr/walk';
import * as path from 'node:path';
import type { LoadedProject, RequestSpec, Spec, Value } from './model';
import type { SourceFile } from './source';

/** Every expression inside a value (expression leaves and template holes). */
export function valueExprs(v: Value): Expr[] {
  switch (v.kind) {
    case 'expr':
      return [v.expr];
    case 'template':
      return templateExprs(v.template);
    case 'object':
      return v.entries.flatMap((e) => valueExprs(e.value));
    case 'array':
      return v.items.flatMap(valueExprs);
    case 'literal':
      return [];
  }
}

/** Every expression of a lookup or send: path, idempotency key, when, query, headers, body. */
export function requestExprs(r: RequestSpec): Expr[] {
  const out: Expr[] = [...templateExprs(r.path)];
  if (r.idempotencyKey) out.push(...templateExprs(r.idempotencyKey));
  if (r.when) out.push(r.when);
  for (const q of r.query) out.push(...valueExprs(q.value));
  for (const h of r.headers) out.push(...valueExprs(h.value));
  if (r.body) out.push(...valueExprs(r.body));
  return out;
}

/** Every expression of a spec, in file order: lookups, fields, sends (with stores), access rules. */
export function specExprs(spec: Spec): Expr[] {
  const out: Expr[] = [];
  for (const l of spec.lookups) out.push(...requestExprs(l));
  for (const f of spec.fields) {
    out.push(...valueExprs(f.from));
    if (f.when) out.push(f.when);
  }
  for (const s of spec.sends) {
    out.push(...requestExprs(s));
    for (const st of s.store) out.push(...valueExprs(st.value));
  }
  for (const a of spec.access) {
    out.push(a.when);
    if (a.action.kind === 'redirect') for (const q of a.action.query) out.push(...valueExprs(q.value));
  }
  return out;
}

/** The Action a spec compiles into (SPEC 3): its own `action:`, else `mapc-<trigger>`. */
export function actionNameOf(spec: Spec): string {
  return spec.action?.value ?? `mapc-${spec.trigger.value}`;
}

/**
 * A project file's path as it appears in generated output: relative to the project folder's
 * parent (`mappings/crm.yaml`), `/` separators — the same whatever folder mapc runs from
 * (SPEC 6: same inputs, same bytes). Diagnostics keep `file.path` (relative to the cwd).
 */
export function outputPath(loaded: Pick<LoadedProject, 'root' | 'cwd'>, file: SourceFile): string {
  const abs = path.resolve(loaded.cwd, file.path);
  return path.relative(path.dirname(loaded.root), abs).split(path.sep).join('/');
}
