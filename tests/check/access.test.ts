import { describe, expect, it } from 'vitest';
import { CRM_PROJECT, check, codes, projectFile, spec, where } from './helpers';

describe('accessTrust (MAPC0601)', () => {
  it('rejects an access rule deciding on user_metadata or the request body, at each read', () => {
    const ds = check({
      'a.yaml': spec('a', 'post-login', `
        access:
          - when: user.user_metadata.tier != 'premium' || request.body.skip == 'no'
            deny: Premium only.
      `),
    });
    expect(codes(ds)).toEqual(['mappings/a.yaml:6:11 MAPC0601', 'mappings/a.yaml:6:51 MAPC0601']);
    expect(ds[0]!.message).toBe(
      'this access rule decides on user.user_metadata.tier, which the user can edit: anyone could change their own access',
    );
  });

  it('accepts rules on app_metadata and client metadata', () => {
    const ds = check({
      'a.yaml': spec('a', 'post-login', `
        access:
          - when: user.app_metadata.tier != client.metadata.required_tier
            deny: Your subscription tier does not permit access to this application.
      `),
    });
    expect(codes(ds)).toEqual([]);
  });
});

describe('routedSystemTrust (MAPC0603)', () => {
  const routed = (by: string): string =>
    projectFile(`
      systems:
        orders:
          base_url:
            by: ${by}
            routes: { eu: https://eu.orders.example.com, us: https://us.orders.example.com }
            default: https://us.orders.example.com
          auth: { bearer: ORDERS_API_KEY }
    `);
  const user = spec('a', 'post-login', `
    lookups:
      orders:
        system: orders
        method: GET
        path: /orders
  `);

  it('rejects routing by the request query', () => {
    const ds = check({ 'mapc.yaml': routed('request.query.region'), 'a.yaml': user });
    expect(codes(ds)).toEqual(['mappings/mapc.yaml:5:11 MAPC0603']);
  });

  it('accepts routing by app_metadata', () => {
    expect(codes(check({ 'mapc.yaml': routed('user.app_metadata.region'), 'a.yaml': user }))).toEqual([]);
  });
});

describe('triggerAccess (MAPC0604, 0605, 0606, 0607)', () => {
  it('rejects explicit deny on post-user-registration: spec, lookup, send and access rule', () => {
    const ds = check({
      'mapc.yaml': CRM_PROJECT,
      'a.yaml': spec('a', 'post-user-registration', `
        on_error: deny
        lookups:
          contact:
            system: crm
            method: GET
            path: /contacts
            on_error: deny
        sends:
          - system: crm
            method: POST
            path: /contacts
            on_error: deny
        access:
          - when: "true"
            deny: No.
      `),
    });
    expect(codes(ds)).toEqual([
      'mappings/a.yaml:5:11 MAPC0604',
      'mappings/a.yaml:11:15 MAPC0604',
      'mappings/a.yaml:16:15 MAPC0604',
      'mappings/a.yaml:19:11 MAPC0604',
    ]);
    expect(ds[0]!.hint).toBe(
      'the user already exists when post-user-registration runs: block signups in a pre-user-registration spec, or use on_error: continue',
    );
    // An access rule is no on_error: its hint is to remove it.
    expect(ds[3]!.hint).toBe(
      'remove this rule: post-user-registration runs after the user is created and cannot block; to refuse signups, deny in a pre-user-registration spec',
    );
    expect(ds[0]!.related!.map(where)).toEqual(['mappings/a.yaml:4:10']);
  });

  it('warns once per spec when a project default deny is inherited on a trigger that cannot deny', () => {
    const ds = check({
      'mapc.yaml': projectFile(`
        defaults:
          on_error: deny
      `),
      'a.yaml': spec('a', 'post-change-password', `
        fields: []
      `),
      'b.yaml': spec('b', 'post-change-password', `
        on_error: continue
      `),
    });
    expect(codes(ds)).toEqual(['mappings/a.yaml:4:10 MAPC0605']);
    expect(ds[0]!.severity).toBe('warning');
    expect(ds[0]!.related!.map(where)).toEqual(['mappings/mapc.yaml:3:13']);
  });

  it('rejects redirect and mfa outside post-login', () => {
    const ds = check({
      'a.yaml': spec('a', 'pre-user-registration', `
        access:
          - when: "true"
            redirect: { url: https://acme.example/verify }
          - when: "true"
            mfa: any
      `),
    });
    expect(codes(ds)).toEqual(['mappings/a.yaml:7:22 MAPC0606', 'mappings/a.yaml:9:10 MAPC0607']);
    expect(ds[0]!.hint).toBe('move this rule to a post-login spec, or use deny: <message> instead (pre-user-registration can deny)');
  });

  it('tells to remove a deny access rule on post-change-password, and to continue on on_error: deny', () => {
    const ds = check({
      'a.yaml': spec('a', 'post-change-password', `
        on_error: deny
        access:
          - when: "true"
            deny: No.
      `),
    });
    expect(ds.map((d) => `${d.code} ${d.hint}`)).toEqual([
      'MAPC0604 the password has already changed when post-change-password runs: use on_error: continue',
      'MAPC0604 remove this rule: post-change-password runs after the password changed and cannot block',
    ]);
  });

  it('accepts deny, redirect and mfa on post-login, and deny on pre-user-registration', () => {
    const ds = check({
      'a.yaml': spec('a', 'post-login', `
        on_error: deny
        access:
          - when: "true"
            deny: No.
          - when: "true"
            redirect: { url: https://acme.example/verify, otherwise: continue }
          - when: "true"
            mfa: any
      `),
      'b.yaml': spec('b', 'pre-user-registration', `
        access:
          - when: "true"
            deny: No.
      `),
    });
    expect(codes(ds)).toEqual([]);
  });
});

describe('redirectUrl (MAPC0608)', () => {
  it('rejects relative and http redirect URLs', () => {
    const ds = check({
      'a.yaml': spec('a', 'post-login', `
        access:
          - when: "true"
            redirect: { url: /upgrade, otherwise: continue }
          - when: "true"
            redirect: { url: "http://acme.example/upgrade", otherwise: continue }
      `),
    });
    expect(codes(ds)).toEqual(['mappings/a.yaml:7:22 MAPC0608', 'mappings/a.yaml:9:22 MAPC0608']);
    expect(ds.map((d) => d.message)).toEqual([
      "the redirect URL '/upgrade' is not an absolute URL",
      "the redirect URL 'http://acme.example/upgrade' does not use https",
    ]);
  });
});

describe('denyMessages (MAPC0609, 0610)', () => {
  it('warns on deny_message without deny, and on deny without deny_message', () => {
    const ds = check({
      'mapc.yaml': CRM_PROJECT,
      'a.yaml': spec('a', 'post-login', `
        lookups:
          contact:
            system: crm
            method: GET
            path: /contacts
            deny_message: The CRM is down.
          contact2:
            system: crm
            method: GET
            path: /contacts
            on_error: deny
      `),
    });
    expect(codes(ds)).toEqual(['mappings/a.yaml:10:19 MAPC0609', 'mappings/a.yaml:15:15 MAPC0610']);
    expect(ds.every((d) => d.severity === 'warning')).toBe(true);
  });

  it('accepts a message with deny, including deny inherited from the spec', () => {
    const ds = check({
      'mapc.yaml': CRM_PROJECT,
      'a.yaml': spec('a', 'post-login', `
        on_error: deny
        lookups:
          contact:
            system: crm
            method: GET
            path: /contacts
            deny_message: The CRM is down.
      `),
    });
    expect(codes(ds)).toEqual([]);
  });
});
