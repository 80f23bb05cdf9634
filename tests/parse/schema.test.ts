import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SCHEMA_CODES } from '../../compiler/diagnostics/codes/schema';
import { projectSchema, specSchema, testSchema } from '../../compiler/parse/schema';
import { lineCol } from '../../compiler/source';
import { at, check, minimalSpec } from './helpers';

const spec = (extra: string): string => minimalSpec('a', extra);
const project = (extra: string): string => `version: 1\n${extra}`;
const show = (text: string, kind: 'spec' | 'project' | 'test' = 'spec'): string[] =>
  check(kind, text).map((d) => `${at(d)} ${d.message}${d.hint ? ` | ${d.hint}` : ''}`);

describe('schema diagnostics (MAPC02xx)', () => {
  it('MAPC0201: unknown key at the key, with did-you-mean', () => {
    expect(show(spec('fields:\n  - to: app_metadata.tier\n    from: x\n    tranform: [trim]\n'))).toEqual([
      "MAPC0201 8:5 unknown key 'tranform' in field 1 (app_metadata.tier) | did you mean 'transform'?",
    ]);
  });

  it('MAPC0201: unknown key without a close match lists the allowed keys', () => {
    expect(show(project('defaults: { zebra: 1 }\n'), 'project')).toEqual([
      "MAPC0201 2:13 unknown key 'zebra' in 'defaults' | allowed keys here: timeout, deadline, retries, on_error",
    ]);
  });

  it('MAPC0202: missing key at the parent map', () => {
    expect(show(project('systems:\n  crm:\n    auth: none\n'), 'project')).toEqual([
      "MAPC0202 3:3 missing required key 'base_url' in system 'crm' | add 'base_url:' (where the system lives: a URL (https; http only for localhost), { secret: NAME } to read it from a secret, or a routing table { by, routes, default })",
    ]);
    expect(show('version: 1\nname: a\nowner: t\n')).toEqual([
      "MAPC0202 1:1 missing required key 'trigger' at the top level | add 'trigger:' (the Auth0 trigger this spec runs on)",
    ]);
  });

  it('MAPC0203: wrong type, with the expected type in words', () => {
    expect(show(spec('fields: { to: app_metadata.x }\n'))).toEqual([
      "MAPC0203 5:9 expected a list in fields, found a map | write each item on its own line, starting with '- '",
    ]);
    expect(show(spec('lookups:\n  s: { system: b, method: GET, path: /x, retries: two }\n'))).toEqual([
      "MAPC0203 6:51 expected a whole number in 'retries' of lookup 's', found text 'two'",
    ]);
    expect(show('')).toEqual(['MAPC0203 1:1 the file is empty: expected a map of keys | start with version: 1']);
  });

  it('MAPC0204: bad enum lists the allowed values and suggests one', () => {
    expect(show('version: 1\nname: a\nowner: t\ntrigger: post-logon\n')).toEqual([
      "MAPC0204 4:10 'post-logon' is not allowed in 'trigger'; expected one of: 'post-login', 'pre-user-registration', 'post-user-registration', 'credentials-exchange', 'post-change-password' | did you mean 'post-login'?",
    ]);
    expect(show(project('version: 2\n').replace('version: 1\n', ''), 'project')).toEqual([
      "MAPC0204 1:10 expected 1 in 'version', found 2",
    ]);
  });

  it('MAPC0205: bad duration, bad name, bad target, bad key', () => {
    expect(show(project('defaults:\n  timeout: 2 seconds\n'), 'project')).toEqual([
      "MAPC0205 3:12 '2 seconds' is not valid in 'defaults.timeout': expected a duration such as 2s, 1.5s, 1500ms or 10m",
    ]);
    expect(show('version: 1\nname: Subscription Enrichment\nowner: t\ntrigger: post-login\n')).toEqual([
      "MAPC0205 2:7 'Subscription Enrichment' is not valid in 'name': expected a kebab-case name such as subscription-enrichment",
    ]);
    expect(show(spec('fields:\n  - { to: profile.tier, from: x }\n'))).toEqual([
      "MAPC0205 6:11 'profile.tier' is not valid in 'to' of field 1 (profile.tier): expected a target such as app_metadata.tier, user_metadata.locale, id_token.tier, access_token.tier, scopes.read:orders, saml.<attribute> or user_id",
    ]);
    expect(show(project('attributes:\n  tier: { owner: a, type: string }\n'), 'project')).toEqual([
      "MAPC0205 3:3 'tier' is not a valid key in attributes: expected an app_metadata or user_metadata attribute such as app_metadata.subscription_tier",
    ]);
  });

  it('MAPC0206: number out of range', () => {
    expect(show(project('defaults: { retries: 9 }\n'), 'project')).toEqual([
      "MAPC0206 2:22 9 is too large in 'defaults.retries': the maximum is 5",
    ]);
  });

  it('MAPC0207: empty text and sizes', () => {
    expect(show('version: 1\nname: a\nowner: ""\ntrigger: post-login\n')).toEqual([
      "MAPC0207 3:8 empty text in 'owner' | write a value: this key is required",
    ]);
    expect(show(spec('fields:\n  - to: app_metadata.x\n    from: a\n    transform: [{ replace: [a, b], map: {} }]\n'))).toEqual([
      "MAPC0207 8:17 the map in 'transform #1' of field 1 (app_metadata.x) allows at most 1 key | expected a one-key map such as { replace: [a, b] }",
    ]);
  });

  it('MAPC0208: conflicting keys; missing one of several', () => {
    expect(show(spec('access:\n  - when: x\n    deny: no\n    mfa: any\n  - when: y\n'))).toEqual([
      "MAPC0208 8:5 only one of 'deny', 'mfa' may be given in access rule 1 | keep one of 'deny', 'mfa'",
      "MAPC0202 9:5 missing one of 'deny', 'redirect', 'mfa', 'validation_error' in access rule 2 | add one of 'deny', 'redirect', 'mfa', 'validation_error'",
    ]);
  });

  it('MAPC0209: other invalid values', () => {
    expect(show(project('attributes:\n  app_metadata.t: { owner: a, type: string, enum: [] }\n'), 'project')).toEqual([
      "MAPC0207 3:51 the list in 'enum' of attribute 'app_metadata.t' needs at least 1 item",
    ]);
    expect(show(project('attributes:\n  app_metadata.t: { owner: a, type: string, enum: [x, x] }\n'), 'project')).toEqual([
      "MAPC0209 3:55 'x' is listed twice in 'enum' of attribute 'app_metadata.t' | remove one of them",
    ]);
    const [dup] = check('project', project('attributes:\n  app_metadata.t: { owner: a, type: string, enum: [x, y, x] }\n'));
    expect(at(dup!)).toBe('MAPC0209 3:58');
    expect(dup!.related?.map((r) => `${r.message} ${lineCol(r.span.file, r.span.start).column}`)).toEqual(['first listed here 52']);
  });

  it('oneOf: picks the branch the user meant', () => {
    expect(show(project('systems:\n  crm:\n    base_url: { by: x, rutes: {} }\n'), 'project')).toEqual([
      "MAPC0201 4:24 unknown key 'rutes' in 'base_url' of system 'crm', and the required key 'routes' is missing | did you mean 'routes'?",
    ]);
    expect(show(project('systems:\n  crm:\n    base_url: x\n    auth: { header: X-Key }\n'), 'project')).toEqual([
      "MAPC0202 5:5 missing required key 'secret' in 'auth' of system 'crm' | add 'secret:' (the secret sent as the header value)",
    ]);
    expect(show(project('systems:\n  crm:\n    base_url: x\n    auth: bearer\n'), 'project')).toEqual([
      "MAPC0204 5:11 'bearer' is not allowed in 'auth' of system 'crm'; expected none, { bearer: SECRET }, { header: NAME, secret: SECRET }, { basic: { user_secret, password_secret } } or { oauth2: { token_url, client_id_secret, client_secret_secret } }",
    ]);
    expect(show(spec('fields:\n  - to: app_metadata.x\n    from: { valeu: 1 }\n'))).toEqual([
      "MAPC0203 7:11 expected an expression, a number, true/false, { value: ... }, { template: '...' } or { case: [...] } in 'from' of field 1 (app_metadata.x) | 'valeu': did you mean 'value'?",
    ]);
    expect(show(project('systems:\n  crm:\n    base_url: [a]\n'), 'project')).toEqual([
      "MAPC0203 4:15 expected a URL, { secret: NAME } or { by, routes, default } in 'base_url' of system 'crm', found a list",
    ]);
  });

  it('never shows JSON Pointers or ajv wording', () => {
    const broken = [
      spec('lookups:\n  s: { system: 1, method: get, path: "", query: { a: [1] }, when: [x], timeout: -1 }\n'),
      spec('sends:\n  - { system: a, method: POST, path: /x, store: { bad: response.id }, body: 1, extra: 2 }\n'),
      spec('access:\n  - { when: x, redirect: { query: 1 } }\n  - { when: x, mfa: sms }\n'),
      spec('fields: [1, { to: 3 }, { to: app_metadata.a, from: a, transform: [1, {}] }]\n'),
      project('systems: { "bad name": { base_url: { secret: "no spaces" }, auth: { basic: 1 } } }\nexternal_actions: [{ position: middle }]\n'),
      'spec: 1\ncases: [{ name: a, systems: { s: [{ status: 999, delay: x }] }, expect: { access: 3, requests: [{}] } }]\n',
    ];
    for (const [i, text] of broken.entries()) {
      const ds = check(i === 4 ? 'project' : i === 5 ? 'test' : 'spec', text);
      expect(ds.length).toBeGreaterThan(0);
      for (const d of ds) {
        const words = `${d.message} ${d.hint ?? ''}`;
        expect(words).not.toMatch(/#\/|\/properties|must NOT|must have|must match|must be (string|integer|object|array|equal)|oneOf|anyOf|additionalProperties|instancePath/);
        expect(d.span).toBeDefined();
      }
    }
  });

  it('the fixture test file is valid', () => {
    const text = fs.readFileSync(path.join(__dirname, 'fixtures/full/crm-sync.test.yaml'), 'utf8');
    expect(show(text, 'test')).toEqual([]);
  });

  it('test file errors are located', () => {
    expect(show('spec: x\ncases:\n  - name: a\n    expect: { access: denied }\n', 'test')).toEqual([
      "MAPC0204 4:23 'denied' is not allowed in 'expect.access' of case 'a'; expected allow, mfa, { deny: message }, { redirect: url } or { validation_error: { code, message } }",
    ]);
  });

  it('every property of every schema has a description; schemas have $id and title', () => {
    const missing: string[] = [];
    const visit = (s: unknown, where: string): void => {
      if (Array.isArray(s)) return s.forEach((x, i) => visit(x, `${where}/${i}`));
      if (s === null || typeof s !== 'object') return;
      const o = s as Record<string, unknown>;
      const props = o['properties'] as Record<string, Record<string, unknown>> | undefined;
      for (const [k, v] of Object.entries(props ?? {})) {
        if (typeof v['description'] !== 'string') missing.push(`${where}/${k}`);
      }
      for (const [k, v] of Object.entries(o)) visit(v, `${where}/${k}`);
    };
    for (const s of [projectSchema, specSchema, testSchema]) {
      expect(typeof s['$id']).toBe('string');
      expect(typeof s['title']).toBe('string');
      visit(s, String(s['$id']));
    }
    expect(missing).toEqual([]);
  });

  it('every MAPC02xx code is tested above', () => {
    const src = fs.readFileSync(__filename, 'utf8');
    for (const code of Object.keys(SCHEMA_CODES)) expect(src).toContain(code);
  });
});
