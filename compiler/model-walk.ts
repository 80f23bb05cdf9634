/** Walks over the model shared by the check and ir phases: expressions of values, requests and specs; Action names. */
import type { Expr, FunctionRegistry } from './expr';
import { templateExprs, walkExpr } from './expr';
import * as path from 'node:path';
import type { LoadedProject, Project, RequestSpec, Spec, Value } from './model';
import type { Located, SourceFile } from './source';

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
    if (a.action.kind === 'redirect') {
      for (const q of a.action.query) out.push(...valueExprs(q.value));
      for (const c of a.action.token?.payload ?? []) out.push(...valueExprs(c.value));
    }
  }
  for (const f of spec.continue?.fields ?? []) {
    out.push(...valueExprs(f.from));
    if (f.when) out.push(f.when);
  }
  for (const a of spec.continue?.access ?? []) out.push(a.when);
  return out;
}

/** The secret names a spec's redirect tokens are signed with, in file order (with repeats). */
export function tokenSecrets(spec: Spec): Located<string>[] {
  const out: Located<string>[] = [];
  for (const a of spec.access) if (a.action.kind === 'redirect' && a.action.token) out.push(a.action.token.secret);
  return out;
}

/**
 * The secret names a spec's library calls read (a literal at a parameter with `check:
 * 'secret'`, as in `hmac_sha256(user.email, 'WEBHOOK_KEY')` or a transform step
 * `hmac_sha256: [WEBHOOK_KEY]`), in file order (with repeats). The checker checks each name.
 */
export function functionSecrets(spec: Spec, functions: FunctionRegistry): Located<string>[] {
  const sig = (name: string) => (Object.prototype.hasOwnProperty.call(functions, name) ? functions[name] : undefined);
  const out: Located<string>[] = [];
  for (const e of specExprs(spec)) {
    walkExpr(e, (c) => {
      if (c.kind !== 'call') return;
      sig(c.name)?.params.forEach((p, i) => {
        const a = c.args[i];
        if (p.check === 'secret' && a?.kind === 'literal' && typeof a.value === 'string') out.push({ value: a.value, span: a.span });
      });
    });
  }
  for (const f of [...spec.fields, ...(spec.continue?.fields ?? [])]) {
    for (const step of f.transform) {
      // Positional arguments follow the value (parameter 0); named ones go by parameter name.
      sig(step.name.value)?.params.forEach((p, i) => {
        const a = i === 0 ? undefined : (step.args[i - 1] ?? step.namedArgs?.find((n) => n.name.value === p.name)?.value);
        if (p.check === 'secret' && typeof a?.value === 'string') out.push({ value: a.value, span: a.span });
      });
    }
  }
  return out;
}

/**
 * The deadline of the Action made of `specs` (all external calls of one run together): the
 * first `deadline:` one of them sets (the checker makes them agree, MAPC0711), else the
 * project's default.
 */
export function actionDeadline(specs: readonly Spec[], project: Project): Located<number> {
  for (const s of specs) if (s.deadlineMs) return s.deadlineMs;
  return project.defaults.deadlineMs;
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
