/**
 * MAPC0706: at most 20 Actions bound to one trigger (Auth0's entity limit), counting the
 * Actions mapc builds (`mapc-<trigger>` and every `action:`) and the project's external ones.
 */
import { LIMITS, TRIGGER_IDS } from '../../triggers';
import type { Spec } from '../../model';
import { diag, type Rule } from '../context';

export const actionsPerTrigger: Rule = (ctx) => {
  for (const trigger of TRIGGER_IDS) {
    const ours = new Map<string, Spec>();
    for (const spec of ctx.specs) {
      if (spec.trigger.value !== trigger) continue;
      const name = ctx.resolved.of(spec).action;
      if (!ours.has(name)) ours.set(name, spec);
    }
    const external = ctx.project.externalActions.filter((e) => e.trigger.value === trigger);
    const total = ours.size + external.length;
    if (total <= LIMITS.actionsPerTrigger) continue;
    // Point at the spec that brings the first Action over the limit.
    const over = [...ours.values()][Math.max(0, LIMITS.actionsPerTrigger - external.length)] ?? [...ours.values()][0];
    if (!over) continue;
    ctx.report(
      diag(
        'MAPC0706',
        over.action?.span ?? over.trigger.span,
        `${trigger} would have ${total} Actions (${ours.size} built by mapc, ${external.length} external); Auth0 allows ${LIMITS.actionsPerTrigger}`,
        `let specs share an Action: remove action: from some of them so they join mapc-${trigger}`,
      ),
    );
  }
};
