/**
 * Every MAPC03xx code, from a minimal broken input, with its exact position. The table must
 * cover EXPR_CODES exactly: a new code without a test here fails this file.
 */
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic';
import { EXPR_CODES } from '../../compiler/diagnostics/codes/expr';
import { CODES } from '../../compiler/diagnostics/codes';
import { checkExpr } from '../../compiler/expr/check';
import { checkSpecExpressions, specEnv } from '../../compiler/resolve/expressions';
import type { TriggerId } from '../../compiler/triggers';
import { SIGNATURES } from '../../runtime/signatures';
import { at, FAKE_FUNCTIONS, parse, tpl } from './helpers';
import { ex, field, loc, lookup, project, spec, step } from './spec-builders';

function expr(src: string, trigger: TriggerId = 'post-login'): Diagnostic[] {
  const p = parse(src);
  if (p.diagnostics.length) return p.diagnostics;
  return checkExpr(p.expr, specEnv(trigger, FAKE_FUNCTIONS, [], {}, "a field's from:")).diagnostics;
}

const CASES: Record<string, () => Diagnostic[]> = {
  'MAPC0300@2:18': () => expr('lower(a'),
  'MAPC0301@2:11': () => expr('usr.email'),
  'MAPC0302@2:16': () => expr('user.emial'),
  'MAPC0303@2:16': () => expr('user.user_id', 'pre-user-registration'),
  'MAPC0304@2:11': () => expr('secrets.CRM_API_KEY'),
  'MAPC0305@2:11': () => expr('lowr(user.email)'),
  'MAPC0306@2:29': () => expr("lower(user.email, 'x')"),
  'MAPC0307@2:32': () => expr("substring(user.name, 'a')"),
  'MAPC0308@2:31': () => expr('matches(user.email, user.name)'),
  'MAPC0309@2:31': () => expr("matches(user.email, '([a-z')"),
  'MAPC0310@2:31': () => expr("matches(user.email, '(a+)+$')"),
  'MAPC0311@2:11': () => expr("stats.logins_count > 'ten'"),
  'MAPC0312@2:11': () => expr("stats.logins_count == '1'"),
  'MAPC0313@2:75': () => expr('('.repeat(65) + 'a' + ')'.repeat(65)),
  'MAPC0314@4:1': () =>
    checkSpecExpressions(spec('post-login', { lookups: [{ ...lookup('a', '/{{b.id}}'), name: loc('a', 4) }, { ...lookup('b', '/{{a.id}}'), name: loc('b', 5) }] }), project(), FAKE_FUNCTIONS),
  'MAPC0315@6:1': () => checkSpecExpressions(spec('post-login', { lookups: [{ ...lookup('user', '/x'), name: loc('user', 6) }] }), project(), FAKE_FUNCTIONS),
  'MAPC0316@7:1': () =>
    checkSpecExpressions(spec('post-login', { fields: [field('app_metadata.x', ex('user.email'), { transform: [{ ...step('now'), name: loc('now', 7) }] })] }), project(), FAKE_FUNCTIONS),
  'MAPC0317@8:1': () =>
    checkSpecExpressions(
      spec('post-login', { lookups: [{ ...lookup('plan', '/x'), name: loc('plan', 7) }], uses: [{ name: loc('plan', 8), from: loc('billing.plan'), spec: 'billing', lookup: 'plan' }] }),
      project(),
      FAKE_FUNCTIONS,
    ),
  'MAPC0318@2:32': () => {
    const p = parse("any(user.identities, any(item.profileData.groups, item == 'x'))");
    return checkExpr(p.expr, specEnv('post-login', SIGNATURES, [], {}, "a field's from:")).diagnostics;
  },
  'MAPC0320@2:17': () => tpl('Hello {{user.name').diagnostics,
  'MAPC0321@2:11': () => tpl('{{#if user.name}}x{{/if}}').diagnostics,
  'MAPC0322@2:13': () => tpl('{{this.name}}').diagnostics,
  'MAPC0323@2:32': () => tpl('{{truncate user.name length=3}}').diagnostics,
  'MAPC0324@2:13': () => tpl('{{lowr user.email}}').diagnostics,
};

describe('every expr diagnostic code', () => {
  it('has a case here, and is registered in CODES', () => {
    expect(Object.keys(CASES).map((k) => k.split('@')[0]).sort()).toEqual(Object.keys(EXPR_CODES).sort());
    for (const [code, info] of Object.entries(EXPR_CODES)) {
      expect(CODES[code as keyof typeof CODES]).toBe(info);
      expect(info.code).toBe(code);
      expect(info.title.length).toBeGreaterThan(0);
      expect(info.example.length).toBeGreaterThan(0);
    }
  });

  it.each(Object.entries(CASES))('%s', (key, run) => {
    const [code] = key.split('@');
    const ds = run();
    expect(ds.map((d) => `${d.code}@${at(d.span)}`)).toEqual([key]);
    expect(ds[0]!.severity).toBe(EXPR_CODES[code as keyof typeof EXPR_CODES].severity);
    expect(ds[0]!.message.length).toBeGreaterThan(0);
  });
});
