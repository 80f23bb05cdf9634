/**
 * MAPC0703/0704: the deadline (all external calls of one Action) stays below Auth0's 20 s
 * flow limit (LIMITS.flowMs), and no timeout is longer than the deadline (the deadline would
 * cut it short, so the written timeout is misleading).
 */
import type { Located } from '../../source';
import { LIMITS } from '../../triggers';
import { diag, type CheckContext, type Rule } from '../context';

export const deadline: Rule = (ctx) => {
  const d = ctx.project.defaults.deadlineMs;
  if (d.value >= LIMITS.flowMs) {
    ctx.report(
      diag(
        'MAPC0703',
        d.span,
        `the deadline is ${seconds(d.value)}, but Auth0 ends the whole login flow after ${seconds(LIMITS.flowMs)}`,
        'keep the deadline well below 20s (for example 8s), leaving time for the other Actions and Auth0 itself',
      ),
    );
  }
  const check = (t: Located<number> | undefined, what: string): void => {
    if (t) checkTimeout(ctx, t, d, what);
  };
  check(ctx.project.defaults.timeoutMs, 'the default timeout');
  for (const sys of ctx.project.systems) check(sys.timeoutMs, `the timeout of system '${sys.name.value}'`);
  for (const spec of ctx.specs) {
    for (const l of spec.lookups) check(l.timeoutMs, `the timeout of lookup '${l.name.value}'`);
    for (const s of spec.sends) check(s.timeoutMs, `the timeout of the send to ${s.system.value}`);
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

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
