/**
 * MAPC0416: a lookup's or send's `headers:` may not set what breaks the request or what mapc
 * sets itself. Framing and connection headers (`Content-Length`, `Transfer-Encoding`,
 * `Connection`, `Keep-Alive`, `TE`, `Trailer`, `Upgrade`, `Expect`, `Host`) make `fetch`
 * refuse the request or the server misread it — a network failure that is retried and, under
 * `on_error: deny`, denies every login. Credentials belong in the system's `auth:` (where the
 * secret is a name), the idempotency key in `idempotency_key:`, and a header the system's
 * `auth: { header }` sends would be overwritten. A name that is not an HTTP token (a space,
 * a colon) could never be sent.
 */
import type { RequestSpec } from '../../model';
import { diag, type Rule } from '../context';
import { HEADER_NAME } from '../../../runtime/path';
import { systemAuths } from '../../systems';

/** Header names (lower case) a spec may not set, with where the value belongs instead. */
export const REFUSED_HEADERS: ReadonlyMap<string, string> = new Map([
  ['content-length', 'mapc frames the body itself'],
  ['transfer-encoding', 'mapc frames the body itself'],
  ['connection', 'connection headers are managed by the runtime'],
  ['keep-alive', 'connection headers are managed by the runtime'],
  ['te', 'connection headers are managed by the runtime'],
  ['trailer', 'connection headers are managed by the runtime'],
  ['upgrade', 'a lookup or send is one request and one response'],
  ['expect', 'a lookup or send is one request and one response'],
  ['host', "the host comes from the system's base_url"],
  ['authorization', "put credentials in the system's auth: (bearer, basic or header), where the secret is a name"],
  ['proxy-authorization', "put credentials in the system's auth:, where the secret is a name"],
  ['idempotency-key', 'use idempotency_key: (it also allows retrying POST)'],
]);


export const requestHeaders: Rule = (ctx) => {
  const systems = new Map(ctx.project.systems.map((s) => [s.name.value, s]));
  for (const spec of ctx.specs) {
    const requests: RequestSpec[] = [...spec.lookups, ...spec.sends];
    for (const r of requests) {
      const sys = systems.get(r.system.value);
      // The system's own auth header, or any route's (a route may have its own credentials).
      const authHeaders = new Set((sys ? systemAuths(sys) : []).flatMap((a) => (a.kind === 'header' ? [a.header.value.toLowerCase()] : [])));
      for (const { key } of r.headers) {
        const name = key.value;
        const lower = name.toLowerCase();
        if (!HEADER_NAME.test(name)) {
          ctx.report(diag('MAPC0416', key.span, `'${name}' is not a valid HTTP header name`, 'use letters, digits and - only (e.g. X-Request-Source)'));
          continue;
        }
        const why = REFUSED_HEADERS.get(lower);
        if (why !== undefined) {
          ctx.report(diag('MAPC0416', key.span, `a spec may not set the ${name} header`, `remove it: ${why}`));
          continue;
        }
        if (authHeaders.has(lower)) {
          ctx.report(
            diag(
              'MAPC0416',
              key.span,
              `the ${name} header is the one system '${r.system.value}' sends its credential in`,
              "remove it: the system's auth: sets it from the secret",
            ),
          );
        }
      }
    }
  }
};
