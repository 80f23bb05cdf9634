/**
 * Per-route credentials (#18 item 6): a routed system's route may carry its own `auth`, so each
 * tenant's CRM gets its own secret. The generated Action, loaded as Auth0 loads it, sends each
 * route's credential to that route's server (real sockets, stub listeners per base URL), the
 * system's auth for routes without their own and for the default; a missing route secret fails
 * that call only (no_secret), never falling back to another tenant's key. The compiler lists
 * the route secrets as the Action's, checks them like any secret name, and refuses a spec
 * header that would overwrite a route's auth header.
 */
import { describe, expect, it } from 'vitest';
import { compileFiles, compileOrThrow, runCompiled, tempProject } from '../helpers/compiled';

const PROJECT = `version: 1
claims_namespace: https://acme.example/
systems:
  crm:
    base_url:
      by: user.app_metadata.tenant
      routes:
        acme: { url: https://acme.crm.example, auth: { bearer: ACME_CRM_KEY } }
        globex: { url: https://globex.crm.example, auth: { header: X-Api-Key, secret: GLOBEX_CRM_KEY } }
        initech: https://initech.crm.example
      default: https://shared.crm.example
    auth: { bearer: SHARED_CRM_KEY }
    owner: team-crm
attributes:
  app_metadata.crm_id: { owner: team-crm, type: string }
`;

const SPEC = `version: 1
name: crm
owner: team-crm
trigger: post-login
lookups:
  contact:
    system: crm
    method: GET
    path: /contacts/{{user.user_id}}
fields:
  - to: app_metadata.crm_id
    from: contact.id
`;

const SECRETS = { ACME_CRM_KEY: 'acme-key', GLOBEX_CRM_KEY: 'globex-key', SHARED_CRM_KEY: 'shared-key' };
const answer = { crm: [{ method: 'GET' as const, body: { id: 'c-1' } }] };

async function project() {
  const dir = tempProject({ 'mappings/mapc.yaml': PROJECT, 'mappings/crm.yaml': SPEC });
  return compileOrThrow('mappings', dir);
}

describe('per-route credentials', () => {
  it("sends each route's own credential to its server, and the system's for the others", async () => {
    const compiled = await project();
    const cases: [string, string, Record<string, string | undefined>][] = [
      ['acme', 'https://acme.crm.example', { authorization: 'Bearer acme-key', 'x-api-key': undefined }],
      ['globex', 'https://globex.crm.example', { authorization: undefined, 'x-api-key': 'globex-key' }],
      ['initech', 'https://initech.crm.example', { authorization: 'Bearer shared-key' }],
      ['unknown', 'https://shared.crm.example', { authorization: 'Bearer shared-key' }],
    ];
    for (const [tenant, base, headers] of cases) {
      const r = await runCompiled(compiled, 'mapc-post-login', { event: { user: { app_metadata: { tenant } } }, secrets: SECRETS, scripts: answer });
      expect(r.threw).toBeUndefined();
      expect(r.requests.map((q) => q.base), tenant).toEqual([base]);
      for (const [h, v] of Object.entries(headers)) expect(r.requests[0]!.headers[h], `${tenant} ${h}`).toBe(v);
      expect(r.appMetadata['crm_id']).toBe('c-1');
    }
  });

  it("a route whose secret is missing makes no call (never another tenant's key); the others still work", async () => {
    const compiled = await project();
    const { ACME_CRM_KEY: _, ...withoutAcme } = SECRETS;
    const acme = await runCompiled(compiled, 'mapc-post-login', { event: { user: { app_metadata: { tenant: 'acme' } } }, secrets: withoutAcme, scripts: answer });
    expect(acme.threw).toBeUndefined();
    expect(acme.requests).toEqual([]);
    expect(acme.logs.join('\n')).toContain('"status":"no_secret"');
    expect(acme.appMetadata).not.toHaveProperty('crm_id');
    const initech = await runCompiled(compiled, 'mapc-post-login', { event: { user: { app_metadata: { tenant: 'initech' } } }, secrets: withoutAcme, scripts: answer });
    expect(initech.requests.map((q) => q.headers['authorization'])).toEqual(['Bearer shared-key']);
  });

  it("lists route secrets as the Action's, and checks them and their headers like the system's", async () => {
    const compiled = await project();
    const action = compiled.program.actions.find((a) => a.name === 'mapc-post-login')!;
    expect(action.secrets).toEqual(['ACME_CRM_KEY', 'GLOBEX_CRM_KEY', 'SHARED_CRM_KEY']);
    expect(compiled.code.get('mapc-post-login')).toContain(' * Secrets: ACME_CRM_KEY, GLOBEX_CRM_KEY, SHARED_CRM_KEY');
    for (const secret of Object.values(SECRETS)) expect(compiled.code.get('mapc-post-login')).not.toContain(secret);

    const bad = await compileFiles({ 'mappings/mapc.yaml': PROJECT.replace('bearer: ACME_CRM_KEY', 'bearer: acme-crm-key'), 'mappings/crm.yaml': SPEC });
    expect(bad.result).toBeNull();
    expect(bad.diagnostics.map((x) => [x.code, x.message, x.span?.file.path])).toEqual([
      ['MAPC0205', "'acme-crm-key' is not valid in 'base_url.routes.acme.auth.bearer' of system 'crm': expected a secret name made of letters, digits and _ (such as CRM_API_KEY)", 'mappings/mapc.yaml'],
    ]);

    const h = await compileFiles({
      'mappings/mapc.yaml': PROJECT,
      'mappings/crm.yaml': SPEC.replace('    path: /contacts/{{user.user_id}}', "    path: /contacts/{{user.user_id}}\n    headers: { X-Api-Key: \"'spoofed'\" }"),
    });
    expect(h.result).toBeNull();
    expect(h.diagnostics.map((x) => [x.code, x.message])).toContainEqual(['MAPC0416', "the X-Api-Key header is the one system 'crm' sends its credential in"]);
  });
});
