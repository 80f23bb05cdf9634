/**
 * MAPC0705: at most 5 retries per call. More cannot finish inside the deadline with backoff,
 * and hammer a failing system during every login.
 */
import type { Located } from '../../source';
import { diag, type Rule } from '../context';

/** The most retries a call may ask for. */
export const MAX_RETRIES = 5;

export const retries: Rule = (ctx) => {
  const check = (r: Located<number> | undefined, what: string): void => {
    if (!r || r.value <= MAX_RETRIES) return;
    ctx.report(
      diag('MAPC0705', r.span, `${what} is ${r.value}; at most ${MAX_RETRIES} retries are allowed`, `set retries to ${MAX_RETRIES} or fewer`),
    );
  };
  check(ctx.project.defaults.retries, 'the default number of retries');
  for (const sys of ctx.project.systems) check(sys.retries, `the number of retries of system '${sys.name.value}'`);
  for (const spec of ctx.specs) {
    for (const l of spec.lookups) check(l.retries, `the number of retries of lookup '${l.name.value}'`);
    for (const s of spec.sends) check(s.retries, `the number of retries of the send to ${s.system.value}`);
  }
};
