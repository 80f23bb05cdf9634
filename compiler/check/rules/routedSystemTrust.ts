/**
 * MAPC0603: a routed system's `by` expression must not carry data the user can choose, on any trigger
 * (SPEC 2.1): a user could send another tenant's requests to the region of their choice.
 */
import { diag, type Rule } from '../context';
import { taintText } from '../../resolve';

export const routedSystemTrust: Rule = (ctx) => {
  for (const sys of ctx.project.systems) {
    if (sys.baseUrl.kind !== 'routed') continue;
    for (const read of ctx.resolved.untrusted(sys.baseUrl.by, {})) {
      ctx.report(
        diag(
          'MAPC0603',
          read.span,
          `system '${sys.name.value}' is routed by ${taintText(read)}: a user could pick which server receives their data`,
          'route by trusted data, such as user.app_metadata.region written from trusted data, or organization.metadata',
          read.chain,
        ),
      );
    }
  }
};
