/**
 * MAPC0609/0610: `deny_message` and `on_error: deny` go together on lookups and sends.
 * A message without an effective deny policy is never shown; an explicit `on_error: deny`
 * without a message shows users a generic text.
 */
import type { OnError, RequestSpec, Spec } from '../../model';
import { TRIGGERS } from '../../triggers';
import { diag, type CheckContext, type Rule } from '../context';

export const denyMessages: Rule = (ctx) => {
  for (const spec of ctx.specs) {
    // On triggers that cannot deny, triggerAccess already reports every deny.
    if (TRIGGERS[spec.trigger.value].deny === null) continue;
    for (const l of spec.lookups) check(ctx, spec, l, `lookup '${l.name.value}'`);
    for (const s of spec.sends) check(ctx, spec, s, `the send to ${s.system.value}`);
  }
};

function check(ctx: CheckContext, spec: Spec, r: RequestSpec, what: string): void {
  const policy: OnError = r.onError?.value ?? spec.onError?.value ?? ctx.project.defaults.onError.value;
  if (r.denyMessage && policy !== 'deny') {
    ctx.report(
      diag(
        'MAPC0609',
        r.denyMessage.span,
        `${what} has a deny_message, but a failure does not deny (on_error is continue), so the message is never shown`,
        'add on_error: deny to deny when it fails, or remove deny_message',
      ),
    );
  }
  if (r.onError?.value === 'deny' && !r.denyMessage) {
    ctx.report(
      diag(
        'MAPC0610',
        r.onError.span,
        `${what} denies when it fails, but has no deny_message: users see a generic message`,
        'add deny_message with a text users understand, for example "Billing is unavailable, please try again later."',
      ),
    );
  }
}
