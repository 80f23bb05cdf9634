/**
 * MAPC0417: a shared lookup (`uses: { name: <spec>.<lookup> }`) names a lookup of another spec
 * of the same Action. Lookups run per Action (SPEC 3), so a spec of another Action — another
 * trigger, or its own `action:` — has no run to share; nor does the spec itself (it reads its
 * own lookups by name). Misspellings get the nearest spec or lookup name.
 */
import { diag, type Rule } from '../context';
import { suggest } from '../../suggest';

export const sharedLookups: Rule = (ctx) => {
  const byName = new Map(ctx.specs.map((s) => [s.name.value, s]));
  for (const spec of ctx.specs) {
    if (spec.uses.length === 0) continue;
    const action = ctx.resolved.of(spec).action;
    for (const u of spec.uses) {
      const owner = byName.get(u.spec);
      if (owner === undefined) {
        const near = suggest(u.spec, [...byName.keys()].filter((n) => n !== spec.name.value));
        ctx.report(diag('MAPC0417', u.from.span, `there is no spec named '${u.spec}'`, near !== undefined ? `did you mean '${near}.${u.lookup}'?` : 'name a spec of this Action as <spec>.<lookup>'));
        continue;
      }
      if (owner === spec) {
        ctx.report(diag('MAPC0417', u.from.span, `'${u.from.value}' is this spec's own lookup`, `read it as ${u.lookup} and remove it from uses:`));
        continue;
      }
      const ownerAction = ctx.resolved.of(owner).action;
      if (ownerAction !== action) {
        ctx.report(
          diag(
            'MAPC0417',
            u.from.span,
            `spec '${u.spec}' runs in Action '${ownerAction}', this spec in '${action}': a lookup is shared only within one Action (one run)`,
            'declare the lookup in this spec, or put both specs in one Action (same trigger, same action:)',
            [{ message: `spec '${u.spec}' is declared here`, span: owner.name.span }],
          ),
        );
        continue;
      }
      if (!owner.lookups.some((l) => l.name.value === u.lookup)) {
        const names = owner.lookups.map((l) => l.name.value);
        const near = suggest(u.lookup, names);
        ctx.report(
          diag(
            'MAPC0417',
            u.from.span,
            `spec '${u.spec}' has no lookup named '${u.lookup}'`,
            near !== undefined ? `did you mean '${u.spec}.${near}'?` : names.length > 0 ? `its lookups: ${names.join(', ')}` : `spec '${u.spec}' has no lookups`,
          ),
        );
      }
    }
  }
};
