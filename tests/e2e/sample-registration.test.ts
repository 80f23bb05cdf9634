/**
 * Executes the sample organisation's registration Actions (bundled code, Auth0-like api,
 * stub systems on 127.0.0.1).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Compiled } from '../../compiler/pipeline';
import { compileOrThrow, runCompiled } from '../helpers/compiled';

let compiled: Compiled;
beforeAll(async () => {
  compiled = await compileOrThrow('mappings');
});

describe('sample pre-user-registration Action (marketing consent)', () => {
  it('captures an explicit opt-in with its timestamp', async () => {
    const out = await runCompiled(compiled, 'mapc-pre-user-registration', {
      event: { request: { body: { marketing_consent: 'true' } } },
    });
    expect(out.threw).toBeUndefined();
    expect(out.record.access).toEqual({ kind: 'allow' });
    expect(out.userMetadata['marketing_consent']).toBe(true);
    expect(Number.isNaN(Date.parse(String(out.userMetadata['marketing_consent_at'])))).toBe(false);
    expect(out.requests).toEqual([]);
  });

  it('records no consent (false) when the box was not ticked, and no timestamp', async () => {
    const out = await runCompiled(compiled, 'mapc-pre-user-registration', { event: { request: { body: {} } } });
    expect(out.userMetadata).toEqual({ marketing_consent: false });
    expect(out.record.userMetadataCalls).toEqual([['marketing_consent', false]]);
  });

  it('treats a value it cannot convert as no consent', async () => {
    const out = await runCompiled(compiled, 'mapc-pre-user-registration', {
      event: { request: { body: { marketing_consent: { nested: 'yes' } } } },
    });
    expect(out.threw).toBeUndefined();
    expect(out.userMetadata).toEqual({ marketing_consent: false });
  });
});

describe('sample post-user-registration Action (CRM contact)', () => {
  const contact = { method: 'POST', path: '/contacts', status: 201, body: { id: 'C-1' } };

  it('creates the CRM contact with an idempotency key and writes nothing to the profile', async () => {
    const out = await runCompiled(compiled, 'mapc-post-user-registration', {
      secrets: { CRM_API_KEY: 'k' },
      scripts: { crm: [contact] },
    });
    expect(out.threw).toBeUndefined();
    expect(out.requests).toHaveLength(1);
    const r = out.requests[0]!;
    expect(r.method).toBe('POST');
    expect(r.path).toBe('/contacts');
    expect(r.headers['idempotency-key']).toBe('registration-auth0|5f7c8ec7c33c6c004bbafe82');
    expect(r.headers['authorization']).toBe('Bearer k');
    expect(r.headers['content-type']).toMatch(/^application\/json/);
    expect(r.body).toEqual({
      external_id: 'auth0|5f7c8ec7c33c6c004bbafe82',
      email: 'jane.doe@example.com',
      first_name: 'Jane',
      last_name: 'Doe',
      registered_at: '2024-01-15T10:00:00.000Z',
      source: 'Auth0 Registration',
    });
    // post-user-registration offers no api.user: nothing may be written.
    expect(out.record.calls.filter((c) => c.startsWith('api.user'))).toEqual([]);
  });

  it('retries a 502 (POST with an idempotency key) and never throws to Auth0 when the CRM stays down', async () => {
    const out = await runCompiled(compiled, 'mapc-post-user-registration', {
      secrets: { CRM_API_KEY: 'k' },
      scripts: { crm: [{ path: '/contacts', status: 502 }, { path: '/contacts', status: 502 }] },
    });
    expect(out.threw).toBeUndefined();
    expect(out.requests).toHaveLength(2);
    expect(out.logs.some((l) => l.includes('crm'))).toBe(true);
  });

  it('does not call the CRM unauthenticated when its secret is missing, and logs why', async () => {
    const out = await runCompiled(compiled, 'mapc-post-user-registration', { scripts: { crm: [contact] } });
    expect(out.threw).toBeUndefined();
    expect(out.requests).toEqual([]);
    expect(out.logs.join('\n')).toContain('"status":"no_secret"');
  });
});
