/**
 * The Auth0 Management API, as much as `mapc backfill` needs, over https only (a private CA is
 * trusted the Node way, `NODE_EXTRA_CA_CERTS`): a token by client credentials
 * (`POST /oauth/token`, audience `https://<domain>/api/v2/`), a users export job (`POST
 * /api/v2/jobs/users-exports`, `GET /api/v2/jobs/{id}` until `completed`, its `location`
 * downloaded as a stream), `GET` and `PATCH /api/v2/users/{id}`.
 *
 * Writes go through a `SlidingWindow` (./limiter.ts). A 429 holds every write until its
 * `X-RateLimit-Reset` (epoch seconds) or `Retry-After`; 5xx and network errors are retried with
 * exponential backoff and jitter. No error message carries the client secret, the token or a
 * response body.
 */
import * as https from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { SlidingWindow } from './limiter';

export interface Credentials {
  /** `host[:port]` (AUTH0_DOMAIN). */
  readonly domain: string;
  readonly clientId: string;
  readonly clientSecret: string;
}

export interface Response {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A failure of the API that retrying did not cure; `message` is safe to print. */
export class ManagementError extends Error {}

/** Most attempts of one write: 429s wait for the reset and do not count towards RETRIES. */
const MAX_ATTEMPTS_429 = 100;
/** Retries of a write after a 5xx or a network error. */
const RETRIES = 8;
const BACKOFF_BASE_MS = 250;
const BACKOFF_MAX_MS = 30_000;
/** Longest wait a 429 may ask for (a reset far away is a clock skew, not a plan). */
const MAX_429_WAIT_MS = 120_000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Exponential backoff with ±50% jitter: attempt 0 waits about BACKOFF_BASE_MS. */
export function backoffMs(attempt: number, base = BACKOFF_BASE_MS): number {
  return Math.min(BACKOFF_MAX_MS, base * 2 ** attempt) * (0.5 + Math.random());
}

/** How long a 429 asks to wait: `X-RateLimit-Reset` (epoch seconds), else `Retry-After` (seconds or a date), else null. */
export function retryWaitMs(headers: IncomingHttpHeaders, now = Date.now()): number | null {
  const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);
  const reset = Number(one(headers['x-ratelimit-reset']));
  if (Number.isFinite(reset) && reset > 0) return clamp(reset * 1000 - now);
  const after = one(headers['retry-after']);
  if (after !== undefined) {
    const secs = Number(after);
    if (Number.isFinite(secs)) return clamp(secs * 1000);
    const date = Date.parse(after);
    if (Number.isFinite(date)) return clamp(date - now);
  }
  return null;
}

const clamp = (ms: number): number => Math.max(0, Math.min(MAX_429_WAIT_MS, ms));

export class ManagementApi {
  private token: string | undefined;
  private readonly agent = new https.Agent({ keepAlive: true, maxSockets: 64 });

  constructor(
    private readonly creds: Credentials,
    readonly writes: SlidingWindow,
  ) {}

  private get origin(): string {
    return `https://${this.creds.domain}`;
  }

  /** One https request; rejects only on a network error. */
  private send(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
    return new Promise((resolve, reject) => {
      const data = body === undefined ? undefined : JSON.stringify(body);
      const req = https.request(
        url,
        {
          method,
          agent: this.agent,
          headers: { accept: 'application/json', ...(data !== undefined ? { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(data)) } : {}), ...headers },
          timeout: 60_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('timeout')));
      req.on('error', reject);
      req.end(data);
    });
  }

  /** A Management API token by client credentials (once; again after a 401). */
  async authenticate(): Promise<void> {
    let r: Response;
    try {
      r = await this.send('POST', `${this.origin}/oauth/token`, {
        grant_type: 'client_credentials',
        client_id: this.creds.clientId,
        client_secret: this.creds.clientSecret,
        audience: `${this.origin}/api/v2/`,
      });
    } catch (err) {
      throw new ManagementError(`cannot reach ${this.origin}/oauth/token: ${netText(err)}`);
    }
    let token: unknown;
    try {
      token = (JSON.parse(r.body) as { access_token?: unknown }).access_token;
    } catch {
      token = undefined;
    }
    if (r.status !== 200 || typeof token !== 'string' || token === '') {
      throw new ManagementError(`POST /oauth/token answered ${r.status}: check AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET, and that the application may use the Management API`);
    }
    this.token = token;
  }

  /** An API call with the token (fetched again once after a 401). Network errors reject. */
  async call(method: string, path: string, body?: unknown): Promise<Response> {
    if (this.token === undefined) await this.authenticate();
    let r = await this.send(method, `${this.origin}${path}`, body, { authorization: `Bearer ${this.token}` });
    if (r.status === 401) {
      await this.authenticate();
      r = await this.send(method, `${this.origin}${path}`, body, { authorization: `Bearer ${this.token}` });
    }
    return r;
  }

  /**
   * A call made within the write budget and retried until it is answered: every attempt takes a
   * slot; 429 waits for the reset; 5xx and network errors back off. The last answer, or a
   * ManagementError when even the network never answered.
   */
  async budgeted(method: string, path: string, body?: unknown): Promise<Response> {
    let failures = 0;
    for (let attempt = 0; attempt < MAX_ATTEMPTS_429 + RETRIES; attempt++) {
      const done = await this.writes.acquire();
      let r: Response | undefined;
      let netErr: unknown;
      try {
        r = await this.call(method, path, body);
      } catch (err) {
        // The token was refused: retrying cannot help.
        if (err instanceof ManagementError) throw err;
        netErr = err;
      } finally {
        done();
      }
      if (r && r.status === 429) {
        const wait = retryWaitMs(r.headers) ?? backoffMs(Math.min(failures, 6), 1000);
        // Every writer holds, not only this one: the budget is the tenant's.
        this.writes.pauseUntil(Date.now() + wait);
        continue;
      }
      if (r && r.status < 500) return r;
      if (failures >= RETRIES) {
        if (r) return r;
        throw new ManagementError(`${method} ${path.split('/').slice(0, 4).join('/')}/… failed: ${netText(netErr)}`);
      }
      await sleep(backoffMs(failures));
      failures++;
    }
    throw new ManagementError(`${method} kept answering 429 (${MAX_ATTEMPTS_429} times)`);
  }

  /** PATCH /api/v2/users/{id} with the changed top-level metadata keys. */
  patchUser(userId: string, body: Record<string, unknown>): Promise<Response> {
    return this.budgeted('PATCH', `/api/v2/users/${encodeURIComponent(userId)}`, body);
  }

  /** The user's metadata now (to tell whether a write whose answer was lost went through); null when not found. */
  async userMetadata(userId: string): Promise<{ app_metadata?: unknown; user_metadata?: unknown } | null> {
    const r = await this.budgeted('GET', `/api/v2/users/${encodeURIComponent(userId)}?fields=user_id%2Capp_metadata%2Cuser_metadata&include_fields=true`);
    if (r.status === 404) return null;
    if (r.status !== 200) throw new ManagementError(`GET /api/v2/users/{id} answered ${r.status}`);
    return JSON.parse(r.body) as { app_metadata?: unknown; user_metadata?: unknown };
  }

  /**
   * Starts a users export job with these profile fields and waits until it is completed; the
   * download as a stream (gzipped NDJSON) and its size when known. `onWait` hears each poll.
   */
  async exportUsers(fields: readonly string[], onWait?: (status: string) => void): Promise<{ stream: IncomingMessage; bytes: number | undefined }> {
    const body = { format: 'json', fields: fields.map((name) => ({ name })) };
    const created = await this.retried('POST', '/api/v2/jobs/users-exports', body);
    if (created.status !== 201 && created.status !== 200) throw new ManagementError(`POST /api/v2/jobs/users-exports answered ${created.status}: the application needs the read:users scope`);
    let job = JSON.parse(created.body) as { id?: unknown; status?: unknown; location?: unknown };
    if (typeof job.id !== 'string') throw new ManagementError('POST /api/v2/jobs/users-exports answered without a job id');
    const id = job.id;
    for (let i = 0; job.status !== 'completed'; i++) {
      if (job.status === 'failed') throw new ManagementError(`export job ${id} failed`);
      onWait?.(String(job.status));
      await sleep(Math.min(5000, 200 * 2 ** i));
      const r = await this.retried('GET', `/api/v2/jobs/${encodeURIComponent(id)}`);
      if (r.status !== 200) throw new ManagementError(`GET /api/v2/jobs/${id} answered ${r.status}`);
      job = JSON.parse(r.body) as typeof job;
    }
    if (typeof job.location !== 'string' || !job.location.startsWith('https://')) throw new ManagementError(`export job ${id} is completed but has no https location to download`);
    const location = job.location;
    // The location is a pre-signed URL: no Authorization header goes to it.
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      const req = https.get(location, { agent: this.agent }, resolve);
      req.on('error', reject);
    }).catch((err: unknown) => {
      throw new ManagementError(`cannot download export job ${id}: ${netText(err)}`);
    });
    if (res.statusCode !== 200) {
      res.resume();
      throw new ManagementError(`downloading export job ${id} answered ${res.statusCode}`);
    }
    const len = Number(res.headers['content-length']);
    return { stream: res, bytes: Number.isFinite(len) && len > 0 ? len : undefined };
  }

  /** A read retried on 429 (after the reset), 5xx and network errors; not within the write budget. */
  private async retried(method: string, path: string, body?: unknown): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      let r: Response | undefined;
      let netErr: unknown;
      try {
        r = await this.call(method, path, body);
      } catch (err) {
        if (err instanceof ManagementError) throw err;
        netErr = err;
      }
      if (r && r.status !== 429 && r.status < 500) return r;
      if (attempt >= RETRIES) {
        if (r) return r;
        throw new ManagementError(`${method} ${path} failed: ${netText(netErr)}`);
      }
      await sleep(r?.status === 429 ? (retryWaitMs(r.headers) ?? backoffMs(attempt, 1000)) : backoffMs(attempt));
    }
  }

  close(): void {
    this.agent.destroy();
  }
}

function netText(err: unknown): string {
  const e = err as NodeJS.ErrnoException | undefined;
  return e?.code ?? (err instanceof Error ? err.message.split('\n')[0]! : 'network error');
}
