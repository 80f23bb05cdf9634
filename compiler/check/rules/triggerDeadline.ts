/**
 * MAPC0710/0711: one deadline per trigger (SPEC 8). Auth0's 20 s cover all Actions of a trigger
 * together: they run one after the other, so the deadlines of a trigger's Actions (each Action's
 * `deadline:`, else the project's) must add up to less than 20 s. The specs of one Action share
 * its deadline, so they may not set different ones.
 */
import type { Spec } from '../../model';
import { LIMITS, TRIGGER_IDS } from '../../triggers';
import { diag, type Rule } from '../context';
import { seconds } from './deadline';

export const triggerDeadline: Rule = (ctx) => {
  for (const a of ctx.resolved.actions) {
    const action = a.name;
    const specs = a.specs.map((r) => r.spec);
    const set = specs.filter((s) => s.deadlineMs !== undefined);
    const first = set[0];
    const other = set.find((s) => s.deadlineMs!.value !== first?.deadlineMs!.value);
    if (!first || !other) continue;
    ctx.report(
      diag(
        'MAPC0711',
        other.deadlineMs!.span,
        `spec '${other.name.value}' gives the Action ${action} a deadline of ${seconds(other.deadlineMs!.value)}, but spec '${first.name.value}' gives it ${seconds(first.deadlineMs!.value)}`,
        'the specs of one Action share one deadline: set the same deadline: in each, or in one of them only',
        [{ message: `spec '${first.name.value}' sets it here`, span: first.deadlineMs!.span }],
      ),
    );
  }
  for (const trigger of TRIGGER_IDS) {
    const actions: { name: string; specs: Spec[]; ms: number }[] = [];
    for (const a of ctx.resolved.actions) {
      if (a.trigger !== trigger) continue;
      actions.push({ name: a.name, specs: a.specs.map((r) => r.spec), ms: a.deadline.value });
    }
    if (actions.length < 2) continue;
    const total = actions.reduce((n, a) => n + a.ms, 0);
    if (total < LIMITS.flowMs) continue;
    const shares = actions.map((a) => `${a.name} ${seconds(a.ms)}`).join(', ');
    const last = actions[actions.length - 1]!;
    const at = (a: (typeof actions)[number]) => a.specs.find((s) => s.deadlineMs)?.deadlineMs!.span ?? a.specs[0]!.action?.span ?? a.specs[0]!.trigger.span;
    ctx.report(
      diag(
        'MAPC0710',
        at(last),
        `the ${actions.length} Actions of ${trigger} can take ${seconds(total)} together (${shares}), but Auth0 ends the whole ${trigger} flow after ${seconds(LIMITS.flowMs)}`,
        `give each Action a smaller deadline: (for example ${seconds(Math.floor(LIMITS.flowMs / actions.length / 1000 - 1) * 1000)} each) so that they add up to less than ${seconds(LIMITS.flowMs)}, or let specs share an Action`,
        actions.slice(0, -1).map((a) => ({ message: `${a.name}: ${seconds(a.ms)}`, span: at(a) })),
      ),
    );
  }
};
