/**
 * Found by attacking requests (#13, item 9): a spec's `headers:` could set `Content-Length`,
 * `Transfer-Encoding`, `Expect`, `Upgrade`, `Connection`, `Host` or `Authorization`. fetch
 * refuses some of them outright and the others make the server misread the request: either
 * way a network failure at login, retried and, under `on_error: deny`, a denied user. Now
 * each is a compile error (MAPC0416) on the header's name, with where the value belongs;
 * `Authorization` belongs in the system's `auth:`.
 */
import { describe, expect, it } from 'vitest';
import { REFUSED_HEADERS } from '../../../compiler/check/rules/requestHeaders';
import { diagnosticsOf, errorCodes } from '../support/project';

const spec = (headers: string) => `version: 1
name: headers
owner: team-a
trigger: post-login
lookups:
  risk:
    system: sink
    method: POST
    path: /score
    headers: { ${headers} }
    on_error: deny
    deny_message: Risk service unavailable.
fields:
  - to: app_metadata.risk
    from: risk.score
`;

describe('request headers that break requests', () => {
  for (const name of ['Content-Length', 'Transfer-Encoding', 'Expect', 'Upgrade', 'Connection', 'Host', 'Authorization']) {
    for (const written of [name, name.toLowerCase(), name.toUpperCase()]) {
      it(`${written} is refused at build`, async () => {
        const diagnostics = await diagnosticsOf({ 'spec.yaml': spec(`${written}: "'x'"`) });
        expect(errorCodes(diagnostics)).toEqual(['MAPC0416']);
        expect(diagnostics[0]!.message).toContain(written);
        expect(diagnostics[0]!.span!.file.text.slice(diagnostics[0]!.span!.start, diagnostics[0]!.span!.end)).toBe(written);
      });
    }
  }

  it('Authorization points at auth:', async () => {
    const [d] = await diagnosticsOf({ 'spec.yaml': spec(`Authorization: "'Bearer abc'"`) });
    expect(d!.hint).toContain('auth:');
  });

  it('the refused table covers the attack and the idempotency header', () => {
    for (const n of ['content-length', 'transfer-encoding', 'expect', 'upgrade', 'connection', 'host', 'authorization', 'idempotency-key']) {
      expect(REFUSED_HEADERS.has(n), n).toBe(true);
    }
  });

  it("the header the system's auth: { header } sends is refused", async () => {
    const extra = `  keyed:
    base_url: https://keyed.example.com
    auth: { header: X-Api-Key, secret: KEYED_KEY }
`;
    const text = spec(`X-Api-Key: "'mine'"`).replace('system: sink', 'system: keyed');
    const diagnostics = await diagnosticsOf({ 'spec.yaml': text }, extra);
    expect(errorCodes(diagnostics)).toContain('MAPC0416');
    expect(diagnostics.find((d) => d.code === 'MAPC0416')!.message).toContain("system 'keyed'");
  });

  it('a name that is not an HTTP token is refused', async () => {
    const diagnostics = await diagnosticsOf({ 'spec.yaml': spec(`"X Source": "'x'"`) });
    expect(errorCodes(diagnostics)).toEqual(['MAPC0416']);
  });

  it('ordinary headers build', async () => {
    const diagnostics = await diagnosticsOf({ 'spec.yaml': spec(`X-Request-Source: "'auth0'", X-User: user.user_id`) });
    expect(errorCodes(diagnostics)).toEqual([]);
  });
});
