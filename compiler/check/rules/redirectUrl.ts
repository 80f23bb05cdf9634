/** MAPC0608: a redirect goes to an absolute https URL (the user's browser follows it mid-login). */
import { diag, type Rule } from '../context';
import { parseUrl } from '../urls';

export const redirectUrl: Rule = (ctx) => {
  for (const spec of ctx.specs) {
    for (const rule of spec.access) {
      const a = rule.action;
      if (a.kind !== 'redirect') continue;
      const url = parseUrl(a.url.value);
      if (url && url.protocol === 'https:' && url.hostname !== '') continue;
      ctx.report(
        diag(
          'MAPC0608',
          a.url.span,
          url
            ? `the redirect URL '${a.url.value}' does not use https`
            : `the redirect URL '${a.url.value}' is not an absolute URL`,
          'write the full address, starting with https://',
        ),
      );
    }
  }
};
