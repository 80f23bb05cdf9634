/**
 * MAPC0401/0402: every field `to:` and send `store:` key is a valid target (SPEC 2.2), and no
 * key segment is `__proto__`, `constructor` or `prototype` (they would reach
 * Object.prototype when the runtime merges nested targets).
 */
import { diag, type Rule } from '../context';


export const targetSyntax: Rule = (ctx) => {
  for (const w of ctx.resolved.writes) {
    const parsed = w.problem;
    if (!parsed) continue;
    if (parsed.problem === 'reserved') {
      ctx.report(
        diag(
          'MAPC0402',
          w.text.span,
          `'${w.text.value}' uses the reserved key '${parsed.segment}'`,
          `rename the key: '${parsed.segment}' would change how every object behaves in the generated Action`,
        ),
      );
    } else {
      ctx.report(diag('MAPC0401', w.text.span, parsed.message, parsed.hint));
    }
  }
};
