import { describe, expect, it } from 'vitest';
import { checkProject } from '../../compiler/check';
import { check, codes, load, projectFile, spec, where } from './helpers';

describe('secrets (MAPC0701, 0702)', () => {
  it('rejects over-long secret names (the schema refuses invalid ones first)', () => {
    const loaded = load({
      'mapc.yaml': projectFile(`
        systems:
          crm:
            base_url: https://crm.example.com
            auth: { header: X-Api-Key, secret: CRM_API_KEY }
          billing:
            base_url: https://billing.example.com
            auth: { bearer: ${'K'.repeat(129)} }
      `),
      'a.yaml': spec('a', 'post-login', `
        lookups:
          c:
            system: crm
            method: GET
            path: /c
          b:
            system: billing
            method: GET
            path: /b
      `),
    });
    const [crm, billing] = loaded.project.systems;
    const auth = crm!.auth as Extract<typeof crm.auth, { kind: 'header' }>;
    const broken = { ...crm!, auth: { ...auth, secret: { ...auth.secret, value: 'crm-api-key' } } };
    const ds = checkProject({ ...loaded, project: { ...loaded.project, systems: [broken, billing!] } });
    expect(codes(ds)).toEqual(['mappings/mapc.yaml:8:21 MAPC0701']);
    expect(ds[0]!.message).toBe("the secret name of system 'billing' is 129 characters long; Auth0 allows 128");
  });

  const manySystems = (n: number): string =>
    projectFile(
      'systems:\n' +
        Array.from({ length: n }, (_, i) => `  s${i}:\n    base_url: https://s${i}.example.com\n    auth: { bearer: KEY_${i} }\n`).join(''),
    );
  const usingAll = (n: number, name: string, extra = ''): string =>
    spec(name, 'post-login', extra + 'lookups:\n' + Array.from({ length: n }, (_, i) => `  l${i}:\n    system: s${i}\n    method: GET\n    path: /x\n`).join(''));

  it('rejects an Action needing more than 30 secrets, listing them', () => {
    const ds = check({ 'mapc.yaml': manySystems(31), 'a.yaml': usingAll(31, 'a') });
    expect(codes(ds)).toEqual(['mappings/a.yaml:4:10 MAPC0702']);
    expect(ds[0]!.message).toMatch(/^the Action mapc-post-login needs 31 secrets, more than the 30 Auth0 allows: KEY_0, KEY_1, KEY_10, /);
  });

  it('counts per Action: 30 in one Action is fine', () => {
    expect(codes(check({ 'mapc.yaml': manySystems(30), 'a.yaml': usingAll(30, 'a') }))).toEqual([]);
  });
});

describe('deadline (MAPC0703, 0704)', () => {
  it("rejects a deadline at Auth0's 20 s flow limit", () => {
    const ds = check({ 'mapc.yaml': projectFile(`
      defaults:
        deadline: 20s
    `) });
    expect(codes(ds)).toEqual(['mappings/mapc.yaml:3:13 MAPC0703']);
  });

  it('warns about timeouts longer than the deadline, related to the deadline', () => {
    const ds = check({
      'mapc.yaml': projectFile(`
        defaults:
          deadline: 5s
        systems:
          crm:
            base_url: https://crm.example.com
            auth: none
            timeout: 6s
      `),
      'a.yaml': spec('a', 'post-login', `
        lookups:
          c:
            system: crm
            method: GET
            path: /c
            timeout: 7500ms
      `),
    });
    expect(codes(ds)).toEqual(['mappings/mapc.yaml:8:14 MAPC0704', 'mappings/a.yaml:10:14 MAPC0704']);
    expect(ds[1]!.message).toBe("the timeout of lookup 'c' (7500ms) is longer than the deadline (5s), so the call is cut off at the deadline");
    expect(ds[0]!.related!.map(where)).toEqual(['mappings/mapc.yaml:3:13']);
  });

  it('accepts the defaults and timeouts within the deadline', () => {
    expect(codes(check({ 'mapc.yaml': projectFile(`
      defaults:
        timeout: 2s
        deadline: 19s
    `) }))).toEqual([]);
  });
});

describe('actionsPerTrigger (MAPC0706)', () => {
  const ownAction = (i: number): string => spec(`s${i}`, 'post-login', `action: own-${i}`);

  it('rejects a 21st Action on a trigger, counting external Actions', () => {
    const files: Record<string, string> = {
      'mapc.yaml': projectFile(`
        claims_namespace: https://acme.example/
        external_actions:
          - { name: legacy-rules, trigger: post-login, position: before }
        defaults: { deadline: 900ms, timeout: 500ms }
      `),
    };
    for (let i = 0; i < 20; i++) files[`s${String(i).padStart(2, '0')}.yaml`] = ownAction(i);
    const ds = check(files);
    expect(codes(ds)).toEqual(['mappings/s19.yaml:5:9 MAPC0706']);
    expect(ds[0]!.message).toBe('post-login would have 21 Actions (20 built by mapc, 1 external); Auth0 allows 20');
  });

  it('accepts 20, and specs sharing mapc-<trigger> count once', () => {
    // 20 Actions of 900ms each stay within Auth0's 20 s for the trigger (MAPC0710).
    const files: Record<string, string> = { 'mapc.yaml': projectFile('defaults: { deadline: 900ms, timeout: 500ms }') };
    for (let i = 0; i < 19; i++) files[`s${String(i).padStart(2, '0')}.yaml`] = ownAction(i);
    files['t1.yaml'] = spec('t1', 'post-login', 'fields: []');
    files['t2.yaml'] = spec('t2', 'post-login', 'fields: []');
    expect(codes(check(files))).toEqual([]);
  });
});

describe('uniqueSpecNames (MAPC0707)', () => {
  it('rejects a second spec with the same name, related to the first', () => {
    const ds = check({
      'a.yaml': spec('crm-sync', 'post-login', 'fields: []'),
      'b.yaml': spec('crm-sync', 'pre-user-registration', 'fields: []'),
    });
    expect(codes(ds)).toEqual(['mappings/b.yaml:2:7 MAPC0707']);
    expect(ds[0]!.related!.map(where)).toEqual(['mappings/a.yaml:2:7']);
  });

  it('accepts distinct names', () => {
    expect(codes(check({ 'a.yaml': spec('a', 'post-login', 'fields: []'), 'b.yaml': spec('b', 'post-login', 'fields: []') }))).toEqual([]);
  });
});

describe('actionNames (MAPC0708, 0709)', () => {
  it("rejects mapc-<other trigger>, a name on two triggers, and an external Action's name", () => {
    const ds = check({
      'mapc.yaml': projectFile(`
        external_actions:
          - { name: legacy-rules, trigger: post-login, position: before }
        defaults: { deadline: 5s }
      `),
      'a.yaml': spec('a', 'post-login', 'action: mapc-pre-user-registration'),
      'b.yaml': spec('b', 'post-login', 'action: shared'),
      'c.yaml': spec('c', 'pre-user-registration', 'action: shared'),
      'd.yaml': spec('d', 'post-login', 'action: legacy-rules'),
    });
    expect(codes(ds)).toEqual(['mappings/a.yaml:5:9 MAPC0709', 'mappings/c.yaml:5:9 MAPC0709', 'mappings/d.yaml:5:9 MAPC0709']);
    expect(ds[1]!.related!.map(where)).toEqual(['mappings/b.yaml:5:9']);
  });

  it('rejects a name that is not kebab-case (schema-refused too; checked again)', () => {
    const loaded = load({ 'a.yaml': spec('a', 'post-login', 'action: crm-sync') });
    const s = loaded.specs[0]!;
    const ds = checkProject({ ...loaded, specs: [{ ...s, action: { ...s.action!, value: 'CRM Sync!' } }] });
    expect(codes(ds)).toEqual(['mappings/a.yaml:5:9 MAPC0708']);
  });

  it('accepts its own trigger name and a name shared on one trigger', () => {
    const ds = check({
      'a.yaml': spec('a', 'post-login', 'action: mapc-post-login'),
      'b.yaml': spec('b', 'post-login', 'action: crm-sync'),
      'c.yaml': spec('c', 'post-login', 'action: crm-sync'),
    });
    expect(codes(ds)).toEqual([]);
  });
});
