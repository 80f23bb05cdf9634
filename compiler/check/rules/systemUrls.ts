/**
 * MAPC0410/0411/0412: system base URLs, routes and oauth2 token URLs are absolute https URLs
 * without query, fragment or credentials (SPEC 2.1). Plain http is only tolerated for
 * localhost, with a warning. URLs behind `{ secret }` are unknown at build time and not checked.
 */
import type { Located } from '../../source';
import { systemAuths } from '../../systems';
import { diag, type CheckContext, type Rule } from '../context';
import { isLocalHost, parseUrl } from '../urls';

export const systemUrls: Rule = (ctx) => {
  for (const sys of ctx.project.systems) {
    const b = sys.baseUrl;
    const label = `system '${sys.name.value}'`;
    if (b.kind === 'static') checkUrl(ctx, b.url, label);
    else if (b.kind === 'routed') {
      for (const r of b.routes) checkUrl(ctx, r.url, `${label} (route '${r.key}')`);
      if (b.default) checkUrl(ctx, b.default, `${label} (default route)`);
    }
    for (const a of systemAuths(sys)) if (a.kind === 'oauth2') checkUrl(ctx, a.tokenUrl, `${label} (oauth2 token_url)`, 'token');
  }
};

function checkUrl(ctx: CheckContext, url: Located<string>, label: string, kind: 'base' | 'token' = 'base'): void {
  const u = parseUrl(url.value);
  if (!u || u.hostname === '' || (u.protocol !== 'https:' && u.protocol !== 'http:')) {
    ctx.report(
      diag('MAPC0412', url.span, `${label} has '${url.value}' as its URL, which is not an absolute http(s) URL`, 'write the full address, for example https://crm.example.com/api'),
    );
    return;
  }
  if (u.username !== '' || u.password !== '') {
    ctx.report(
      diag('MAPC0412', url.span, `${label} has credentials inside its URL`, 'remove them from the URL and use auth: (bearer, header or basic) with secrets'),
    );
    return;
  }
  if (u.search !== '' || u.hash !== '' || url.value.includes('?') || url.value.includes('#')) {
    ctx.report(
      kind === 'token'
        ? diag('MAPC0412', url.span, `${label} has a query or fragment in its token URL`, 'keep the token URL to scheme, host and path; put audience and scope under oauth2:')
        : diag('MAPC0412', url.span, `${label} has a query or fragment in its base URL`, 'keep the base URL to scheme, host and path; put query parameters under query: in the lookup or send'),
    );
    return;
  }
  if (u.protocol === 'http:') {
    if (isLocalHost(u.hostname)) {
      ctx.report(
        diag('MAPC0411', url.span, `${label} uses plain http on ${u.hostname}`, 'fine for local testing; Auth0 cannot reach localhost, so use https before deploying'),
      );
    } else {
      ctx.report(
        diag('MAPC0410', url.span, `${label} uses plain http: identity data would travel unencrypted`, `use https://${u.host}${u.pathname === '/' ? '' : u.pathname}`),
      );
    }
  }
}
