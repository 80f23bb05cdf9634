/**
 * Every generated Action of every cookbook project and of a project with every trigger loads
 * the way Auth0's loader loads it (native async handlers, lazy module initialization) and runs
 * a few hundred random events — with its systems answering at random over real sockets —
 * without a throw, an unexpected exception, an undeclared deny, or an api call Auth0's test api
 * would reject (support/oracle.ts). The sample organisation gets 10,000 events per Action in
 * events.test.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { Compiled } from '../../compiler/pipeline';
import { defaultSecret } from '../../compiler/emulator/cases';
import { defaultEvent } from '../../compiler/triggers';
import { loadAction } from '../../compiler/emulator/load';
import { entrypointsOf } from '../../compiler/triggers';
import { compileOrThrow, REPO, tempProject } from '../helpers/compiled';
import { hostileEvent } from './support/arbitraries';
import { recipe, type Recipe } from './support/answers';
import { fcParams } from './support/config';
import { startHost, type Host } from './support/host';
import { violations, type AnswerClass } from './support/oracle';

/** Random events per Action here (every spec of the Action sees every event). */
const RUNS = 300;

const ALL_TRIGGERS: Record<string, string> = {
  'mappings/mapc.yaml': `version: 1
claims_namespace: https://acme.example/
defaults: { deadline: 3s, timeout: 1s }
systems:
  crm:
    base_url: https://crm.example.com
    auth: { bearer: CRM_KEY }
attributes:
  app_metadata.tier: { owner: team-a, type: string, enum: [free, premium] }
`,
  'mappings/login.yaml': `version: 1
name: login
owner: team-a
trigger: post-login
lookups:
  account: { system: crm, method: GET, path: "/accounts/{{user.user_id}}" }
fields:
  - to: app_metadata.tier
    from: lower(account.tier)
  - to: id_token.tier
    from: coalesce(lower(account.tier), user.app_metadata.tier)
    default: free
access:
  - when: account.blocked == true
    deny: Blocked.
  - when: account.risk > 0.5 && !authenticated_with('mfa')
    mfa: { provider: any, allow_remember_browser: true }
  - when: user.app_metadata.tier == 'free' && stats.logins_count > 3
    redirect:
      url: https://acme.example/upgrade
      token: { secret: PAGE_SECRET, payload: { tier: user.app_metadata.tier } }
      otherwise: continue
continue:
  fields:
    - to: app_metadata.tier
      from: continue.tier
  access:
    - when: continue.tier != 'premium'
      deny: Not upgraded.
`,
  'mappings/signup.yaml': `version: 1
name: signup
owner: team-b
trigger: pre-user-registration
fields:
  - to: user_metadata.locale
    from: request.language
access:
  - when: email_domain(user.email) == 'blocked.example'
    deny: Sign-ups from this domain are closed.
`,
  'mappings/welcome.yaml': `version: 1
name: welcome
owner: team-c
trigger: post-user-registration
sends:
  - system: crm
    method: POST
    path: /contacts
    idempotency_key: "{{user.user_id}}"
    body: { id: user.user_id }
`,
  'mappings/m2m.yaml': `version: 1
name: m2m
owner: team-d
trigger: credentials-exchange
fields:
  - to: access_token.client_name
    from: client.name
access:
  - when: client.metadata.disabled == 'yes'
    deny: This client is disabled.
`,
  'mappings/password.yaml': `version: 1
name: password
owner: team-e
trigger: post-change-password
sends:
  - system: crm
    method: PUT
    path: "/users/{{user.user_id}}/password-changed"
`,
};

const projects = (): [string, string][] => [
  ...fs
    .readdirSync(path.join(REPO, 'examples', 'cookbook'))
    .sort()
    .map((r): [string, string] => [`cookbook ${r}`, path.join(REPO, 'examples', 'cookbook', r, 'mappings')]),
  ['every trigger', path.join(tempProject(ALL_TRIGGERS), 'mappings')],
];

describe.each(projects())('%s', (_name, dir) => {
  const hosts: Host[] = [];
  afterAll(async () => {
    await Promise.all(hosts.map((h) => h.close()));
  });
  let compiled: Compiled;

  it('builds, and every handler is a native async function that loads as Auth0 loads it', async () => {
    compiled = await compileOrThrow(dir);
    expect(compiled.program.actions.length).toBeGreaterThan(0);
    for (const action of compiled.program.actions) {
      const loaded = loadAction(compiled.code.get(action.name)!, [], { trigger: action.trigger });
      const exported = Object.keys(loaded.exports).filter((k) => /^on[A-Z]/.test(k));
      expect(exported.length).toBeGreaterThan(0);
      for (const k of exported) {
        expect(entrypointsOf(action.trigger)).toContain(k);
        expect((loaded.exports[k] as { constructor: { name: string } }).constructor.name).toBe('AsyncFunction');
      }
    }
  });

  it(`runs ${RUNS} random events per Action without an api call Auth0 rejects`, async () => {
    for (const action of compiled.program.actions) {
      const secrets = Object.fromEntries(action.secrets.map((s) => [s, defaultSecret(s)]));
      const host = await startHost(action, compiled.code.get(action.name)!, secrets);
      hosts.push(host);
      const systems = action.systems.map((s) => s.name);
      const answers = fc.record(Object.fromEntries(systems.map((s) => [s, recipe(64 * 1024)])) as Record<string, fc.Arbitrary<Recipe>>);
      await fc.assert(
        fc.asyncProperty(hostileEvent(defaultEvent(action.trigger), []), answers, async (event, recipes) => {
          const given = new Map<string, AnswerClass[]>();
          const r = await host.run(event, (req) => {
            const rec = recipes[req.system]!;
            given.set(req.system, [...(given.get(req.system) ?? []), rec.cls]);
            return rec.answer;
          });
          const bad = violations(action, event, r, given);
          if (bad.length > 0) throw new Error(`${action.name}: ${bad.join('\n')}`);
        }),
        fcParams(RUNS),
      );
    }
  }, 600_000);
});
