/**
 * MAPC0601: an access rule's `when` must not read data the user can edit (SPEC 4): a user
 * who can set `user_metadata.tier` or a query parameter would choose their own access. The
 * rules of a `continue:` block too: there `continue.<claim>` is trusted (the page signed it),
 * while the query of /continue is whatever the user sent.
 */
import { diag, type Rule } from '../context';
import { pathText } from '../../resolve';

export const accessTrust: Rule = (ctx) => {
  for (const spec of ctx.specs) {
    for (const rule of [...spec.access, ...(spec.continue?.access ?? [])]) {
      for (const read of ctx.resolved.untrusted(rule.when, spec.trigger.value)) {
        ctx.report(
          diag(
            'MAPC0601',
            read.span,
            `this access rule decides on ${pathText(read)}, which the user can edit: anyone could change their own access`,
            'decide on trusted data: app_metadata, client or organization metadata, or a lookup of your own system',
          ),
        );
      }
    }
  }
};
