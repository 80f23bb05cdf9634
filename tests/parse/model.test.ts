import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Expr } from '../../compiler/expr/ast';
import type { Value } from '../../compiler/model';
import { loadProject } from '../../compiler/parse/load';
import { durationMs } from '../../compiler/parse/duration';
import { scalarOrigin } from '../../compiler/parse/origin';
import { parseYamlText } from '../../compiler/parse/yaml-file';
import { nodeAt } from '../../compiler/parse/nodes';
import { lineCol, type Span } from '../../compiler/source';
import { tempDir } from './helpers';

const cwd = path.join(__dirname, 'fixtures');
const loaded = loadProject('full', { cwd });

/** The source text a span covers. */
const text = (s: Span): string => s.file.text.slice(s.start, s.end);
const pos = (s: Span): string => {
  const { line, column } = lineCol(s.file, s.start);
  return `${line}:${column}`;
};
const exprText = (e: Expr | undefined): string => (e ? text(e.span) : '');
const valueSummary = (v: Value): unknown => {
  switch (v.kind) {
    case 'expr':
      return `expr ${text(v.expr.span)}`;
    case 'literal':
      return { literal: v.value };
    case 'template':
      return `template ${v.template.parts.map((p) => (p.kind === 'text' ? p.text : `{{${text(p.expr.span)}}}`)).join('')}`;
    case 'object':
      return Object.fromEntries(v.entries.map((e) => [e.key.value, valueSummary(e.value)]));
    case 'array':
      return v.items.map(valueSummary);
  }
};

describe('the full fixture (every key of SPEC 2.1 and 2.2)', () => {
  it('loads with zero diagnostics', () => {
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.result).not.toBeNull();
    expect(loaded.result!.specs.map((s) => s.file.path)).toEqual(['full/billing/subscription.yaml', 'full/crm-sync.yaml']);
    expect(loaded.result!.testFiles).toEqual([path.join(cwd, 'full', 'crm-sync.test.yaml')]);
  });

  it('project values', () => {
    const p = loaded.result!.project;
    expect(p.file.path).toBe('full/mapc.yaml');
    expect(p.claimsNamespace?.value).toBe('https://acme.example/');
    expect(p.runtime.value).toBe('node18');
    expect([p.defaults.timeoutMs.value, p.defaults.deadlineMs.value, p.defaults.retries.value, p.defaults.onError.value]).toEqual([
      2000, 8000, 0, 'continue',
    ]);
    expect(pos(p.defaults.deadlineMs.span)).toBe('6:13');
    expect(p.systems.map((s) => s.name.value)).toEqual(['crm', 'orders', 'billing', 'status']);
    const [crm, orders, billing, status] = p.systems;
    expect(crm!.baseUrl).toMatchObject({ kind: 'static', url: { value: 'https://crm.example.com/api' } });
    expect(crm!.auth.kind === 'bearer' && crm!.auth.secret.value).toBe('CRM_API_KEY');
    expect([crm!.timeoutMs?.value, crm!.retries?.value, crm!.owner?.value]).toEqual([1500, 1, 'team-crm']);
    expect(pos(crm!.name.span)).toBe('10:3');
    const routed = orders!.baseUrl;
    expect(routed.kind).toBe('routed');
    if (routed.kind === 'routed') {
      expect(exprText(routed.by)).toBe('user.app_metadata.region');
      expect(routed.by.kind).toBe('member');
      expect(routed.routes.map((r) => [r.key, r.url.value])).toEqual([
        ['eu', 'https://eu.orders.example.com'],
        ['us', 'https://us.orders.example.com'],
      ]);
      expect(routed.default?.value).toBe('https://us.orders.example.com');
    }
    expect(orders!.auth).toMatchObject({ kind: 'header', header: { value: 'X-Api-Key' }, secret: { value: 'ORDERS_API_KEY' } });
    expect(billing!.baseUrl).toMatchObject({ kind: 'secret', secret: { value: 'BILLING_BASE_URL' } });
    expect(billing!.auth).toMatchObject({
      kind: 'basic',
      userSecret: { value: 'BILLING_USER' },
      passwordSecret: { value: 'BILLING_PASSWORD' },
    });
    expect(billing!.timeoutMs?.value).toBe(1500);
    expect(status!.auth.kind).toBe('none');
    expect(p.attributes.map((a) => [a.target.value, a.owner.value, a.type.value, a.enum?.value, a.description])).toEqual([
      ['app_metadata.subscription_tier', 'team-billing', 'string', ['standard', 'premium', 'trial'], 'Billing tier.'],
      ['app_metadata.crm_contact_id', 'team-crm', 'string', undefined, undefined],
    ]);
    expect(p.externalActions.map((e) => [e.name.value, e.trigger.value, e.position])).toEqual([
      ['legacy-fraud-check', 'post-login', 'before'],
    ]);
  });

  it('spec header, lookups and their request keys', () => {
    const s = loaded.result!.specs[0]!;
    expect([s.name.value, s.owner.value, s.trigger.value, s.onError?.value, s.action?.value]).toEqual([
      'subscription-enrichment',
      'team-billing',
      'post-login',
      'continue',
      'billing-gate',
    ]);
    expect(s.description).toBe('Enrich the profile with the billing tier and gate premium apps.');
    expect(pos(s.name.span)).toBe('2:7');
    const [l] = s.lookups;
    expect(l!.name.value).toBe('subscription');
    expect([l!.system.value, l!.method.value, l!.timeoutMs?.value, l!.retries?.value, l!.onError?.value]).toEqual([
      'billing',
      'GET',
      800,
      2,
      'deny',
    ]);
    expect(l!.denyMessage?.value).toBe('Billing is unavailable, please try again later.');
    expect([l!.owner?.value, l!.description]).toEqual(['team-billing', 'Read the subscription.']);
    expect(l!.path.parts.map((p) => (p.kind === 'text' ? p.text : `{{${text(p.expr.span)}}}`))).toEqual([
      '/users/',
      '{{user.user_id}}',
      '/subscription',
    ]);
    expect(exprText(l!.when)).toBe(
      'hours_since(user.app_metadata.last_subscription_sync) > 24 || !exists(user.app_metadata.subscription_tier)',
    );
    expect(pos(l!.when!.span)).toBe('16:11');
    expect(l!.query.map((q) => [q.key.value, valueSummary(q.value)])).toEqual([
      ['fields', "expr 'tier'"],
      ['limit', { literal: 5 }],
      ['mode', { literal: 'full' }],
      ['who', 'template {{user.email}}'],
    ]);
    expect(l!.headers.map((h) => [h.key.value, valueSummary(h.value)])).toEqual([['X-Trace', 'expr user.user_id']]);
    expect(l!.body).toBeUndefined();
  });

  it('fields: values, transforms, defaults', () => {
    const f = loaded.result!.specs[0]!.fields;
    expect(f.map((x) => [x.to.value, valueSummary(x.from)])).toEqual([
      ['app_metadata.subscription_tier', 'expr subscription.tier'],
      ['app_metadata.last_subscription_sync', 'expr now()'],
      ['user_metadata.preferred_locale', "expr identity('google-oauth2').profileData.locale"],
      ['id_token.subscription_tier', 'expr coalesce(subscription.tier, user.app_metadata.subscription_tier)'],
      ['access_token.plan', { literal: 'gold' }],
    ]);
    expect(exprText(f[1]!.when)).toBe('exists(subscription)');
    expect(
      f[2]!.transform.map((t) => [
        t.name.value,
        t.args.map((a) => a.value),
        t.namedArgs?.map((n) => [n.name.value, n.value.value]),
      ]),
    ).toEqual([
      ['trim', [], undefined],
      ['normalize_locale', [], undefined],
      ['replace', ['-', '_'], undefined],
      ['map', [], [['table', { true: 'Yes', false: 'No' }], ['default', 'No']]],
      ['truncate', [10], undefined],
    ]);
    const claim = f[3]!;
    expect([claim.default?.value, claim.clear?.value, claim.owner?.value, claim.description]).toEqual([
      'standard',
      true,
      'team-billing',
      'Tier claim.',
    ]);
    expect(pos(claim.to.span)).toBe('33:9');
  });

  it('access rules', () => {
    const a = loaded.result!.specs[0]!.access;
    expect(a.map((r) => r.action.kind)).toEqual(['deny', 'redirect', 'mfa']);
    const [deny, redirect, mfa] = a;
    expect(deny!.action.kind === 'deny' && deny!.action.message.value).toBe(
      'Your subscription tier does not permit access to this application.',
    );
    expect([deny!.owner?.value, deny!.description]).toEqual(['team-billing', 'Tier gate.']);
    if (redirect!.action.kind === 'redirect') {
      expect(redirect!.action.url.value).toBe('https://acme.example/upgrade');
      expect(redirect!.action.query.map((q) => [q.key.value, valueSummary(q.value)])).toEqual([['plan', "expr 'premium'"]]);
    } else {
      throw new Error('expected a redirect');
    }
    // A quoted scalar without escapes: indexes map inside the quotes.
    expect(text(redirect!.action.query[0]!.value.span)).toBe(`"'premium'"`);
    expect(mfa!.action.kind === 'mfa' && mfa!.action.provider.value).toBe('any');
    expect(mfa!.when).toMatchObject({ kind: 'literal', value: true });
  });

  it('sends: body values of every kind, store, idempotency key', () => {
    const s = loaded.result!.specs[1]!;
    const [send] = s.sends;
    expect([send!.system.value, send!.method.value, send!.timeoutMs?.value, send!.onError?.value]).toEqual(['crm', 'POST', 3000, 'continue']);
    expect(exprText(send!.when)).toBe('user.email_verified');
    expect(send!.idempotencyKey!.parts.map((p) => (p.kind === 'expr' ? text(p.expr.span) : p.text))).toEqual(['user.user_id']);
    expect(valueSummary(send!.body!)).toEqual({
      external_id: 'expr user.user_id',
      email: 'expr lower(user.email)',
      source: { literal: 'Auth0 Registration' },
      display: 'template {{user.given_name}} {{user.family_name}}',
      count: { literal: 3 },
      active: { literal: true },
      nothing: { literal: null },
      tags: ['expr user.email', { literal: 'x' }],
      nested: { a: 'expr user.name' },
    });
    expect(send!.store.map((x) => [x.target.value, valueSummary(x.value)])).toEqual([
      ['app_metadata.crm_contact_id', 'expr response.id'],
    ]);
    expect(pos(send!.store[0]!.target.span)).toBe('23:7');
    expect(s.lookups).toEqual([]);
    expect(s.fields).toEqual([]);
    expect(s.access).toEqual([]);
  });
});

describe('model details', () => {
  it('paths follow cwd even for an absolute project folder', () => {
    const { result } = loadProject(path.join(__dirname, 'fixtures', 'full'), { cwd: __dirname });
    expect(result!.project.file.path).toBe('fixtures/full/mapc.yaml');
  });

  it('defaults apply when the project file leaves them out; no auth means none', () => {
    const dir = tempDir({ 'mapc.yaml': 'version: 1\nsystems:\n  s: { base_url: https://s.example }\n' });
    const { result, diagnostics } = loadProject(dir, { cwd: dir });
    expect(diagnostics).toEqual([]);
    const p = result!.project;
    expect([p.runtime.value, p.defaults.timeoutMs.value, p.defaults.deadlineMs.value, p.defaults.retries.value, p.defaults.onError.value]).toEqual([
      'node22', 2000, 8000, 0, 'continue',
    ]);
    expect(p.claimsNamespace).toBeUndefined();
    expect(p.systems[0]!.auth.kind).toBe('none');
    expect(p.attributes).toEqual([]);
    expect(p.externalActions).toEqual([]);
  });

  it('durations', () => {
    expect([durationMs('1500ms'), durationMs('2s'), durationMs('1.5s'), durationMs(250), durationMs('0.0015s')]).toEqual([
      1500, 2000, 1500, 250, 2,
    ]);
  });

  it('text origins: plain, quoted, escaped', () => {
    const yf = parseYamlText('a: lower(x)\nb: "lower(y)"\nc: "lo\\u0077er(z)"\nd: \'it\'\'s\'\n', 'o.yaml');
    const origin = (k: string) => scalarOrigin(yf.file, nodeAt(yf.doc!, [k]).node);
    expect([origin('a').offset(0), origin('a').offset(6)]).toEqual([3, 9]);
    expect([origin('b').offset(0), origin('b').offset(6)]).toEqual([16, 22]);
    // Escapes: every index maps to the scalar start (the opening quote).
    expect([origin('c').offset(0), origin('c').offset(5)]).toEqual([29, 29]);
    // A doubled quote is an escape too.
    expect(origin('d').offset(3)).toBe(48);
  });

  it('expression syntax errors from the expr parser come back located', () => {
    const { diagnostics, result } = loadProject('.', {
      cwd: tempDir({
        'mapc.yaml': 'version: 1\n',
        'a.yaml': 'version: 1\nname: a\nowner: t\ntrigger: post-login\nfields:\n  - to: app_metadata.x\n    from: lower(user.email\n',
      }),
    });
    expect(result!.specs).toHaveLength(1);
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics.every((d) => d.code.startsWith('MAPC03') && d.span!.file.path === 'a.yaml')).toBe(true);
    expect(lineCol(diagnostics[0]!.span!.file, diagnostics[0]!.span!.start).line).toBe(7);
  });
});
