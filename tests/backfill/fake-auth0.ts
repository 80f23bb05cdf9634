/**
 * A fake Auth0 for `mapc backfill`, on https://127.0.0.1 with the deploy tests' throwaway CA
 * (tests/deploy/tls.ts): the Management API's token endpoint, users export jobs (the download
 * is gzipped NDJSON made and streamed as it is sent, never built whole), GET and PATCH of
 * users (Auth0's top-level merge of app_metadata / user_metadata; a null value removes a key).
 *
 * It records what it observed: every PATCH that arrived whole, with the time it arrived
 * (`performance.now()` when its headers came in) and the status it answered, so tests assert
 * the server's view (the rate in any 1 s window, each user written once). `fault(n, id)` lets a
 * test answer the n-th PATCH (0-based, in arrival order) with a 429 or a 5xx instead.
 */
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { createGzip } from 'node:zlib';

export interface PatchSeen {
  readonly id: string;
  readonly at: number;
  readonly status: number;
  readonly body: Record<string, unknown>;
}

export interface Fault {
  readonly status: number;
  readonly headers?: Record<string, string>;
}

export interface FakeAuth0Options {
  readonly cert: string;
  readonly key: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The users of the tenant, by user_id (changed in place by PATCH). */
  readonly users: Map<string, Record<string, unknown>>;
  /** An answer instead of the normal one for the n-th PATCH, or undefined. */
  fault?: (n: number, id: string) => Fault | undefined;
  /** Ms to hold the answer to the n-th PATCH after applying it (an answer lost when the client dies meanwhile). */
  hold?: (n: number) => number;
}

export interface FakeAuth0 {
  readonly domain: string;
  readonly patches: PatchSeen[];
  /** Every request line (`METHOD /path`), in order. */
  readonly requests: string[];
  /** The `fields` of each export job created. */
  readonly exportFields: unknown[];
  readonly token: string;
  close(): Promise<void>;
}

export async function startFakeAuth0(o: FakeAuth0Options): Promise<FakeAuth0> {
  const token = 'fake-mgmt-token-7f3a9c';
  const patches: PatchSeen[] = [];
  const requests: string[] = [];
  const exportFields: unknown[] = [];
  const jobs = new Map<string, number>();
  let patchCount = 0;
  let port = 0;
  const json = (res: import('node:http').ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const server = https.createServer({ cert: o.cert, key: o.key }, (req, res) => {
    const arrived = performance.now();
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    requests.push(`${req.method} ${url.pathname}`);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: any = undefined;
      try {
        body = text === '' ? undefined : JSON.parse(text);
      } catch {
        body = text;
      }
      if (req.method === 'POST' && url.pathname === '/oauth/token') {
        if (body?.client_id !== o.clientId || body?.client_secret !== o.clientSecret || body?.audience !== `https://127.0.0.1:${port}/api/v2/`) return json(res, 401, { error: 'access_denied' });
        return json(res, 200, { access_token: token, token_type: 'Bearer', expires_in: 86400 });
      }
      if (url.pathname.startsWith('/download/')) {
        res.writeHead(200, { 'content-type': 'application/gzip' });
        const users = [...o.users.values()];
        async function* lines() {
          for (let i = 0; i < users.length; i += 200) yield users.slice(i, i + 200).map((u) => JSON.stringify(u) + '\n').join('');
        }
        Readable.from(lines()).pipe(createGzip()).pipe(res);
        return;
      }
      if (req.headers.authorization !== `Bearer ${token}`) return json(res, 401, { error: 'Unauthorized' });
      if (req.method === 'POST' && url.pathname === '/api/v2/jobs/users-exports') {
        const id = `job_${jobs.size + 1}`;
        jobs.set(id, 0);
        exportFields.push(body?.fields);
        return json(res, 201, { id, type: 'users_export', status: 'pending', format: body?.format });
      }
      const job = /^\/api\/v2\/jobs\/([^/]+)$/.exec(url.pathname);
      if (req.method === 'GET' && job) {
        const polls = (jobs.get(job[1]!) ?? 0) + 1;
        jobs.set(job[1]!, polls);
        if (polls < 2) return json(res, 200, { id: job[1], status: 'processing' });
        return json(res, 200, { id: job[1], status: 'completed', location: `https://127.0.0.1:${port}/download/${job[1]}.json.gz` });
      }
      const user = /^\/api\/v2\/users\/([^/]+)$/.exec(url.pathname);
      if (user) {
        const id = decodeURIComponent(user[1]!);
        const u = o.users.get(id);
        if (req.method === 'GET') return u ? json(res, 200, { user_id: id, app_metadata: u['app_metadata'] ?? {}, user_metadata: u['user_metadata'] ?? {} }) : json(res, 404, {});
        if (req.method === 'PATCH') {
          const n = patchCount++;
          const f = o.fault?.(n, id);
          if (f) {
            patches.push({ id, at: arrived, status: f.status, body });
            return json(res, f.status, { error: 'fault' }, f.headers);
          }
          if (!u) {
            patches.push({ id, at: arrived, status: 404, body });
            return json(res, 404, { error: 'Not Found' });
          }
          for (const kind of ['app_metadata', 'user_metadata']) {
            if (body?.[kind] === undefined) continue;
            const merged: Record<string, unknown> = { ...((u[kind] as Record<string, unknown>) ?? {}) };
            for (const [k, v] of Object.entries(body[kind] as Record<string, unknown>)) {
              if (v === null) delete merged[k];
              else merged[k] = v;
            }
            u[kind] = merged;
          }
          patches.push({ id, at: arrived, status: 200, body });
          const wait = o.hold?.(n) ?? 0;
          if (wait > 0) {
            setTimeout(() => json(res, 200, u), wait);
            return;
          }
          return json(res, 200, u);
        }
      }
      json(res, 404, { error: 'Not Found' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  return {
    domain: `127.0.0.1:${port}`,
    patches,
    requests,
    exportFields,
    token,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
