/**
 * Shared lookups (#18 item 4): `uses: { name: <spec>.<lookup> }` reads another spec's lookup of
 * the same Action. The generated Action, loaded as Auth0 loads it, fetches it once per login (the
 * stub on 127.0.0.1 sees one request) and both specs read the result; a lookup its `when` skips
 * is null for both. The compiler resolves the reference (MAPC0417 with the nearest name), keeps
 * the name free (MAPC0317), keeps the spec's own lookups from reading it (they run meanwhile),
 * carries the owner request's trust (MAPC0601), and the MAPC0414 hint now says how to share.
 */
import { describe, expect, it } from 'vitest';
import { compileFiles, compileOrThrow, runCompiled, tempProject } from '../helpers/compiled';

const PROJECT = `version: 1
claims_namespace: https://acme.example/
systems:
  billing:
    base_url: https://billing.example
    auth: { bearer: BILLING_KEY }
    owner: team-billing
attributes:
  app_metadata.tier: { owner: team-billing, type: string }
`;

const OWNER = `version: 1
name: billing
owner: team-billing
trigger: post-login
lookups:
  subscription:
    system: billing
    method: GET
    path: /subscriptions/{{user.user_id}}
    when: "!user.app_metadata.fresh"
fields:
  - to: app_metadata.tier
    from: subscription.tier
`;

const READER = `version: 1
name: claims
owner: team-identity
trigger: post-login
uses:
  plan: billing.subscription
fields:
  - to: id_token.plan
    from: "if(exists(plan), plan.tier, 'none')"
access:
  - when: plan.status == 'blocked'
    deny: Your account is on hold.
`;

function files(reader = READER, owner = OWNER): Record<string, string> {
  return { 'mappings/mapc.yaml': PROJECT, 'mappings/billing.yaml': owner, 'mappings/claims.yaml': reader };
}

async function diagnostics(f: Record<string, string>) {
  const r = await compileFiles(f);
  return r.diagnostics.map((d) => [d.code, d.message, d.hint ?? null]);
}

describe('shared lookups', () => {
  it('are fetched once per login and read by both specs', async () => {
    const compiled = await compileOrThrow('mappings', tempProject(files()));
    const r = await runCompiled(compiled, 'mapc-post-login', {
      event: { user: { user_id: 'u1', app_metadata: {} } },
      secrets: { BILLING_KEY: 'k' },
      scripts: { billing: [{ method: 'GET', path: '/subscriptions/u1', body: { tier: 'gold', status: 'active' } }] },
    });
    expect(r.threw).toBeUndefined();
    expect(r.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['GET /subscriptions/u1']);
    expect(r.appMetadata['tier']).toBe('gold');
    expect(r.record.idTokenClaims).toEqual({ 'https://acme.example/plan': 'gold' });
    expect(r.record.access).toEqual({ kind: 'allow' });

    const blocked = await runCompiled(compiled, 'mapc-post-login', {
      event: { user: { user_id: 'u1', app_metadata: {} } },
      secrets: { BILLING_KEY: 'k' },
      scripts: { billing: [{ method: 'GET', path: '/subscriptions/u1', body: { tier: 'gold', status: 'blocked' } }] },
    });
    expect(blocked.requests).toHaveLength(1);
    expect(blocked.record.access).toMatchObject({ kind: 'deny', reason: 'Your account is on hold.' });
  });

  it('are null for every reader when their own spec skips them', async () => {
    const compiled = await compileOrThrow('mappings', tempProject(files()));
    const r = await runCompiled(compiled, 'mapc-post-login', { event: { user: { user_id: 'u1', app_metadata: { fresh: true } } }, secrets: { BILLING_KEY: 'k' } });
    expect(r.threw).toBeUndefined();
    expect(r.requests).toEqual([]);
    expect(r.record.idTokenClaims).toEqual({ 'https://acme.example/plan': 'none' });
  });

  it('name a lookup of another spec of the same Action, with the nearest name as a hint', async () => {
    const typoSpec = await diagnostics(files(READER.replace('billing.subscription', 'biling.subscription')));
    expect(typoSpec).toEqual([['MAPC0417', "there is no spec named 'biling'", "did you mean 'billing.subscription'?"]]);
    const typoLookup = await diagnostics(files(READER.replace('billing.subscription', 'billing.subscriptions')));
    expect(typoLookup).toEqual([['MAPC0417', "spec 'billing' has no lookup named 'subscriptions'", "did you mean 'billing.subscription'?"]]);
    const own = await diagnostics(files(READER, OWNER.replace('fields:', 'uses:\n  again: billing.subscription\nfields:')));
    expect(own).toEqual([['MAPC0417', "'billing.subscription' is this spec's own lookup", 'read it as subscription and remove it from uses:']]);
    const otherAction = await diagnostics(files(READER.replace('trigger: post-login', 'trigger: post-login\naction: claims-only')));
    expect(otherAction).toEqual([
      [
        'MAPC0417',
        "spec 'billing' runs in Action 'mapc-post-login', this spec in 'claims-only': a lookup is shared only within one Action (one run)",
        'declare the lookup in this spec, or put both specs in one Action (same trigger, same action:)',
      ],
    ]);
  });

  it('keep their name free, stay out of the spec’s own lookups, and carry the owner request’s trust', async () => {
    const clash = await diagnostics(
      files(READER.replace('uses:', 'lookups:\n  plan: { system: billing, method: GET, path: /plans }\nuses:')),
    );
    expect(clash).toContainEqual(['MAPC0317', "'plan' names both a lookup of this spec and a shared lookup (uses:)", 'give the shared lookup another name']);

    const inLookup = await diagnostics(files(READER.replace('uses:', 'lookups:\n  extra: { system: billing, method: GET, path: "/extra/{{plan.id}}" }\nuses:')));
    expect(inLookup.map(([c]) => c)).toEqual(['MAPC0304']);
    expect(String(inLookup[0]![1]) + String(inLookup[0]![2])).toContain("is fetched by its own spec while this spec's lookups run");

    // The owner fetches by a key the user edits: an access rule reading the shared result is refused.
    const tainted = await diagnostics(files(READER, OWNER.replace('/subscriptions/{{user.user_id}}', '/subscriptions/{{user.user_metadata.account}}')));
    const trust = tainted.find(([c]) => c === 'MAPC0601');
    expect(trust, JSON.stringify(tainted)).toBeDefined();
    expect(String(trust![1])).toContain("lookup 'billing.subscription' fetches by a key the user chooses (user.user_metadata.account");
  });

  it('are what the read-after-write hint suggests', async () => {
    const reader = READER.replace('uses:\n  plan: billing.subscription\n', '').replace("if(exists(plan), plan.tier, 'none')", 'user.app_metadata.tier').replace("plan.status == 'blocked'", 'user.app_metadata.tier == \'x\'');
    const warned = await diagnostics(files(reader));
    expect(warned).toContainEqual([
      'MAPC0414',
      "spec 'billing' writes 'app_metadata.tier' on post-login too; this spec sees the value from before this run",
      'read its source instead: add `uses: { subscription: billing.subscription }` and read subscription (fetched once for both specs), or move the logic into the writing spec',
    ]);
  });
});
