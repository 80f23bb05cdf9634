/** MAPC0707: spec names are unique in the project (they name log lines, tests and the manifest). */
import type { Spec } from '../../model';
import { diag, type Rule } from '../context';

export const uniqueSpecNames: Rule = (ctx) => {
  const first = new Map<string, Spec>();
  for (const spec of ctx.specs) {
    const prev = first.get(spec.name.value);
    if (!prev) {
      first.set(spec.name.value, spec);
      continue;
    }
    ctx.report(
      diag(
        'MAPC0707',
        spec.name.span,
        `the spec name '${spec.name.value}' is already used by ${prev.file.path}`,
        'give each spec its own name',
        [{ message: 'first used here', span: prev.name.span }],
      ),
    );
  }
};
