/**
 * MAPC0601: an access rule's `when` must not carry data the user can choose (SPEC 4,
 * compiler/resolve/trust.ts): a user who can set `user_metadata.tier`, a query parameter, or
 * an `app_metadata` target written from them would choose their own access. The
 * rules of a `continue:` block too: there `continue.<claim>` is trusted (the page signed it),
 * while the query of /continue is whatever the user sent. On pre-user-registration a rule
 * may decide on the sign-up's own profile (`email_domain(user.email) == 'blocked.example'`):
 * see TrustScope.signupProfile.
 */
import { diag, type Rule } from '../context';
import { taintText } from '../../resolve';

export const accessTrust: Rule = (ctx) => {
  for (const spec of ctx.specs) {
    for (const rule of [...spec.access, ...(spec.continue?.access ?? [])]) {
      for (const read of ctx.resolved.untrusted(rule.when, { trigger: spec.trigger.value, spec, guard: rule.when, signupProfile: spec.trigger.value === 'pre-user-registration' })) {
        ctx.report(
          diag(
            'MAPC0601',
            read.span,
            `this access rule decides on ${taintText(read)}: anyone could change their own access`,
            'decide on trusted data: app_metadata written from trusted data, client or organization metadata, or a lookup of your own system by a trusted key',
            read.chain,
          ),
        );
      }
    }
  }
};
