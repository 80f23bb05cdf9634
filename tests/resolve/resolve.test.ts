/**
 * The resolve phase binds each fact once: Actions with their specs, deadline, systems and
 * secrets; parsed targets with the claim's full name; lookup order; expression types; trust.
 */
import { describe, expect, it } from 'vitest';
import { resolve } from '../../compiler/resolve';
import { load, projectFile, spec } from '../check/helpers';

const loaded = () =>
  load({
    'mapc.yaml': projectFile(`
      claims_namespace: https://acme.example/
      defaults: { deadline: 6s }
      systems:
        crm:
          base_url: https://crm.example.com
          auth: { bearer: CRM_KEY }
    `),
    'a.yaml': spec('a', 'post-login', `
      deadline: 4s
      action: crm-sync
      lookups:
        second: { system: crm, method: GET, path: "/b/{{first.id}}" }
        first: { system: crm, method: GET, path: /a }
      fields:
        - to: id_token.tier
          from: lower(second.tier)
        - to: app_metadata.x.y
          from: user.user_metadata.plan
        - to: app_metadata.__proto__
          from: user.email
    `),
    'b.yaml': spec('b', 'post-login', 'fields: []'),
  });

describe('resolve', () => {
  it('groups specs into Actions with their deadline, systems and secrets', () => {
    const r = resolve(loaded());
    expect(r.actions.map((a) => [a.name, a.specs.map((s) => s.spec.name.value), a.deadline.value, a.systems.map((s) => s.name.value), a.secrets])).toEqual([
      ['crm-sync', ['a'], 4000, ['crm'], ['CRM_KEY']],
      ['mapc-post-login', ['b'], 6000, [], []],
    ]);
    expect(r.of(r.loaded.specs[0]!).action).toBe('crm-sync');
  });

  it('parses every target once, with the claim under its namespace, and says why one is not a target', () => {
    const r = resolve(loaded());
    expect(r.writes.map((w) => [w.text.value, w.resolved, w.problem?.problem ?? null])).toEqual([
      ['id_token.tier', { kind: 'id_token', claim: 'https://acme.example/tier' }, null],
      ['app_metadata.x.y', { kind: 'app_metadata', path: ['x', 'y'] }, null],
      ['app_metadata.__proto__', null, 'reserved'],
    ]);
  });

  it('orders lookups after those they read', () => {
    const a = resolve(loaded()).specs[0]!;
    expect(a.lookupOrder).toEqual(['first', 'second']);
    expect(a.lookupDeps.get('second')).toEqual(['first']);
    expect(a.lookupCycles).toEqual([]);
  });

  it('records each expression’s type and the trust of the value it carries', () => {
    const r = resolve(loaded());
    const [tier, plan] = r.loaded.specs[0]!.fields;
    const e = (v: typeof tier) => (v!.from.kind === 'expr' ? v!.from.expr : undefined)!;
    expect(r.types.get(e(tier))).toEqual({ kind: 'string' });
    expect(r.untrusted(e(tier), { trigger: 'post-login' })).toEqual([]);
    expect(r.untrusted(e(plan), { trigger: 'post-login' }).map((p) => [p.root, ...p.keys])).toEqual([['user', 'user_metadata', 'plan']]);
    // credentials-exchange has no user: nothing there is the user's to edit.
    expect(r.untrusted(e(plan), { trigger: 'credentials-exchange' })).toEqual([]);
  });
});
