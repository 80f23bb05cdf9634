/**
 * Found by the event fuzz: a request header built from user data (`headers:` or the
 * `idempotency_key`) with a character beyond Latin-1 (`€`, `😀`, a lone surrogate) made
 * `fetch` reject the whole request ("Cannot convert argument to a ByteString"): it was
 * reported as a network error, retried, and under `on_error: deny` denied every user with
 * such a name. Now such a value is sent percent-encoded as UTF-8; Latin-1 text is sent as is.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Compiled } from '../../../compiler/pipeline';
import { headerValue } from '../../../runtime/engine';
import { runCompiled } from '../../helpers/compiled';
import { buildSpec, parsedLogs, SINK_SECRETS } from '../support/project';

const SPEC = `version: 1
name: headers
owner: team-a
trigger: post-login
lookups:
  risk:
    system: sink
    method: POST
    path: /score
    idempotency_key: "{{user.name}}-1"
    headers: { X-Name: user.name }
    retries: 2
    on_error: deny
    deny_message: Risk service unavailable.
`;

let compiled: Compiled;
beforeAll(async () => {
  compiled = await buildSpec(SPEC);
});

const run = (name: string) =>
  runCompiled(compiled, 'mapc-post-login', {
    secrets: SINK_SECRETS,
    event: { user: { name } },
    scripts: { sink: [{ method: 'POST', path: '/score', body: { score: 0 } }] },
  });

describe('header values beyond Latin-1', () => {
  it('headerValue encodes only what fetch refuses', () => {
    expect(headerValue('José Ünal')).toBe('José Ünal');
    expect(headerValue('Zoë €')).toBe('Zo%C3%AB%20%E2%82%AC');
    expect(headerValue('a\uD800')).toBe('a%EF%BF%BD');
    expect(headerValue('line\nbreak')).toBe('line%0Abreak');
  });

  it('are sent percent-encoded, once, and the login is allowed', async () => {
    const out = await run('Zoë 😀');
    expect(out.threw).toBeUndefined();
    expect(out.requests).toHaveLength(1);
    expect(out.requests[0]!.headers['x-name']).toBe(encodeURIComponent('Zoë 😀'));
    expect(out.requests[0]!.headers['idempotency-key']).toBe(encodeURIComponent('Zoë 😀-1'));
    expect(out.record.access).toEqual({ kind: 'allow' });
    expect(parsedLogs(out.logs).map((l) => l['status'])).toEqual([200]);
  });

  it('Latin-1 text is sent unchanged', async () => {
    const out = await run('José');
    expect(out.requests).toHaveLength(1);
    expect(out.requests[0]!.headers['x-name']).toBe('José');
    expect(out.record.access).toEqual({ kind: 'allow' });
  });
});
