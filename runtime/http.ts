/**
 * One external call (SPEC 3) over the global `fetch`: a per-attempt timeout capped by the
 * run's deadline, retries with exponential backoff and jitter, a response size cap, soft JSON
 * parsing, and no redirects. Never throws: every failure is an outcome with a reason.
 */

/** A fully built request. */
export interface HttpCall {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
  readonly timeoutMs: number;
  /** Further attempts after the first. */
  readonly retries: number;
  /** GET/PUT/DELETE or a request with an idempotency key: only these are retried. */
  readonly idempotent: boolean;
  /** Epoch ms after which no attempt starts or continues. */
  readonly deadlineAt: number;
  readonly maxBytes: number;
  /** Backoff base (default BACKOFF_BASE_MS). */
  readonly backoffMs?: number;
}

/**
 * `status` is the HTTP status, or why no usable response came: `timeout`, `deadline`,
 * `network`, `too_large`, `invalid_json`.
 */
export type HttpOutcome =
  | { readonly ok: true; readonly status: number; readonly data: unknown; readonly attempts: number }
  | { readonly ok: false; readonly status: number | string; readonly attempts: number };

interface Attempt {
  ok: boolean;
  status: number | string;
  data?: unknown;
  retryable: boolean;
  /** From `Retry-After` on a 429, in ms. */
  retryAfterMs?: number;
}

/** Base of the exponential backoff: attempt n waits about BASE·2ⁿ ms (with jitter). */
export const BACKOFF_BASE_MS = 100;

/** `Retry-After` as milliseconds from now: delta-seconds or an HTTP date; undefined if absent or unparseable. */
export function parseRetryAfter(h: string | null, now = Date.now()): number | undefined {
  if (h == null || h.trim() === '') return undefined;
  const v = h.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isFinite(t) ? Math.max(0, t - now) : undefined;
}

const retryableStatus = (s: number): boolean => s === 408 || s === 429 || s >= 500;

async function attempt(c: HttpCall, timeoutMs: number, cappedByDeadline: boolean): Promise<Attempt> {
  const ac = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ac.abort();
  }, timeoutMs);
  try {
    const res = await fetch(c.url, {
      method: c.method,
      headers: c.headers,
      ...(c.body !== undefined ? { body: c.body } : {}),
      // A 3xx is a failure: following it could reach a host the spec does not name.
      redirect: 'manual',
      signal: ac.signal,
    });
    if (res.status < 200 || res.status > 299) {
      // Release the connection without reading the body.
      await res.body?.cancel().catch(() => undefined);
      return {
        ok: false,
        status: res.status,
        retryable: retryableStatus(res.status),
        ...(res.status === 429 ? { retryAfterMs: parseRetryAfter(res.headers.get('retry-after')) } : {}),
      };
    }
    const declared = Number(res.headers.get('content-length'));
    if (declared > c.maxBytes) {
      ac.abort();
      return { ok: false, status: 'too_large', retryable: false };
    }
    const chunks: Uint8Array[] = [];
    let size = 0;
    if (res.body) {
      const reader = res.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > c.maxBytes) {
          ac.abort();
          return { ok: false, status: 'too_large', retryable: false };
        }
        chunks.push(value);
      }
    }
    const bytes = new Uint8Array(size);
    let at = 0;
    for (const ch of chunks) {
      bytes.set(ch, at);
      at += ch.byteLength;
    }
    const body = new TextDecoder().decode(bytes);
    // An empty body (204, or a send that returns nothing) is a success without data.
    if (body.trim() === '') return { ok: true, status: res.status, data: null, retryable: false };
    try {
      return { ok: true, status: res.status, data: JSON.parse(body), retryable: false };
    } catch {
      return { ok: false, status: 'invalid_json', retryable: false };
    }
  } catch {
    // Aborted by our timer, refused, reset, DNS...: all count as network errors for retries.
    return { ok: false, status: timedOut ? (cappedByDeadline ? 'deadline' : 'timeout') : 'network', retryable: true };
  } finally {
    clearTimeout(timer);
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Performs the call with its retry policy: retried only when idempotent, only on network
 * errors, timeouts, 408, 429 and 5xx, after `BACKOFF_BASE_MS·2ⁿ` ms with ±50% jitter, or after
 * a 429's `Retry-After` when that still fits the deadline. No attempt and no wait goes past
 * `deadlineAt`.
 */
export async function request(c: HttpCall): Promise<HttpOutcome> {
  for (let i = 0; ; i++) {
    const remaining = c.deadlineAt - Date.now();
    if (remaining <= 0) return { ok: false, status: 'deadline', attempts: i };
    const capped = remaining < c.timeoutMs;
    const r = await attempt(c, capped ? remaining : c.timeoutMs, capped);
    const done = r.ok || !r.retryable || !c.idempotent || i >= c.retries;
    if (done) {
      return r.ok
        ? { ok: true, status: r.status as number, data: r.data, attempts: i + 1 }
        : { ok: false, status: r.status, attempts: i + 1 };
    }
    const backoff = (c.backoffMs ?? BACKOFF_BASE_MS) * 2 ** i * (0.5 + Math.random());
    const wait = r.retryAfterMs ?? backoff;
    // Waiting past the deadline would only produce a later failure.
    if (Date.now() + wait >= c.deadlineAt) return { ok: false, status: r.status, attempts: i + 1 };
    await sleep(wait);
  }
}
