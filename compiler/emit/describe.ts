/**
 * Short, canonical text for comments in generated code: what a field reads and writes, in the
 * words of the spec. Printed from the AST (not sliced from the YAML) so it does not depend on
 * how a scalar was quoted. The result is plain text: callers pass it through `lineComment`.
 */
import { exprText as describeExpr, templateText as describeTemplate } from '../expr';

export { describeExpr, describeTemplate };
import type { TargetIR, ValueIR } from '../ir';

const MAX = 100;

export { targetKey as describeTarget } from '../ir';

/** A value position, shortened to one comment line. */
export function describeValue(v: ValueIR): string {
  switch (v.kind) {
    case 'expr':
      return shorten(describeExpr(v.expr));
    case 'literal':
      return shorten(`value ${JSON.stringify(v.value) ?? 'undefined'}`);
    case 'template':
      return shorten(`template "${describeTemplate(v.template)}"`);
    case 'object':
      return shorten(`{ ${v.entries.map(([k]) => k).join(', ')} }`);
    case 'array':
      return `[${v.items.length} item(s)]`;
  }
}

/** Cuts long text so a comment stays on one readable line. */
export function shorten(s: string): string {
  return s.length <= MAX ? s : `${s.slice(0, MAX - 3)}...`;
}
