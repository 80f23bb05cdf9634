/**
 * Found by the event fuzz: a lone surrogate in a value interpolated into a request path
 * (`/users/{{user.user_id}}`) made `encodeURIComponent` throw URIError inside the path
 * closure: the spec failed with an "unexpected exception" instead of its request policy.
 * Now such a value makes the path null, like an empty value: the request is not made
 * (`no_path`) and the lookup's `on_error` decides.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Compiled } from '../../../compiler/pipeline';
import { urlPath } from '../../../runtime/expr';
import { runCompiled } from '../../helpers/compiled';
import { buildSpec, parsedLogs, SINK_SECRETS } from '../support/project';

const spec = (onError: string) => `version: 1
name: surrogate
owner: team-a
trigger: post-login
lookups:
  profile:
    system: sink
    method: GET
    path: /users/{{user.user_id}}
    on_error: ${onError}
    deny_message: Profile service unavailable.
fields:
  - to: app_metadata.seen
    from: profile.id
`;

describe('a lone surrogate in a path value', () => {
  it('makes urlPath null instead of throwing', () => {
    expect(urlPath(['/u/', 'a\uD800b'])).toBeNull();
    expect(urlPath(['/u/', '\uDC00'])).toBeNull();
    expect(urlPath(['/u/', '😀'])).toBe('/u/%F0%9F%98%80');
  });

  let cont: Compiled;
  let deny: Compiled;
  beforeAll(async () => {
    [cont, deny] = await Promise.all([buildSpec(spec('continue')), buildSpec(spec('deny'))]);
  });
  const event = { user: { user_id: 'auth0|\uD800' } };

  it('skips the lookup under on_error: continue, with no exception', async () => {
    const out = await runCompiled(cont, 'mapc-post-login', { secrets: SINK_SECRETS, event });
    expect(out.threw).toBeUndefined();
    expect(out.requests).toEqual([]);
    expect(parsedLogs(out.logs)).toEqual([{ mapc: 1, spec: 'surrogate', step: 'lookup:profile', system: 'sink', status: 'no_path', ms: 0 }]);
    expect(out.record.access).toEqual({ kind: 'allow' });
  });

  it('denies with the lookup deny_message under on_error: deny', async () => {
    const out = await runCompiled(deny, 'mapc-post-login', { secrets: SINK_SECRETS, event });
    expect(out.threw).toBeUndefined();
    expect(out.record.access).toEqual({ kind: 'deny', reason: 'Profile service unavailable.' });
    expect(parsedLogs(out.logs).map((l) => l['status'])).toEqual(['no_path', 'deny']);
  });
});
