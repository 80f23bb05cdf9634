/**
 * The bundled artifact, executed: emit + bundle (with the real runtime/) a hand-built Action,
 * load code.js as CommonJS, and run its handler against a fake post-login `api` and real HTTP
 * servers on 127.0.0.1.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { emitAction } from '../../compiler/emit';
import { bundleAction } from '../../compiler/bundle';
import type { ActionIR } from '../../compiler/ir/types';
import { action, bin, call, ex, lit, loadBundle, p, spec, tmpl, val } from './helpers';
import { fakeApi } from '../runtime/helpers';

interface Seen {
  method: string;
  url: string;
  auth: string | undefined;
  idem: string | undefined;
  body: string;
}

let server: http.Server;
let base = '';
const seen: Seen[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({
        method: req.method!,
        url: req.url!,
        auth: req.headers.authorization,
        idem: req.headers['idempotency-key'] as string | undefined,
        body,
      });
      res.setHeader('content-type', 'application/json');
      if (req.method === 'GET' && req.url === '/billing/users/auth0%7C1/subscription') res.end('{"tier":"premium"}');
      else if (req.method === 'POST' && req.url === '/crm/contacts?source=mapc') res.end('{"id":"c-9"}');
      else {
        res.statusCode = 404;
        res.end('{}');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function e2eAction(base: string): ActionIR {
  return action(
    [
      spec({
        name: 'billing',
        owner: 'team-billing',
        lookups: [
          {
            name: 'sub',
            after: [],
            system: 'billing',
            method: 'GET',
            path: tmpl('/users/', p('user.user_id'), '/subscription'),
            query: [],
            headers: [],
            timeoutMs: 2000,
            retries: 0,
            onError: 'continue',
          },
        ],
        fields: [
          { target: { kind: 'app_metadata', path: ['tier'] }, value: ex(p('sub.tier')), transforms: [], clear: false, owner: 'team-billing' },
          {
            target: { kind: 'id_token', claim: 'https://acme.example/tier' },
            value: ex(p('sub.tier')),
            transforms: [{ fn: 'upper', args: [] }],
            clear: false,
            owner: 'team-billing',
          },
        ],
        access: [{ when: bin('==', p('user.app_metadata.blocked'), lit(true)), action: { kind: 'deny', message: 'Blocked ##CRM_KEY##.' } }],
      }),
      spec({
        name: 'crm',
        owner: 'team-crm',
        sends: [
          {
            owner: 'team-crm',
            system: 'crm',
            method: 'POST',
            path: tmpl('/contacts'),
            query: [['source', val('mapc')]],
            headers: [],
            body: { kind: 'object', entries: [['id', ex(p('user.user_id'))], ['email', ex(call('lower', p('user.email')))]] },
            idempotencyKey: tmpl('c-', p('user.user_id')),
            timeoutMs: 2000,
            retries: 0,
            onError: 'continue',
            store: [{ target: { kind: 'app_metadata', path: ['crm_id'] }, value: ex(p('response.id')) }],
          },
        ],
      }),
    ],
    {
      systems: [
        { name: 'billing', baseUrl: { kind: 'secret', secret: 'BILLING_URL' }, auth: { kind: 'bearer', secret: 'BILLING_KEY' }, hosts: [] },
        {
          name: 'crm',
          baseUrl: { kind: 'routed', by: p('tenant.id'), routes: [['t1', `${base}/crm`]], default: 'https://nowhere.invalid' },
          auth: { kind: 'none' },
          hosts: [],
        },
      ],
      secrets: ['BILLING_KEY', 'BILLING_URL'],
    },
  );
}

describe('bundled Action end to end (real runtime, 127.0.0.1)', () => {
  let handler: (event: unknown, api: unknown) => Promise<void>;

  beforeAll(async () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const a = e2eAction(base);
    const r = await bundleAction(emitAction(a), a.name);
    if ('diagnostics' in r) throw new Error(JSON.stringify(r.diagnostics));
    expect(r.code).not.toMatch(/##|@@/);
    handler = loadBundle(r.code)['onExecutePostLogin'];
  });

  it('performs the lookup and the send, and applies the writes through the api', async () => {
    seen.length = 0;
    const event = {
      user: { user_id: 'auth0|1', email: 'Ann@Example.com', app_metadata: {} },
      tenant: { id: 't1' },
      secrets: { BILLING_URL: `${base}/billing`, BILLING_KEY: 'k1' },
    };
    const { api, calls } = fakeApi({}, event);
    await handler(event, api);
    expect(seen.map((s) => [s.method, s.url, s.auth ?? null, s.idem ?? null])).toEqual([
      ['GET', '/billing/users/auth0%7C1/subscription', 'Bearer k1', null],
      ['POST', '/crm/contacts?source=mapc', null, 'c-auth0|1'],
    ]);
    expect(JSON.parse(seen[1]!.body)).toEqual({ id: 'auth0|1', email: 'ann@example.com' });
    expect(calls.sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)))).toEqual([
      ['idToken.setCustomClaim', 'https://acme.example/tier', 'PREMIUM'],
      ['user.setAppMetadata', 'crm_id', 'c-9'],
      ['user.setAppMetadata', 'tier', 'premium'],
    ]);
  });

  it('denies with the exact message a user wrote, keyword markers included', async () => {
    seen.length = 0;
    const event = {
      user: { user_id: 'auth0|1', email: 'a@b.c', app_metadata: { blocked: true } },
      tenant: { id: 'other' },
      secrets: { BILLING_URL: `${base}/billing`, BILLING_KEY: 'k1' },
    };
    const { api, calls } = fakeApi({}, event);
    await handler(event, api);
    expect(calls.filter((c) => c[0] === 'access.deny')).toEqual([['access.deny', 'Blocked ##CRM_KEY##.']]);
    // After a deny, sends are skipped.
    expect(seen.map((s) => s.method)).toEqual(['GET']);
  });
});
