/**
 * Literal arguments the build checks beyond their type (runtime/signatures.ts `check`):
 * time zones, date formats and secret names, each refused as a located MAPC0307 with a hint,
 * in a call and in a transform step. And what a secret name does: hmac_sha256's secret is one
 * of the Action's secrets (header, tenant.yaml, manifest), its value read at run time and
 * never logged.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic';
import { checkExpr, checkTransformStep } from '../../compiler/expr/check';
import { isTimeZone, literalProblem } from '../../compiler/expr/literals';
import { T } from '../../compiler/expr/types';
import { specEnv } from '../../compiler/resolve/expressions';
import { sourceFile, span } from '../../compiler/source';
import { TRIGGER_IDS, type TriggerId } from '../../compiler/triggers';
import { SIGNATURES } from '../../runtime/signatures';
import { compileOrThrow, runCompiled, tempProject } from '../helpers/compiled';
import { runMapc } from '../helpers/cli';
import { at, parse, text } from './helpers';

function check(src: string, trigger: TriggerId = 'post-login'): Diagnostic[] {
  const p = parse(src);
  expect(p.diagnostics).toEqual([]);
  return checkExpr(p.expr, specEnv(trigger, SIGNATURES, [], {}, "a field's from:")).diagnostics;
}

/** `CODE@line:col text-under-the-span | message | hint` of each diagnostic. */
const shown = (ds: readonly Diagnostic[]) => ds.map((d) => `${d.code}@${at(d.span)} ${text(d.span!)} | ${d.message} | ${d.hint ?? ''}`);

describe('time zones', () => {
  it('accepts IANA names (any case, links included) and UTC', () => {
    for (const z of ['UTC', 'Europe/Berlin', 'europe/berlin', 'America/Argentina/Buenos_Aires', 'Asia/Kolkata', 'Asia/Calcutta', 'Etc/GMT-1', 'US/Eastern']) expect(isTimeZone(z), z).toBe(true);
    expect(check("format_date(user.created_at, 'iso', 'Europe/Berlin')")).toEqual([]);
    expect(check("parse_date(user.name, 'iso', 'America/New_York')")).toEqual([]);
  });

  it('refuses a misspelt zone with the nearest name, and an offset on every Node version', () => {
    expect(shown(check("format_date(user.created_at, 'iso', 'Europe/Pariss')"))).toEqual([
      "MAPC0307@2:47 'Europe/Pariss' | 'time_zone' of 'format_date' is not a time zone: 'Europe/Pariss' | did you mean 'Europe/Paris'?",
    ]);
    for (const z of ['+01:00', '-0500', 'Mars/Olympus', '']) {
      const ds = check(`parse_date(user.name, 'iso', '${z}')`);
      expect(ds.map((d) => d.code), z).toEqual(['MAPC0307']);
      expect(ds[0]!.hint).toBeDefined();
    }
    expect(check("parse_date(user.name, 'iso', '+01:00')")[0]!.hint).toContain('Etc/GMT-1');
  });

  it('must be a literal', () => {
    expect(check("format_date(user.created_at, 'iso', user.app_metadata.tz)").map((d) => d.code)).toEqual(['MAPC0308']);
  });
});

describe('date formats', () => {
  it('accepts named formats and patterns', () => {
    for (const f of ['iso', 'rfc2822', 'unix', 'unix_ms', 'yyyy-MM-dd', 'EEE, d MMM yyyy HH:mm:ss Z', 'yyyy-MM-ddTHH:mm:ss.SSSX', 'dd.MM.yyyy [um] HH:mm']) {
      expect(check(`parse_date(user.name, '${f}')`), f).toEqual([]);
      expect(check(`format_date(user.created_at, '${f}')`), f).toEqual([]);
    }
    expect(check("format_date(user.created_at, 'HH:mm')")).toEqual([]);
  });

  it("refuses an unknown token with the token it resembles ('YYYY' → 'yyyy')", () => {
    expect(shown(check("format_date(user.created_at, 'YYYY-MM-DD')"))).toEqual([
      "MAPC0307@2:40 'YYYY-MM-DD' | 'format' of 'format_date' is not a date format: 'YYYY' is not a token (yyyy MMM MM M dd d EEE HH H mm ss SSS X Z; other letters go in [brackets]) | did you mean 'yyyy'?",
    ]);
    expect(check("format_date(user.created_at, 'yyyy-MM-DD')")[0]!.hint).toBe("did you mean 'dd'?");
    expect(check("format_date(user.created_at, 'hh:mm')")[0]!.hint).toBe("did you mean 'HH'?");
    expect(check("format_date(user.created_at, 'yyyy MMMM')")[0]!.hint).toContain("'iso'");
    expect(check("format_date(user.created_at, 'yyyy [at')")[0]!.message).toContain("a '[' without its ']'");
  });

  it('refuses a parse format without a year, but lets format_date print only a time', () => {
    expect(shown(check("parse_date(user.name, 'HH:mm')"))).toEqual([
      "MAPC0307@2:33 'HH:mm' | 'format' of 'parse_date' is not a date format: a format to parse needs yyyy | 'iso', 'rfc2822', 'unix', 'unix_ms', or a pattern such as 'dd.MM.yyyy HH:mm' (Date formats in docs/language.md)",
    ]);
  });

  it('checks transform steps too, at the argument', () => {
    const file = sourceFile('mappings/t.yaml', 'x: [iso, YYYY, Europe/Pariss]\n');
    const arg = (value: unknown, start: number, end: number) => ({ value, span: span(file, start, end) });
    const name = { value: 'format_date', span: span(file, 0, 1) };
    const r = checkTransformStep({ name, args: [arg('YYYY', 9, 13), arg('Europe/Pariss', 15, 28)], span: span(file, 0, 29) }, T.string, SIGNATURES);
    expect(r.diagnostics.map((d) => `${d.code} ${text(d.span!)} ${d.hint}`)).toEqual(["MAPC0307 YYYY did you mean 'yyyy'?", "MAPC0307 Europe/Pariss did you mean 'Europe/Paris'?"]);
    expect(checkTransformStep({ name, args: [arg('iso', 4, 7)], span: span(file, 0, 29) }, T.string, SIGNATURES).diagnostics).toEqual([]);
  });
});

describe('secret names', () => {
  it('accepts a secret name on every trigger (every event has secrets)', () => {
    for (const t of TRIGGER_IDS) expect(check("hmac_sha256('payload', 'WEBHOOK_KEY')", t), t).toEqual([]);
  });

  it('refuses what is not a secret name without repeating it (it may be a pasted value)', () => {
    const ds = check("hmac_sha256(user.email, 'sk-live-51H8xYz')");
    expect(shown(ds)).toEqual([
      "MAPC0307@2:35 'sk-live-51H8xYz' | 'secret' of 'hmac_sha256' must be the name of an Action secret | letters, digits and _ (such as WEBHOOK_KEY), at most 128 characters: the secret's name, never its value",
    ]);
    expect(check(`hmac_sha256(user.email, '${'K'.repeat(129)}')`).map((d) => d.code)).toEqual(['MAPC0307']);
    expect(check(`hmac_sha256(user.email, '${'K'.repeat(128)}')`)).toEqual([]);
    expect(literalProblem('secret', '1KEY')).toBeDefined();
  });

  it('must be a literal, with a hint that does not ask for the value', () => {
    const ds = check('hmac_sha256(user.email, user.app_metadata.key)');
    expect(ds.map((d) => d.code)).toEqual(['MAPC0308']);
    expect(ds[0]!.hint).toContain("secret's name");
    expect(check('hmac_sha256(user.email, secrets.KEY)').map((d) => d.code)).toEqual(['MAPC0304', 'MAPC0308']);
  });
});

const PROJECT = `version: 1
claims_namespace: https://acme.example/
systems:
  crm:
    base_url: https://crm.example.com
    auth: { bearer: CRM_KEY }
attributes:
  app_metadata.crm_ref: { owner: team-a, type: string }
`;

const SPEC = `version: 1
name: signed
owner: team-a
trigger: post-login
fields:
  - to: id_token.sig
    from: hmac_sha256(user.user_id, 'SIGNING_KEY')
  - to: id_token.ref
    from: user.email
    transform: [{ hmac_sha256: [REF_KEY] }]
  - to: id_token.link
    from: { template: "https://crm.example.com/u?sig={{hmac_sha256 user.user_id 'LINK_KEY'}}" }
  - to: id_token.seen
    from: format_date(user.created_at, 'dd.MM.yyyy HH:mm', 'Europe/Berlin')
`;

describe('a secret named by hmac_sha256 is one of the Action secrets', () => {
  it('lists call, transform and template secrets with the systems’ in the Action, tenant.yaml and the manifest', async () => {
    const dir = tempProject({ 'mappings/mapc.yaml': PROJECT, 'mappings/signed.yaml': SPEC });
    const compiled = await compileOrThrow(path.join(dir, 'mappings'));
    const action = compiled.program.actions.find((a) => a.name === 'mapc-post-login')!;
    // The system is not called by this spec, so only the hmac secrets are there.
    expect(action.secrets).toEqual(['LINK_KEY', 'REF_KEY', 'SIGNING_KEY']);
    expect(compiled.code.get('mapc-post-login')).toContain(' * Secrets: LINK_KEY, REF_KEY, SIGNING_KEY');

    const build = await runMapc(['build', '-p', 'mappings', '-o', 'generated'], dir);
    expect(build.code, build.stderr).toBe(0);
    const tenant = fs.readFileSync(path.join(dir, 'generated', 'tenant.yaml'), 'utf8');
    for (const n of ['LINK_KEY', 'REF_KEY', 'SIGNING_KEY']) expect(tenant).toContain(`- name: ${n}\n        value: "##${n}##"`);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'generated', 'mapc-manifest.json'), 'utf8')) as { actions: Record<string, { secrets: string[] }> };
    expect(manifest.actions['mapc-post-login']!.secrets).toEqual(['LINK_KEY', 'REF_KEY', 'SIGNING_KEY']);
  });

  it('reads the value at run time; a missing one leaves the claim out and logs only the name', async () => {
    const dir = tempProject({ 'mappings/mapc.yaml': PROJECT, 'mappings/signed.yaml': SPEC });
    const compiled = await compileOrThrow(path.join(dir, 'mappings'));
    const event = { user: { user_id: 'what do ya want for nothing?', email: 'jane@acme.example', created_at: '2024-07-01T12:00:00Z' } };
    const ok = await runCompiled(compiled, 'mapc-post-login', { event, secrets: { SIGNING_KEY: 'Jefe', REF_KEY: 'ref-key-value-123', LINK_KEY: 'link-key-value-456' } });
    expect(ok.threw).toBeUndefined();
    const claims = ok.record.idTokenClaims;
    expect(claims['https://acme.example/sig']).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
    expect(claims['https://acme.example/ref']).toMatch(/^[0-9a-f]{64}$/);
    expect(claims['https://acme.example/link']).toMatch(/^https:\/\/crm\.example\.com\/u\?sig=[0-9a-f]{64}$/);
    expect(claims['https://acme.example/seen']).toBe('01.07.2024 14:00');

    const missing = await runCompiled(compiled, 'mapc-post-login', { event, secrets: { REF_KEY: 'ref-key-value-123', LINK_KEY: 'link-key-value-456' } });
    expect(missing.threw).toBeUndefined();
    expect(missing.record.idTokenClaims['https://acme.example/sig']).toBeUndefined();
    expect(missing.record.idTokenClaims['https://acme.example/ref']).toMatch(/^[0-9a-f]{64}$/);
    const lines = missing.logs.join('\n');
    expect(lines).toContain('"fn":"hmac_sha256","msg":"secret SIGNING_KEY not set"');
    expect(lines).not.toContain('ref-key-value');
    expect(lines).not.toContain('link-key-value');
    expect(lines).not.toContain('what do ya want');
  });

  it('is refused with its location when the name is not one', async () => {
    const dir = tempProject({ 'mappings/mapc.yaml': PROJECT, 'mappings/signed.yaml': SPEC.replace("'SIGNING_KEY'", "'signing-key'") });
    const r = await runMapc(['validate', '-p', 'mappings'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout + r.stderr).toContain("mappings/signed.yaml:7:37: error MAPC0307: 'secret' of 'hmac_sha256' must be the name of an Action secret");
  });
});
