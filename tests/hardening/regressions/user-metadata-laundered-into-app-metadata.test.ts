/**
 * Found by attacking trust (#13, item 1): the trust rules looked only at the text of each
 * expression. A pre-user-registration field `app_metadata.plan <- user.user_metadata.plan`
 * and a post-login access rule, an authorization-like claim or a routing `by:` reading
 * `user.app_metadata.plan` built clean — and a sign-up with `user_metadata: { plan: premium }`
 * was let into the premium app. Now an `app_metadata` target written from data the user can
 * choose is untrusted wherever it is read, on every trigger, through any number of writes and
 * lookups, and the diagnostic names the chain with the place of each write.
 */
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../compiler/diagnostics';
import { lineCol } from '../../../compiler/source';
import { diagnosticsOf, errorCodes } from '../support/project';

const signup = (to: string, from: string, when = '') => `version: 1
name: signup
owner: team-a
trigger: pre-user-registration
fields:
  - to: ${to}
    from: ${from}
${when ? `    when: ${when}\n` : ''}`;

const gate = `version: 1
name: gate
owner: team-a
trigger: post-login
access:
  - when: user.app_metadata.plan != 'premium' && client.name == 'Premium App'
    deny: Premium only.
`;

const where = (d: { readonly span?: Diagnostic['span'] }) => `${d.span!.file.path.split('/').pop()}:${lineCol(d.span!.file, d.span!.start).line}`;

describe('user-editable data laundered through app_metadata', () => {
  it('pre-user-registration writes plan from user_metadata; a post-login access rule on it is MAPC0601 naming the chain', async () => {
    const ds = await diagnosticsOf({ 'signup.yaml': signup('app_metadata.plan', 'user.user_metadata.plan'), 'gate.yaml': gate });
    expect(errorCodes(ds)).toEqual(['MAPC0601']);
    const d = ds.find((x) => x.code === 'MAPC0601')!;
    expect(where(d)).toBe('gate.yaml:6');
    expect(d.message).toContain('user.app_metadata.plan');
    expect(d.message).toMatch(/signup\.yaml:6 writes from user\.user_metadata\.plan, which the user can edit/);
    expect(d.related!.map(where)).toEqual(['signup.yaml:6']);
    expect(d.related![0]!.message).toContain('app_metadata.plan is written here from user.user_metadata.plan');
  });

  it('an authorization-like claim from the laundered target is MAPC0602', async () => {
    const claim = `version: 1
name: claims
owner: team-a
trigger: post-login
fields:
  - to: access_token.plan
    from: user.app_metadata.plan
`;
    const ds = await diagnosticsOf({ 'signup.yaml': signup('app_metadata.plan', 'user.user_metadata.plan'), 'claims.yaml': claim });
    expect(errorCodes(ds)).toEqual(['MAPC0602']);
    expect(ds.find((d) => d.code === 'MAPC0602')!.related!.map(where)).toEqual(['claims.yaml:6', 'signup.yaml:6']);
  });

  it('routing by a laundered region is MAPC0603', async () => {
    const extra = `  orders:
    base_url:
      by: user.app_metadata.region
      routes: { eu: https://eu.orders.example.com, us: https://us.orders.example.com }
    auth: none
`;
    const orders = `version: 1
name: orders
owner: team-a
trigger: post-login
lookups:
  o:
    system: orders
    method: GET
    path: /o/{{user.user_id}}
  s:
    system: sink
    method: GET
    path: /s
fields:
  - to: app_metadata.order_count
    from: o.count
  - to: app_metadata.s
    from: s.x
`;
    const ds = await diagnosticsOf({ 'signup.yaml': signup('app_metadata.region', 'user.user_metadata.region'), 'orders.yaml': orders }, extra);
    expect(errorCodes(ds)).toEqual(['MAPC0603']);
    expect(ds.find((d) => d.code === 'MAPC0603')!.message).toContain('user.app_metadata.region, which ');
  });

  it('the same inside one spec, and through a condition: a literal written when the user says so', async () => {
    const one = `version: 1
name: one
owner: team-a
trigger: post-login
fields:
  - to: app_metadata.plan
    from: "'premium'"
    when: user.user_metadata.wants_premium == true
access:
  - when: user.app_metadata.plan != 'premium'
    deny: Premium only.
`;
    const ds = await diagnosticsOf({ 'one.yaml': one });
    expect(errorCodes(ds)).toEqual(['MAPC0601']);
    expect(ds.find((d) => d.code === 'MAPC0601')!.message).toContain('user.user_metadata.wants_premium');
  });

  it('a chain of writes and a lookup by a laundered key is followed to the end', async () => {
    const a = signup('app_metadata.crm_key', 'user.user_metadata.crm_key');
    const b = `version: 1
name: copy
owner: team-a
trigger: post-login
fields:
  - to: app_metadata.account
    from: upper(user.app_metadata.crm_key)
`;
    const c = `version: 1
name: gate
owner: team-a
trigger: post-login
lookups:
  account:
    system: sink
    method: GET
    path: /accounts/{{user.app_metadata.account}}
access:
  - when: account.status != 'active'
    deny: Inactive account.
`;
    const ds = await diagnosticsOf({ 'a.yaml': a, 'b.yaml': b, 'c.yaml': c });
    const d = ds.find((x) => x.code === 'MAPC0601');
    expect(d, ds.map((x) => x.code).join()).toBeDefined();
    expect(d!.message).toContain("lookup 'account' fetches by a key the user chooses (user.app_metadata.account");
    expect(d!.message).toContain('user.user_metadata.crm_key, which the user can edit');
    expect(d!.related!.map(where)).toEqual(['c.yaml:9', 'b.yaml:6', 'a.yaml:6']);
  });

  it('app_metadata written from trusted data stays trusted', async () => {
    const trusted = `version: 1
name: billing
owner: team-a
trigger: post-login
lookups:
  sub:
    system: sink
    method: GET
    path: /subscriptions/{{user.user_id}}
fields:
  - to: app_metadata.plan
    from: sub.plan
`;
    const ds = await diagnosticsOf({ 'billing.yaml': trusted, 'gate.yaml': gate });
    expect(errorCodes(ds)).toEqual([]);
  });

  it('user_metadata written from trusted data is still user-editable', async () => {
    const um = `version: 1
name: um
owner: team-a
trigger: post-login
fields:
  - to: user_metadata.plan
    from: "'free'"
access:
  - when: user.user_metadata.plan == 'premium'
    deny: No.
`;
    expect(errorCodes(await diagnosticsOf({ 'um.yaml': um }))).toEqual(['MAPC0601']);
  });
});
