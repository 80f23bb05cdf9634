/**
 * MAPC0703/0704: a deadline (all external calls of one Action; the project default or a spec's
 * `deadline:`) stays below Auth0's 20 s flow limit (LIMITS.flowMs), and no timeout is longer
 * than the deadline of the Action it runs in (the deadline would cut it short, so the written
 * timeout is misleading). How deadlines add up across a trigger: triggerDeadline.ts.
 */
import type { Located } from '../../source';
import { LIMITS } from '../../triggers';
import { diag, type CheckContext, type Rule } from '../context';

export const deadline: Rule = (ctx) => {
  const d = ctx.project.defaults.deadlineMs;
  const tooLong = (x: Located<number>): void => {
    if (x.value < LIMITS.flowMs) return;
    ctx.report(
      diag(
        'MAPC0703',
        x.span,
        `the deadline is ${seconds(x.value)}, but Auth0 ends the whole login flow after ${seconds(LIMITS.flowMs)}`,
        'keep the deadline well below 20s (for example 8s), leaving time for the other Actions and Auth0 itself',
      ),
    );
  };
  tooLong(d);
  for (const spec of ctx.specs) if (spec.deadlineMs) tooLong(spec.deadlineMs);
  const check = (t: Located<number> | undefined, what: string, limit: Located<number>): void => {
    if (t) checkTimeout(ctx, t, limit, what);
  };
  check(ctx.project.defaults.timeoutMs, 'the default timeout', d);
  for (const sys of ctx.project.systems) check(sys.timeoutMs, `the timeout of system '${sys.name.value}'`, d);
  for (const a of ctx.resolved.actions) {
    const limit = a.deadline;
    for (const { spec } of a.specs) {
      for (const l of spec.lookups) check(l.timeoutMs, `the timeout of lookup '${l.name.value}'`, limit);
      for (const s of spec.sends) check(s.timeoutMs, `the timeout of the send to ${s.system.value}`, limit);
    }
  }
};

function checkTimeout(ctx: CheckContext, t: Located<number>, d: Located<number>, what: string): void {
  if (t.value <= d.value) return;
  ctx.report(
    diag(
      'MAPC0704',
      t.span,
      `${what} (${seconds(t.value)}) is longer than the deadline (${seconds(d.value)}), so the call is cut off at the deadline`,
      `lower the timeout to at most ${seconds(d.value)}, or raise the deadline`,
      [{ message: 'the deadline is set here', span: d.span }],
    ),
  );
}

/** `8s`, `1500ms`. */
export function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
