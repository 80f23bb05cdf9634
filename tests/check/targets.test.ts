import { describe, expect, it } from 'vitest';
import { checkProject } from '../../compiler/check';
import { CRM_PROJECT, check, codes, load, projectFile, spec, where, withAttributeKey, withFieldTarget } from './helpers';

describe('targetSyntax (MAPC0401, MAPC0402)', () => {
  const fourFields = spec('a', 'post-login', `
    fields:
      - to: app_metadata.a
        from: user.email
      - to: app_metadata.b
        from: user.email
      - to: app_metadata.c
        from: user.email
      - to: app_metadata.d
        from: user.email
  `);

  it('rejects a target outside the seven kinds, at the target (schema-refused too; checked again)', () => {
    const loaded = withFieldTarget(load({ 'a.yaml': fourFields }), 0, 1, 'profile.tier');
    const ds = checkProject(loaded);
    expect(codes(ds)).toEqual(['mappings/a.yaml:8:9 MAPC0401']);
    expect(ds[0]!.message).toBe("'profile.tier' is not a target: a target starts with app_metadata., user_metadata., id_token., access_token., scopes. or saml., or is user_id");
  });

  it('rejects bad keys, nested claims and empty segments', () => {
    let loaded = load({ 'a.yaml': fourFields });
    loaded = withFieldTarget(loaded, 0, 0, 'app_metadata.my tier');
    loaded = withFieldTarget(loaded, 0, 1, 'id_token.a.b');
    loaded = withFieldTarget(loaded, 0, 2, 'app_metadata..x');
    loaded = withFieldTarget(loaded, 0, 3, 'user_metadata.constructor');
    expect(codes(checkProject(loaded))).toEqual([
      'mappings/a.yaml:6:9 MAPC0401',
      'mappings/a.yaml:8:9 MAPC0401',
      'mappings/a.yaml:10:9 MAPC0401',
      'mappings/a.yaml:12:9 MAPC0402',
    ]);
  });

  it('rejects __proto__ anywhere in a store target', () => {
    const ds = check({
      'mapc.yaml': CRM_PROJECT,
      'a.yaml': spec('a', 'post-login', `
        sends:
          - system: crm
            method: POST
            path: /contacts
            store:
              app_metadata.x.__proto__: response.id
      `),
    });
    expect(codes(ds)).toEqual(['mappings/a.yaml:10:7 MAPC0402']);
  });

  it('accepts the four kinds of target', () => {
    const ds = check({
      'a.yaml': spec('a', 'post-login', `
        fields:
          - to: app_metadata.crm.contact_id
            from: user.email
          - to: user_metadata.locale
            from: user.email
          - to: id_token.tier
            from: user.app_metadata.tier
          - to: access_token.tier_2
            from: user.app_metadata.tier
      `),
    });
    expect(codes(ds)).toEqual([]);
  });
});

describe('triggerTargets (MAPC0403, MAPC0505)', () => {
  it("flags the seed guide's CRM store on post-user-registration", () => {
    const ds = check({
      'mapc.yaml': CRM_PROJECT,
      'crm.yaml': spec('crm-sync', 'post-user-registration', `
        sends:
          - system: crm
            method: POST
            path: /contacts
            store:
              app_metadata.crm_contact_id: response.id
      `),
    });
    expect(codes(ds)).toEqual(['mappings/crm.yaml:10:7 MAPC0403']);
    expect(ds[0]!.hint).toBe('move this write to a post-login spec (post-user-registration cannot set metadata)');
    expect(ds[0]!.related!.map(where)).toEqual(['mappings/crm.yaml:4:10']);
  });

  it('flags an id_token claim on credentials-exchange but not its access_token claim', () => {
    const ds = check({
      'm2m.yaml': spec('m2m', 'credentials-exchange', `
        fields:
          - to: id_token.tier
            from: client.metadata.tier
          - to: access_token.tier
            from: client.metadata.tier
      `),
    });
    expect(codes(ds)).toEqual(['mappings/m2m.yaml:6:9 MAPC0505']);
  });

  it('allows metadata on pre-user-registration and both claims on post-login', () => {
    const ds = check({
      'pre.yaml': spec('pre', 'pre-user-registration', `
        fields:
          - to: app_metadata.signup_source
            from: "'web'"
      `),
      'login.yaml': spec('login', 'post-login', `
        fields:
          - to: id_token.tier
            from: user.app_metadata.tier
          - to: access_token.tier
            from: user.app_metadata.tier
      `),
    });
    expect(codes(ds)).toEqual([]);
  });
});

describe('uniqueWriter (MAPC0404, MAPC0405)', () => {
  it('flags the second spec writing a target, related to the first writer', () => {
    const ds = check({
      'a.yaml': spec('a', 'post-login', `
        fields:
          - to: app_metadata.tier
            from: user.email
      `),
      'b.yaml': spec('b', 'pre-user-registration', `
        fields:
          - to: app_metadata.tier
            from: user.email
      `, 'team-billing'),
    });
    expect(codes(ds)).toEqual(['mappings/b.yaml:6:9 MAPC0404']);
    expect(ds[0]!.message).toBe("'app_metadata.tier' is already written by spec 'a' (owner team-crm, on post-login): a target has one owner, and this write's is team-billing");
    expect(ds[0]!.hint).toBe("agree on one owner for 'app_metadata.tier' and remove one of the two writes (one owner may write it from several triggers)");
    expect(ds[0]!.related!.map(where)).toEqual(['mappings/a.yaml:6:9']);
  });

  it('lets one owner write a target from several triggers (consent at sign-up, updated at login)', () => {
    const ds = check({
      'signup.yaml': spec('signup', 'pre-user-registration', `
        fields:
          - to: user_metadata.consent
            from: request.body.consent
      `),
      'login.yaml': spec('login', 'post-login', `
        fields:
          - to: user_metadata.consent
            from: coalesce(user.user_metadata.consent, false)
      `),
    });
    expect(codes(ds).filter((c) => c.includes('MAPC040'))).toEqual([]);
  });

  it('refuses a second writer on the same trigger even for the same owner, and a second owner on any trigger', () => {
    const ds = check({
      'a.yaml': spec('a', 'post-login', `
        fields:
          - to: app_metadata.tier
            from: user.email
      `),
      'b.yaml': spec('b', 'post-login', `
        fields:
          - to: app_metadata.tier
            from: user.name
      `),
      'c.yaml': spec('c', 'pre-user-registration', `
        fields:
          - to: app_metadata.tier
            from: user.email
      `),
      'd.yaml': spec('d', 'pre-user-registration', `
        fields:
          - to: app_metadata.tier
            from: user.email
      `, 'team-billing'),
    });
    expect(codes(ds).filter((c) => c.includes('MAPC040'))).toEqual(['mappings/b.yaml:6:9 MAPC0404', 'mappings/d.yaml:6:9 MAPC0404']);
    const [b, d] = ds.filter((x) => x.code === 'MAPC0404');
    expect(b!.message).toBe("'app_metadata.tier' is already written by spec 'a' (owner team-crm): two writes on one trigger overwrite each other in no set order");
    expect(b!.hint).toBe("write 'app_metadata.tier' from one spec of this trigger (combine the values with coalesce() or if())");
    // c (team-crm, another trigger) is accepted; d is a second owner: reported against the same-trigger writer c.
    expect(d!.related!.map(where)).toEqual(['mappings/c.yaml:6:9']);
    expect(d!.message).toContain('a target has one owner');
  });

  it('flags a target written twice in one spec (field and store)', () => {
    const ds = check({
      'mapc.yaml': CRM_PROJECT,
      'a.yaml': spec('a', 'post-login', `
        fields:
          - to: app_metadata.crm_id
            from: user.email
        sends:
          - system: crm
            method: POST
            path: /contacts
            store:
              app_metadata.crm_id: response.id
      `),
    });
    expect(codes(ds)).toEqual(['mappings/a.yaml:13:7 MAPC0404']);
    expect(ds[0]!.related!.map(where)).toEqual(['mappings/a.yaml:6:9']);
  });

  it('flags a nested target under a written parent', () => {
    const ds = check({
      'a.yaml': spec('a', 'post-login', `
        fields:
          - to: app_metadata.address
            from: user.email
          - to: app_metadata.address.city
            from: user.email
      `),
    });
    expect(codes(ds)).toEqual(['mappings/a.yaml:8:9 MAPC0405']);
  });

  it('allows siblings, the same key in app_ and user_metadata, and a claim of the same name', () => {
    const ds = check({
      'a.yaml': spec('a', 'post-login', `
        fields:
          - to: app_metadata.address.city
            from: user.email
          - to: app_metadata.address.zip
            from: user.email
          - to: user_metadata.address
            from: user.email
          - to: id_token.address
            from: user.app_metadata.address
      `),
    });
    expect(codes(ds, 'MAPC040')).toEqual([]);
  });
});

describe('attributeRegistry (MAPC0401, 0406, 0407, 0415)', () => {
  const registry = projectFile(`
    attributes:
      app_metadata.subscription_tier: { owner: team-billing, type: string, enum: [standard, premium] }
      app_metadata.crm_contact_id: { owner: team-crm, type: string }
      app_metadata.profile: { owner: team-identity, type: object }
  `);

  it('flags a write by another owner, at the entry owner, related to the registered owner', () => {
    const ds = check({
      'mapc.yaml': registry,
      'a.yaml': spec('a', 'post-login', `
        fields:
          - to: app_metadata.crm_contact_id
            from: user.email
          - to: app_metadata.subscription_tier
            from: user.app_metadata.plan
            owner: team-marketing
      `),
    });
    expect(codes(ds)).toEqual(['mappings/a.yaml:10:12 MAPC0406']);
    expect(ds[0]!.message).toBe("'app_metadata.subscription_tier' belongs to team-billing, but this write is owned by team-marketing");
    expect(ds[0]!.related!.map(where)).toEqual(['mappings/mapc.yaml:3:44']);
  });

  it('flags a nested write inside a registered object by another owner, at the target', () => {
    const ds = check({
      'mapc.yaml': registry,
      'a.yaml': spec('a', 'post-login', `
        fields:
          - to: app_metadata.profile.city
            from: user.email
      `),
    });
    expect(codes(ds)).toEqual(['mappings/a.yaml:6:9 MAPC0406']);
  });

  it('flags a default outside the enum and a literal of the wrong type', () => {
    const ds = check({
      'mapc.yaml': registry,
      'a.yaml': spec('a', 'post-login', `
        fields:
          - to: app_metadata.subscription_tier
            from: user.app_metadata.plan
            default: gold
            owner: team-billing
          - to: app_metadata.crm_contact_id
            from: { value: 42 }
      `),
    });
    expect(codes(ds)).toEqual(['mappings/a.yaml:8:14 MAPC0407', 'mappings/a.yaml:11:11 MAPC0407']);
    expect(ds[0]!.message).toBe("the default 'gold' is not one of the allowed values of 'app_metadata.subscription_tier': 'standard', 'premium'");
    expect(ds[1]!.message).toBe("the value 42 is not a string, but 'app_metadata.crm_contact_id' is registered as a string");
  });

  it('flags invalid registry keys (schema-refused too; checked again), skips token claims (the schema reports them), and enums of the wrong type', () => {
    let loaded = load({
      'mapc.yaml': projectFile(`
        attributes:
          app_metadata.a: { owner: team-billing, type: string }
          app_metadata.b: { owner: team-billing, type: string }
          app_metadata.level: { owner: team-billing, type: number, enum: [1, high] }
      `),
    });
    loaded = withAttributeKey(loaded, 0, 'id_token.tier');
    loaded = withAttributeKey(loaded, 1, 'tier');
    const ds = checkProject(loaded);
    expect(codes(ds)).toEqual(['mappings/mapc.yaml:4:3 MAPC0401', 'mappings/mapc.yaml:5:66 MAPC0415']);
    expect(ds[1]!.message).toBe("the allowed values of 'app_metadata.level' include 'high', which is not of type number");
  });

  it('accepts writes by the registered owner with valid literals, and unregistered targets', () => {
    const ds = check({
      'mapc.yaml': registry,
      'a.yaml': spec('a', 'post-login', `
        fields:
          - to: app_metadata.subscription_tier
            from: { value: premium }
            owner: team-billing
          - to: app_metadata.crm_contact_id
            from: user.email
            default: none
          - to: app_metadata.unregistered
            from: { value: 1 }
      `),
    });
    expect(codes(ds)).toEqual([]);
  });
});

describe('readAfterWrite (MAPC0414)', () => {
  it('warns when a spec reads a target another spec of the same trigger writes', () => {
    const ds = check({
      'a.yaml': spec('a', 'post-login', `
        fields:
          - to: app_metadata.tier
            from: connection.name
      `),
      'b.yaml': spec('b', 'post-login', `
        fields:
          - to: id_token.tier
            from: lower(user.app_metadata.tier)
      `),
    });
    expect(codes(ds)).toEqual(['mappings/b.yaml:7:17 MAPC0414']);
    expect(ds[0]!.severity).toBe('warning');
    expect(ds[0]!.related!.map(where)).toEqual(['mappings/a.yaml:6:9']);
  });

  it('is silent for reads of its own writes and for writers on another trigger', () => {
    const ds = check({
      'a.yaml': spec('a', 'pre-user-registration', `
        fields:
          - to: app_metadata.tier
            from: connection.name
      `),
      'b.yaml': spec('b', 'post-login', `
        fields:
          - to: app_metadata.tier_copy
            from: user.app_metadata.tier
          - to: id_token.tier_copy
            from: user.app_metadata.tier_copy
      `),
    });
    expect(codes(ds)).toEqual([]);
  });
});
