/**
 * A fake Auth0 Management API on https://127.0.0.1:<port>, faithful enough for the real Deploy
 * CLI (auth0-deploy-cli 8.44, SDK auth0 6.x) to import Actions and trigger bindings into it.
 * It keeps a small tenant in memory and records every request it receives, so tests assert
 * what the CLI actually sent rather than what it logged.
 *
 * Served: POST /oauth/token; GET /api/v2/clients (empty, for --dry-run); GET /api/v2/actions/modules; GET/POST /api/v2/actions/actions;
 * GET/PATCH/DELETE /api/v2/actions/actions/{id}; POST /api/v2/actions/actions/{id}/deploy;
 * GET /api/v2/actions/triggers; GET/PATCH /api/v2/actions/triggers/{trigger}/bindings.
 * Anything else is a 404 that stays in `calls`, so an unexpected call shows in a failed test.
 * Like the real API, binding an Action needs the Action to exist and to have been deployed.
 */
import { randomUUID } from 'node:crypto';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';

/** One request as received. `body` is the parsed JSON body (or the raw text if not JSON). */
export interface Call {
  readonly method: string;
  readonly path: string;
  readonly query: Record<string, string>;
  readonly body: unknown;
  readonly status: number;
}

/** An Action as the fake stores it; secret values are kept so tests can check them. */
export interface FakeAction {
  id: string;
  name: string;
  code: string;
  runtime: string;
  dependencies: unknown[];
  secrets: { name: string; value: string }[];
  supported_triggers: { id: string; version: string }[];
  status: 'built';
  deployedVersions: number;
  /** Marketplace Actions carry an integration; the CLI never deletes or edits them. */
  integration?: { id: string; name: string };
}

export interface FakeTenant {
  readonly actions: FakeAction[];
  /** Bindings per trigger: Action names in execution order. */
  readonly bindings: Map<string, { actionName: string; displayName: string }[]>;
}

export interface FakeManagementApi {
  readonly port: number;
  /** `127.0.0.1:<port>`, the AUTH0_DOMAIN of the Deploy CLI config. */
  readonly domain: string;
  readonly calls: Call[];
  readonly tenant: FakeTenant;
  close(): Promise<void>;
}

export const TOKEN = 'fake-management-api-token';
/** Trigger ids the fake offers in GET /actions/triggers. */
const TRIGGERS = ['post-login', 'credentials-exchange', 'pre-user-registration', 'post-user-registration', 'post-change-password', 'send-phone-message'];

export interface FakeOptions {
  readonly cert: string;
  readonly key: string;
  /** Actions already in the tenant (e.g. hand-written or marketplace ones), deployed. */
  readonly existing?: readonly ExistingAction[];
}

/** An Action not made by mapc that the tenant already has, deployed. */
export interface ExistingAction {
  readonly name: string;
  readonly trigger: string;
  readonly version?: string;
  readonly integration?: { id: string; name: string };
}

/** Starts the fake on 127.0.0.1 and a free port. */
export async function startFakeManagementApi(opts: FakeOptions): Promise<FakeManagementApi> {
  const tenant: FakeTenant = { actions: [], bindings: new Map() };
  for (const e of opts.existing ?? []) {
    tenant.actions.push({
      id: randomUUID(),
      name: e.name,
      code: 'exports.onExecutePostLogin = async () => {};',
      runtime: 'node22',
      dependencies: [],
      secrets: [],
      supported_triggers: [{ id: e.trigger, version: e.version ?? 'v3' }],
      status: 'built',
      deployedVersions: 1,
      ...(e.integration ? { integration: e.integration } : {}),
    });
  }
  const calls: Call[] = [];

  const server = https.createServer({ cert: opts.cert, key: opts.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text === '' ? undefined : text;
      const contentType = String(req.headers['content-type'] ?? '');
      if (text !== '' && contentType.includes('application/json')) {
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
      } else if (text !== '' && contentType.includes('application/x-www-form-urlencoded')) {
        body = Object.fromEntries(new URLSearchParams(text));
      }
      const method = req.method ?? 'GET';
      const { status, json } = route(tenant, method, url.pathname, url.searchParams, body, String(req.headers.authorization ?? ''));
      calls.push({ method, path: url.pathname, query: Object.fromEntries(url.searchParams), body, status });
      if (status === 204) {
        res.writeHead(204);
        res.end();
        return;
      }
      const out = JSON.stringify(json);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) });
      res.end(out);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    domain: `127.0.0.1:${port}`,
    calls,
    tenant,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Reply {
  readonly status: number;
  readonly json: unknown;
}

function error(status: number, message: string, errorCode?: string): Reply {
  const names: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 404: 'Not Found', 409: 'Conflict' };
  return { status, json: { statusCode: status, error: names[status] ?? 'Error', message, ...(errorCode ? { errorCode } : {}) } };
}

/** The public view of an Action: secrets without values, as the real API returns them. */
function view(a: FakeAction): unknown {
  return {
    id: a.id,
    name: a.name,
    supported_triggers: a.supported_triggers,
    code: a.code,
    dependencies: a.dependencies,
    runtime: a.runtime,
    secrets: a.secrets.map((s) => ({ name: s.name, updated_at: '2026-01-01T00:00:00.000Z' })),
    status: a.status,
    all_changes_deployed: a.deployedVersions > 0,
    created_at: '2026-01-01T00:00:00.000Z',
    updated_at: '2026-01-01T00:00:00.000Z',
    ...(a.integration ? { integration: a.integration } : {}),
  };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function route(
  tenant: FakeTenant,
  method: string,
  pathname: string,
  query: URLSearchParams,
  body: unknown,
  authorization: string,
): Reply {
  if (method === 'POST' && pathname === '/oauth/token') {
    if (!isObject(body) || body['grant_type'] !== 'client_credentials') return error(400, 'unsupported grant');
    return { status: 200, json: { access_token: TOKEN, expires_in: 86400, token_type: 'Bearer', scope: 'read:actions update:actions create:actions' } };
  }
  if (!pathname.startsWith('/api/v2/')) return error(404, 'Not Found');
  if (authorization !== `Bearer ${TOKEN}`) return error(401, 'Invalid token');
  const parts = pathname.slice('/api/v2/'.length).split('/').map(decodeURIComponent);

  // A dry run lists the tenant's applications first (to resolve client names); none here.
  if (parts[0] === 'clients' && parts.length === 1 && method === 'GET') {
    return { status: 200, json: { clients: [], total: 0, start: 0, limit: Number(query.get('per_page') ?? 50) } };
  }
  if (parts[0] !== 'actions') return error(404, 'Not Found');
  if (parts[1] === 'modules' && parts.length === 2 && method === 'GET') {
    return { status: 200, json: { modules: [], total: 0, page: 0, per_page: Number(query.get('per_page') ?? 50) } };
  }
  if (parts[1] === 'actions') {
    if (parts.length === 2 && method === 'GET') return listActions(tenant, query);
    if (parts.length === 2 && method === 'POST') return createAction(tenant, body);
    const action = tenant.actions.find((a) => a.id === parts[2]);
    if (!action) return error(404, 'That action does not exist.');
    if (parts.length === 3 && method === 'GET') return { status: 200, json: view(action) };
    if (parts.length === 3 && method === 'PATCH') return updateAction(action, body);
    if (parts.length === 3 && method === 'DELETE') {
      tenant.actions.splice(tenant.actions.indexOf(action), 1);
      for (const [trigger, list] of tenant.bindings) tenant.bindings.set(trigger, list.filter((b) => b.actionName !== action.name));
      return { status: 204, json: {} };
    }
    if (parts.length === 4 && parts[3] === 'deploy' && method === 'POST') {
      action.deployedVersions += 1;
      return {
        status: 200,
        json: {
          id: randomUUID(),
          action_id: action.id,
          code: action.code,
          dependencies: action.dependencies,
          deployed: true,
          number: action.deployedVersions,
          runtime: action.runtime,
          secrets: action.secrets.map((s) => ({ name: s.name })),
          status: 'built',
          supported_triggers: action.supported_triggers,
          action: { id: action.id, name: action.name, supported_triggers: action.supported_triggers },
        },
      };
    }
    return error(404, 'Not Found');
  }
  if (parts[1] === 'triggers') {
    if (parts.length === 2 && method === 'GET') {
      return { status: 200, json: { triggers: TRIGGERS.map((id) => ({ id, version: 'v1', status: 'CURRENT' })) } };
    }
    if (parts.length === 4 && parts[3] === 'bindings' && TRIGGERS.includes(parts[2]!)) {
      const trigger = parts[2]!;
      if (method === 'GET') {
        const list = bindingsView(tenant, trigger);
        return { status: 200, json: { bindings: list, total: list.length, page: 0, per_page: 50 } };
      }
      if (method === 'PATCH') return updateBindings(tenant, trigger, body);
    }
  }
  return error(404, 'Not Found');
}

function listActions(tenant: FakeTenant, query: URLSearchParams): Reply {
  const perPage = Number(query.get('per_page') ?? 50);
  const page = Number(query.get('page') ?? 0);
  const slice = tenant.actions.slice(page * perPage, (page + 1) * perPage);
  return { status: 200, json: { actions: slice.map(view), total: tenant.actions.length, page, per_page: perPage } };
}

const CREATE_FIELDS = new Set(['name', 'supported_triggers', 'code', 'dependencies', 'runtime', 'secrets', 'modules']);

function createAction(tenant: FakeTenant, body: unknown): Reply {
  if (!isObject(body)) return error(400, 'Payload validation error: body must be an object');
  const extra = Object.keys(body).filter((k) => !CREATE_FIELDS.has(k));
  if (extra.length > 0) return error(400, `Payload validation error: 'Additional properties not allowed: ${extra.join(',')}'`);
  if (typeof body['name'] !== 'string' || !Array.isArray(body['supported_triggers'])) {
    return error(400, "Payload validation error: 'Missing required property: name or supported_triggers'");
  }
  if (tenant.actions.some((a) => a.name === body['name'])) return error(409, 'An action with this name already exists.');
  const action: FakeAction = {
    id: randomUUID(),
    name: body['name'],
    code: typeof body['code'] === 'string' ? body['code'] : '',
    runtime: typeof body['runtime'] === 'string' ? body['runtime'] : 'node22',
    dependencies: Array.isArray(body['dependencies']) ? body['dependencies'] : [],
    secrets: secretsOf(body['secrets']),
    supported_triggers: body['supported_triggers'] as FakeAction['supported_triggers'],
    status: 'built',
    deployedVersions: 0,
  };
  tenant.actions.push(action);
  return { status: 201, json: view(action) };
}

function updateAction(action: FakeAction, body: unknown): Reply {
  if (!isObject(body)) return error(400, 'Payload validation error: body must be an object');
  if (action.integration) return error(400, 'Marketplace actions cannot be updated.');
  const extra = Object.keys(body).filter((k) => !CREATE_FIELDS.has(k));
  if (extra.length > 0) return error(400, `Payload validation error: 'Additional properties not allowed: ${extra.join(',')}'`);
  if (typeof body['name'] === 'string') action.name = body['name'];
  if (typeof body['code'] === 'string') action.code = body['code'];
  if (typeof body['runtime'] === 'string') action.runtime = body['runtime'];
  if (Array.isArray(body['dependencies'])) action.dependencies = body['dependencies'];
  if (Array.isArray(body['supported_triggers'])) action.supported_triggers = body['supported_triggers'] as FakeAction['supported_triggers'];
  if (body['secrets'] !== undefined) action.secrets = secretsOf(body['secrets']);
  return { status: 200, json: view(action) };
}

function secretsOf(v: unknown): FakeAction['secrets'] {
  if (!Array.isArray(v)) return [];
  return v.filter(isObject).map((s) => ({ name: String(s['name']), value: String(s['value']) }));
}

function bindingsView(tenant: FakeTenant, trigger: string): unknown[] {
  return (tenant.bindings.get(trigger) ?? []).map((b, i) => {
    const a = tenant.actions.find((x) => x.name === b.actionName)!;
    return {
      id: `binding-${trigger}-${i}`,
      trigger_id: trigger,
      display_name: b.displayName,
      action: { id: a.id, name: a.name, supported_triggers: a.supported_triggers },
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
    };
  });
}

function updateBindings(tenant: FakeTenant, trigger: string, body: unknown): Reply {
  if (!isObject(body) || !Array.isArray(body['bindings'])) return error(400, "Payload validation error: 'bindings' is required");
  const next: { actionName: string; displayName: string }[] = [];
  for (const b of body['bindings'] as unknown[]) {
    if (!isObject(b) || !isObject(b['ref'])) return error(400, 'Payload validation error: binding needs a ref');
    const ref = b['ref'];
    const action =
      ref['type'] === 'action_name'
        ? tenant.actions.find((a) => a.name === ref['value'])
        : ref['type'] === 'action_id'
          ? tenant.actions.find((a) => a.id === ref['value'])
          : undefined;
    if (!action) return error(404, `That action does not exist: ${String(ref['value'])}`);
    if (action.deployedVersions === 0) return error(400, `Action ${action.name} must be deployed before it can be bound.`);
    if (!action.supported_triggers.some((t) => t.id === trigger)) {
      return error(400, `Action ${action.name} does not support the trigger ${trigger}.`);
    }
    next.push({ actionName: action.name, displayName: typeof b['display_name'] === 'string' ? b['display_name'] : action.name });
  }
  tenant.bindings.set(trigger, next);
  return { status: 200, json: { bindings: bindingsView(tenant, trigger) } };
}
