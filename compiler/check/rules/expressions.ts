/**
 * MAPC03xx: what the expression type checker found (unknown roots and paths, functions, arity,
 * argument types, `secrets.*` reads, lookup names and cycles). The checker runs once, in the
 * resolve phase (compiler/resolve/expressions.ts), which records every expression's type; this
 * rule reports its findings, sorted by file and position, before every other rule.
 */
import type { Rule } from '../context';

export const expressions: Rule = (ctx) => {
  for (const d of ctx.resolved.expressionDiagnostics) ctx.report(d);
};
