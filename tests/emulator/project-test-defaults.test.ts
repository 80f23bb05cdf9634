/**
 * `tests.defaults` in mapc.yaml (#18 item 9): what every case of every test file starts from.
 * A stub scripted there answers the cases whose Action calls the system (and no other
 * Action's); the file's defaults and the case win over it; event, secrets and now merge the
 * same way; a system no Action calls and a clock that is not a date are located in mapc.yaml.
 */
import { describe, expect, it } from 'vitest';
import { runMapc } from '../helpers/cli';
import { tempProject } from '../helpers/compiled';

const project = (tests: string) => `version: 1
claims_namespace: https://acme.example/
systems:
  risk:
    base_url: https://risk.example.com
    auth: { bearer: RISK_KEY }
  crm:
    base_url: https://crm.example.com
    auth: { bearer: CRM_KEY }
attributes:
  app_metadata.score: { owner: team-a, type: number }
${tests}`;

const DEFAULTS = `tests:
  defaults:
    now: 2024-06-01T12:00:00Z
    event:
      user: { app_metadata: { plan: gold } }
    secrets: { RISK_KEY: project-risk-key }
    systems:
      risk: [{ method: POST, path: /score, body: { score: 0.25 } }]
      crm: [{ method: POST, path: /contacts, body: { id: c-1 } }]
`;

const LOGIN = `version: 1
name: login
owner: team-a
trigger: post-login
lookups:
  risk:
    system: risk
    method: POST
    path: /score
    body: { plan: user.app_metadata.plan }
fields:
  - to: app_metadata.score
    from: risk.score
  - to: id_token.checked_at
    from: now()
`;

const SIGNUP = `version: 1
name: signup
owner: team-a
trigger: post-user-registration
sends:
  - system: crm
    method: POST
    path: /contacts
    body: { id: user.user_id }
`;

const LOGIN_TESTS = `spec: login
cases:
  - name: the project's risk stub, event, secret and clock
    expect:
      app_metadata: { score: 0.25 }
      id_token: { checked_at: "2024-06-01T12:00:00.000Z" }
      requests:
        - { system: risk, method: POST, headers: { authorization: Bearer project-risk-key }, body: { plan: gold } }
  - name: the case's stub wins
    systems:
      risk: [{ method: POST, path: /score, body: { score: 0.75 } }]
    expect:
      app_metadata: { score: 0.75 }
`;

const FILE_WINS = `spec: login
defaults:
  now: 2030-01-01T00:00:00Z
  secrets: { RISK_KEY: file-risk-key }
  systems:
    risk: [{ method: POST, path: /score, body: { score: 0.5 } }]
cases:
  - name: the file's defaults win over the project's
    expect:
      app_metadata: { score: 0.5 }
      id_token: { checked_at: "2030-01-01T00:00:00.000Z" }
      requests: [{ system: risk, headers: { authorization: Bearer file-risk-key } }]
`;

const SIGNUP_TESTS = `spec: signup
cases:
  - name: the project's crm stub answers; the risk stub is not this Action's
    expect:
      requests: [{ system: crm, method: POST }]
`;

describe('tests.defaults', () => {
  it('every case starts from it, under the file and the case', async () => {
    const dir = tempProject({
      'mappings/mapc.yaml': project(DEFAULTS),
      'mappings/login.yaml': LOGIN,
      'mappings/signup.yaml': SIGNUP,
      'mappings/login.test.yaml': LOGIN_TESTS,
      'mappings/login-file.test.yaml': FILE_WINS,
      'mappings/signup.test.yaml': SIGNUP_TESTS,
    });
    const r = await runMapc(['test'], dir);
    expect(r.stdout).toContain('4 passed, 0 failed');
    expect(r.code).toBe(0);
  });

  it('without it the same cases fail: the stubs answer 404', async () => {
    const dir = tempProject({
      'mappings/mapc.yaml': project(''),
      'mappings/login.yaml': LOGIN,
      'mappings/signup.yaml': SIGNUP,
      'mappings/login.test.yaml': LOGIN_TESTS,
    });
    const r = await runMapc(['test'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('1 passed, 1 failed');
  });

  it('a system no Action calls and a clock that is not a date are located in mapc.yaml', async () => {
    const dir = tempProject({
      'mappings/mapc.yaml': project(DEFAULTS.replace('now: 2024-06-01T12:00:00Z', 'now: 2024-13-01T12:00:00Z').replace('      crm:', '      rsik:')),
      'mappings/login.yaml': LOGIN,
      'mappings/login.test.yaml': LOGIN_TESTS,
    });
    const r = await runMapc(['validate'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("mappings/mapc.yaml:14:10: error MAPC1006: '2024-13-01T12:00:00Z' is not a real date-time");
    expect(r.stderr).toContain("mappings/mapc.yaml:20:7: error MAPC1002: system 'rsik' is scripted in tests.defaults, but no Action calls it");
    expect(r.stderr).toContain("hint: did you mean 'risk'?");
  });
});
