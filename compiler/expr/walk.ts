import type { Expr, Template } from './ast';
import type { Span } from '../source';

/** Calls `visit` on `expr` and every sub-expression, parents first. */
export function walkExpr(expr: Expr, visit: (e: Expr) => void): void {
  visit(expr);
  switch (expr.kind) {
    case 'member':
      walkExpr(expr.object, visit);
      break;
    case 'call':
      for (const a of expr.args) walkExpr(a, visit);
      break;
    case 'unary':
      walkExpr(expr.operand, visit);
      break;
    case 'binary':
      walkExpr(expr.left, visit);
      walkExpr(expr.right, visit);
      break;
    default:
      break;
  }
}

/** The expressions inside a template's `{{ }}` parts. */
export function templateExprs(t: Template): Expr[] {
  const out: Expr[] = [];
  for (const p of t.parts) if (p.kind === 'expr') out.push(p.expr);
  return out;
}

/** A data path read by an expression: a root and the literal keys after it (`user.app_metadata.tier`). */
export interface PathRead {
  readonly root: string;
  readonly keys: readonly (string | number)[];
  readonly span: Span;
}

/**
 * Every maximal root-anchored path in `expr`: `lower(user.email) == request.query.x` reads
 * `user.email` and `request.query.x`. Member access after a call (`identity('x').a`) is not a
 * root path and is not listed.
 */
export function pathsRead(expr: Expr): PathRead[] {
  const out: PathRead[] = [];
  const visit = (e: Expr): void => {
    if (e.kind === 'member' || e.kind === 'root') {
      const keys: (string | number)[] = [];
      let cur: Expr = e;
      while (cur.kind === 'member') {
        keys.unshift(cur.key);
        cur = cur.object;
      }
      if (cur.kind === 'root') {
        out.push({ root: cur.name, keys, span: e.span });
        return;
      }
      visit(cur);
      return;
    }
    switch (e.kind) {
      case 'call':
        e.args.forEach(visit);
        return;
      case 'unary':
        visit(e.operand);
        return;
      case 'binary':
        visit(e.left);
        visit(e.right);
        return;
      default:
        return;
    }
  };
  visit(expr);
  return out;
}
