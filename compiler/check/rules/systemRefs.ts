/**
 * MAPC0409/0413: every lookup and send names a declared system (unknown → error with the
 * nearest declared name), and every declared system is used by some spec (else a warning:
 * a stale system keeps its secrets and hosts in review). A system that an unknown name is a
 * near miss of counts as used: its MAPC0409 already says what to fix.
 */
import type { RequestSpec } from '../../model';
import { diag, type Rule } from '../context';
import { suggest } from '../../suggest';

export const systemRefs: Rule = (ctx) => {
  const declared = ctx.project.systems.map((s) => s.name.value);
  const used = new Set<string>();
  for (const spec of ctx.specs) {
    const requests: RequestSpec[] = [...spec.lookups, ...spec.sends];
    for (const r of requests) {
      const name = r.system.value;
      used.add(name);
      if (declared.includes(name)) continue;
      const near = suggest(name, declared);
      // A misspelt reference is most likely meant for `near`: not unused, only misspelt.
      if (near !== undefined) used.add(near);
      ctx.report(
        diag(
          'MAPC0409',
          r.system.span,
          `there is no system named '${name}'`,
          near !== undefined ? `did you mean '${near}'?` : `declare '${name}' under systems: in mappings/mapc.yaml`,
        ),
      );
    }
  }
  for (const sys of ctx.project.systems) {
    if (used.has(sys.name.value)) continue;
    ctx.report(
      diag(
        'MAPC0413',
        sys.name.span,
        `system '${sys.name.value}' is not used by any spec`,
        'remove it from mapc.yaml, or use it in a lookup or send',
      ),
    );
  }
};
