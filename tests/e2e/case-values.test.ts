/**
 * The `case:` form (#18 item 1) and lazy lookups, in generated Actions loaded as Auth0 loads
 * them, with systems answered by stubs on 127.0.0.1:
 * - `{ case: [{ when, then }, ...], else }` gives the first branch that holds, else `else`
 *   (null without one), in every value position (a field, a send's body and query, a store);
 *   only the branch taken is computed;
 * - a lookup read only inside branches (`if`, `case:`, the right side of `&&`/`||`) is asked
 *   only when a branch reading it is taken (the stub sees no request otherwise, and the Action
 *   logs `not needed`); a lookup read anywhere else, or under a condition that cannot be decided
 *   before the lookups run (the clock, `current`), is asked as before;
 * - a malformed `case:` is a located diagnostic, also in a body (free JSON, not schema-checked);
 * - list functions work inside `{{ }}` templates (a request path).
 */
import { describe, expect, it } from 'vitest';
import type { Compiled } from '../../compiler/pipeline';
import { compileFiles, compileOrThrow, runCompiled, tempProject } from '../helpers/compiled';

const PROJECT = `version: 1
claims_namespace: https://acme.example/
systems:
  billing:
    base_url: https://billing.example
    owner: team-a
  audit:
    base_url: https://audit.example
    owner: team-a
attributes:
  app_metadata.label: { owner: team-a, type: string }
  app_metadata.plan: { owner: team-a, type: string }
  app_metadata.audit_id: { owner: team-a, type: string }
`;

const spec = (body: string): string => `version: 1
name: choices
owner: team-a
trigger: post-login
${body}`;

async function build(body: string): Promise<Compiled> {
  const dir = tempProject({ 'mappings/mapc.yaml': PROJECT, 'mappings/choices.yaml': spec(body) });
  return compileOrThrow('mappings', dir);
}

async function codes(body: string): Promise<(string | number | null)[][]> {
  const r = await compileFiles({ 'mappings/mapc.yaml': PROJECT, 'mappings/choices.yaml': spec(body) });
  // MAPC0413 (a system no spec uses) is the test project's, not the case's.
  return r.diagnostics.filter((d) => d.code !== 'MAPC0413').map((d) => [d.code, d.span ? d.span.start : null, d.message]);
}

const PLAN_OK = [{ method: 'GET', path: '/plans/u1', body: { name: 'Gold' } }];

describe('case:', () => {
  const FIELDS = `fields:
  - to: app_metadata.label
    from:
      case:
        - when: user.app_metadata.vip == true
          then: "'vip'"
        - when: stats.logins_count > 10
          then: "'regular'"
        - when: stats.logins_count > 100
          then: hours_since('not a date')
      else: "'new'"
  - to: id_token.label
    from:
      case:
        - when: user.email_verified
          then: { value: verified }
`;

  it('gives the first branch that holds, else the else value, and computes only the branch taken', async () => {
    const compiled = await build(FIELDS);
    const vip = await runCompiled(compiled, 'mapc-post-login', { event: { user: { user_id: 'u1', email_verified: true, app_metadata: { vip: true } }, stats: { logins_count: 500 } } });
    expect(vip.threw).toBeUndefined();
    expect(vip.appMetadata['label']).toBe('vip');
    expect(vip.record.idTokenClaims).toEqual({ 'https://acme.example/label': 'verified' });

    // logins 500 holds for the second and the third branch: the second wins, the third (which
    // logs an unreadable date) is never computed.
    const regular = await runCompiled(compiled, 'mapc-post-login', { event: { user: { user_id: 'u1', email_verified: false, app_metadata: {} }, stats: { logins_count: 500 } } });
    expect(regular.appMetadata['label']).toBe('regular');
    expect(regular.logs.filter((l) => l.includes('hours_since'))).toEqual([]);
    // No branch holds and there is no else: null, so no claim.
    expect(regular.record.idTokenClaims).toEqual({});

    const fresh = await runCompiled(compiled, 'mapc-post-login', { event: { user: { user_id: 'u1', app_metadata: {} }, stats: { logins_count: 1 } } });
    expect(fresh.appMetadata['label']).toBe('new');
  });

  it('works in a send body, nested, and in its query', async () => {
    const compiled = await build(`sends:
  - system: audit
    method: POST
    path: /logins
    query:
      kind:
        case:
          - when: stats.logins_count == 1
            then: "'first'"
        else: "'again'"
    body:
      user: user.user_id
      seen:
        tier:
          case:
            - when: exists(user.app_metadata.tier)
              then: upper(user.app_metadata.tier)
          else: null
        list: [{ case: [{ when: user.email_verified, then: 1 }], else: 0 }]
`);
    const r = await runCompiled(compiled, 'mapc-post-login', {
      event: { user: { user_id: 'u1', email_verified: true, app_metadata: { tier: 'gold' } }, stats: { logins_count: 1 } },
      scripts: { audit: [{ method: 'POST', status: 204 }] },
    });
    expect(r.threw).toBeUndefined();
    expect(r.requests.map((q) => [q.path, q.body])).toEqual([['/logins?kind=first', { user: 'u1', seen: { tier: 'GOLD', list: [1] } }]]);
  });

  it('reports a wrong shape where it is, in a field (the schema) and in a body (free JSON)', async () => {
    const inField = await codes(`fields:
  - to: app_metadata.label
    from:
      case:
        - when: user.email_verified
          then: { template: "x" }
`);
    expect(inField.map((d) => d[0])).toEqual(['MAPC0203']);

    const inBody = await codes(`sends:
  - system: audit
    method: POST
    path: /logins
    body:
      a: { case: [{ when: user.email_verified }] }
      b: { case: [{ when: user.email_verified, then: "'x'", otherwise: "'y'" }] }
      c: { case: [] }
`);
    expect(inBody.map((d) => [d[0], d[2]])).toEqual([
      ['MAPC0202', "a case branch needs 'then'"],
      ['MAPC0201', "unknown key 'otherwise' in a case branch"],
      ['MAPC0203', "'case' must be a list of branches { when: <condition>, then: <value> }"],
    ]);
    expect(inBody.every((d) => typeof d[1] === 'number')).toBe(true);

    const notBoolean = await codes(`fields:
  - to: app_metadata.label
    from:
      case:
        - when: user.email
          then: "'x'"
`);
    expect(notBoolean.map((d) => [d[0], d[2]])).toEqual([['MAPC0307', "'when' of 'case' expects a boolean, got a string"]]);
  });
});

describe('lazy lookups', () => {
  const LOOKUP = `lookups:
  plan:
    system: billing
    method: GET
    path: /plans/{{user.user_id}}
`;

  it('a lookup read only in a branch is asked only when that branch is taken', async () => {
    const compiled = await build(`${LOOKUP}fields:
  - to: app_metadata.plan
    from:
      case:
        - when: exists(user.app_metadata.plan_override)
          then: user.app_metadata.plan_override
      else: lower(plan.name)
`);
    const skipped = await runCompiled(compiled, 'mapc-post-login', { event: { user: { user_id: 'u1', app_metadata: { plan_override: 'staff' } } }, scripts: { billing: PLAN_OK } });
    expect(skipped.threw).toBeUndefined();
    expect(skipped.appMetadata['plan']).toBe('staff');
    expect(skipped.requests).toEqual([]);
    expect(skipped.logs.some((l) => l.includes('"step":"lookup:plan"') && l.includes('not needed'))).toBe(true);

    const asked = await runCompiled(compiled, 'mapc-post-login', { event: { user: { user_id: 'u1', app_metadata: {} } }, scripts: { billing: PLAN_OK } });
    expect(asked.appMetadata['plan']).toBe('gold');
    expect(asked.requests.map((q) => q.path)).toEqual(['/plans/u1']);
  });

  it('the right side of && and || is a branch too; several reads join their conditions', async () => {
    const compiled = await build(`${LOOKUP}fields:
  - to: id_token.gold
    from: user.email_verified && plan.name == 'Gold'
  - to: id_token.known
    from: exists(user.app_metadata.plan_override) || exists(plan.name)
`);
    const run = (user: object) => runCompiled(compiled, 'mapc-post-login', { event: { user: { user_id: 'u1', app_metadata: {}, ...user } }, scripts: { billing: PLAN_OK } });
    // Not verified, but no override: the || side reads the plan.
    expect((await run({ email_verified: false })).requests).toHaveLength(1);
    // Verified: the && side reads it.
    expect((await run({ email_verified: true, app_metadata: { plan_override: 'x' } })).requests).toHaveLength(1);
    // Neither branch is taken: no request.
    const none = await run({ email_verified: false, app_metadata: { plan_override: 'x' } });
    expect(none.requests).toEqual([]);
    expect(none.record.idTokenClaims).toEqual({ 'https://acme.example/gold': false, 'https://acme.example/known': true });
  });

  it('a branch condition may read another lookup: the lazy one waits for it', async () => {
    const compiled = await build(`lookups:
  account:
    system: billing
    method: GET
    path: /accounts/{{user.user_id}}
  plan:
    system: billing
    method: GET
    path: /plans/{{user.user_id}}
fields:
  - to: app_metadata.plan
    from: "if(account.paying == true, lower(plan.name), 'free')"
`);
    const paying = await runCompiled(compiled, 'mapc-post-login', {
      event: { user: { user_id: 'u1' } },
      scripts: { billing: [{ method: 'GET', path: '/accounts/u1', body: { paying: true }, delayMs: 30 }, ...PLAN_OK] },
    });
    expect(paying.appMetadata['plan']).toBe('gold');
    expect(paying.requests.map((q) => q.path)).toEqual(['/accounts/u1', '/plans/u1']);

    const free = await runCompiled(compiled, 'mapc-post-login', {
      event: { user: { user_id: 'u1' } },
      scripts: { billing: [{ method: 'GET', path: '/accounts/u1', body: { paying: false } }, ...PLAN_OK] },
    });
    expect(free.appMetadata['plan']).toBe('free');
    expect(free.requests.map((q) => q.path)).toEqual(['/accounts/u1']);
  });

  it('stays eager when a read is outside any branch or the condition cannot be decided before the lookups', async () => {
    for (const from of [
      'lower(plan.name)', // no branch
      "if(exists(plan), lower(plan.name), 'none')", // the condition reads the lookup itself
      "if(hours_since(user.updated_at) > 1, lower(plan.name), 'recent')", // the clock
      "if(exists(current), current, lower(plan.name))", // the target's value before this run
    ]) {
      const compiled = await build(`${LOOKUP}fields:
  - to: app_metadata.plan
    from: "${from}"
`);
      const r = await runCompiled(compiled, 'mapc-post-login', { event: { user: { user_id: 'u1', updated_at: '2000-01-01T00:00:00Z', app_metadata: { plan: 'x' } } }, scripts: { billing: PLAN_OK } });
      expect(r.threw, from).toBeUndefined();
      expect(r.requests.map((q) => q.path), from).toEqual(['/plans/u1']);
    }
  });
});

describe('lists in {{ }} templates', () => {
  it('a request path built with map_each and pluck', async () => {
    const compiled = await build(`sends:
  - system: audit
    method: POST
    path: /by-provider/{{join (map_each user.identities (upper item.provider)) '+'}}/{{join (pluck user.identities 'connection') ','}}
`);
    const r = await runCompiled(compiled, 'mapc-post-login', {
      event: { user: { user_id: 'u1', identities: [{ provider: 'auth0', connection: 'db' }, { provider: 'google-oauth2', connection: 'google' }] } },
      scripts: { audit: [{ method: 'POST', status: 204 }] },
    });
    expect(r.threw).toBeUndefined();
    expect(r.requests.map((q) => q.path)).toEqual(['/by-provider/AUTH0%2BGOOGLE-OAUTH2/db%2Cgoogle']);
  });
});

describe('which lookups are lazy (the plan the compiler makes)', () => {
  const lookups = async (body: string, extra: Record<string, string> = {}) => {
    const r = await compileFiles({ 'mappings/mapc.yaml': PROJECT, 'mappings/choices.yaml': spec(body), ...extra });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const s = r.result!.program.actions[0]!.specs.find((x) => x.name === 'choices')!;
    return s.lookups.map((l) => ({ name: l.name, after: l.after, lazy: l.needed !== undefined }));
  };
  const TWO = `lookups:
  a:
    system: billing
    method: GET
    path: /a
  b:
    system: billing
    method: GET
    path: /b
`;

  it('two lookups whose conditions read each other: one waits, the other stays eager (no cycle)', async () => {
    const plan = await lookups(`${TWO}fields:
  - to: app_metadata.label
    from: "if(user.email_verified, if(b.ok == true, a.y), if(a.ok == true, b.y))"
`);
    // a is needed when b says so, and b when a says so: a (the first) stays eager, b waits for it.
    expect(plan).toEqual([
      { name: 'a', after: [], lazy: false },
      { name: 'b', after: ['a'], lazy: true },
    ]);
  });

  it('a condition reading another lookup adds the wait, and the order follows it', async () => {
    const plan = await lookups(`lookups:
  b:
    system: billing
    method: GET
    path: /b
  a:
    system: billing
    method: GET
    path: /a
fields:
  - to: app_metadata.label
    from: "if(a.ok == true, b.y)"
`);
    expect(plan).toEqual([
      { name: 'a', after: [], lazy: false },
      { name: 'b', after: ['a'], lazy: true },
    ]);
  });

  it('a lookup another spec reads with uses: stays eager', async () => {
    const plan = await lookups(`${TWO}fields:
  - to: app_metadata.label
    from: "if(user.email_verified, a.y)"
  - to: app_metadata.plan
    from: "if(user.email_verified, b.y)"
`, {
      'mappings/reader.yaml': `version: 1
name: reader
owner: team-a
trigger: post-login
uses:
  shared_a: choices.a
fields:
  - to: id_token.a
    from: shared_a.y
`,
    });
    expect(plan).toEqual([
      { name: 'a', after: [], lazy: false },
      { name: 'b', after: [], lazy: true },
    ]);
  });

  it('a condition over the outer list element (item) cannot be decided early', async () => {
    const plan = await lookups(`${TWO}fields:
  - to: app_metadata.label
    from: "join(map_each(user.identities, if(item.isSocial, a.y, 'x')), ',')"
  - to: app_metadata.plan
    from: "if(any(user.identities, item.isSocial), b.y)"
`);
    // a's condition reads the element of map_each; b's condition binds its own item.
    expect(plan).toEqual([
      { name: 'a', after: [], lazy: false },
      { name: 'b', after: [], lazy: true },
    ]);
  });
});
