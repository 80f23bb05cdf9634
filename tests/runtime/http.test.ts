import { afterEach, describe, expect, it } from 'vitest';
import { parseRetryAfter, request, type HttpCall } from '../../runtime/http';
import { hang, json, stub, type Stub } from './helpers';

let server: Stub | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const call = (url: string, extra: Partial<HttpCall> = {}): HttpCall => ({
  method: 'GET',
  url,
  headers: { accept: 'application/json' },
  timeoutMs: 2000,
  retries: 0,
  idempotent: true,
  deadlineAt: Date.now() + 10_000,
  maxBytes: 1000,
  ...extra,
});

describe('request', () => {
  it('returns parsed JSON on 2xx', async () => {
    server = await stub({ 'GET /ok': json(200, { tier: 'premium' }) });
    expect(await request(call(`${server.url}/ok`))).toEqual({ ok: true, status: 200, data: { tier: 'premium' }, attempts: 1 });
  });

  it('sends method, headers and body', async () => {
    server = await stub({ 'POST /c': json(201, { id: 'c1' }) });
    const r = await request(
      call(`${server.url}/c`, { method: 'POST', body: '{"a":1}', headers: { 'content-type': 'application/json', 'x-k': 'v' } }),
    );
    expect(r).toEqual({ ok: true, status: 201, data: { id: 'c1' }, attempts: 1 });
    expect(server.seen[0]).toMatchObject({ method: 'POST', body: '{"a":1}', headers: { 'x-k': 'v', 'content-type': 'application/json' } });
  });

  it('treats an empty body as success without data', async () => {
    server = await stub({
      'DELETE /x': (_q, res) => {
        res.statusCode = 204;
        res.end();
      },
    });
    expect(await request(call(`${server.url}/x`, { method: 'DELETE' }))).toEqual({ ok: true, status: 204, data: null, attempts: 1 });
  });

  it('times out a hanging server', async () => {
    server = await stub({ 'GET /hang': hang });
    expect(await request(call(`${server.url}/hang`, { timeoutMs: 150 }))).toEqual({ ok: false, status: 'timeout', attempts: 1 });
  });

  it('times out a slow drip while reading the body', async () => {
    server = await stub({
      'GET /drip': (_q, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"a":');
        const t = setInterval(() => res.write(' '), 50);
        res.on('close', () => clearInterval(t));
      },
    });
    expect(await request(call(`${server.url}/drip`, { timeoutMs: 300 }))).toEqual({ ok: false, status: 'timeout', attempts: 1 });
  });

  it('reports the deadline when it, not the timeout, cut the call', async () => {
    server = await stub({ 'GET /hang': hang });
    expect(await request(call(`${server.url}/hang`, { timeoutMs: 5000, deadlineAt: Date.now() + 500 }))).toEqual({
      ok: false,
      status: 'deadline',
      attempts: 1,
    });
  });

  it('makes no attempt after the deadline', async () => {
    server = await stub({ 'GET /ok': json(200, {}) });
    expect(await request(call(`${server.url}/ok`, { deadlineAt: Date.now() - 1 }))).toEqual({ ok: false, status: 'deadline', attempts: 0 });
    expect(server.seen).toHaveLength(0);
  });

  it('retries 5xx for idempotent calls, then succeeds', async () => {
    server = await stub({ 'GET /flaky': (q, res, b, n) => (n < 2 ? json(503, { e: 1 })(q, res, b, n) : json(200, { ok: 1 })(q, res, b, n)) });
    expect(await request(call(`${server.url}/flaky`, { retries: 2 }))).toEqual({ ok: true, status: 200, data: { ok: 1 }, attempts: 3 });
  });

  it('gives up after the configured retries', async () => {
    server = await stub({ 'GET /down': json(500, {}) });
    expect(await request(call(`${server.url}/down`, { retries: 1 }))).toEqual({ ok: false, status: 500, attempts: 2 });
  });

  it('does not retry non-idempotent calls', async () => {
    server = await stub({ 'POST /down': json(502, {}) });
    expect(await request(call(`${server.url}/down`, { method: 'POST', idempotent: false, retries: 3 }))).toEqual({
      ok: false,
      status: 502,
      attempts: 1,
    });
    expect(server.seen).toHaveLength(1);
  });

  it('retries 408 and does not retry other 4xx', async () => {
    server = await stub({
      'GET /408': (q, res, b, n) => (n === 0 ? json(408, {}) : json(200, { n }))(q, res, b, n),
      'GET /404': json(404, {}),
    });
    expect(await request(call(`${server.url}/408`, { retries: 1 }))).toEqual({ ok: true, status: 200, data: { n: 1 }, attempts: 2 });
    expect(await request(call(`${server.url}/404`, { retries: 3 }))).toEqual({ ok: false, status: 404, attempts: 1 });
  });

  it('honours Retry-After (seconds) on 429 when it fits the deadline', async () => {
    server = await stub({ 'GET /rl': (q, res, b, n) => (n === 0 ? json(429, {}, { 'retry-after': '1' }) : json(200, { n }))(q, res, b, n) });
    expect(await request(call(`${server.url}/rl`, { retries: 1 }))).toEqual({ ok: true, status: 200, data: { n: 1 }, attempts: 2 });
  });

  it('honours Retry-After as an HTTP date', async () => {
    server = await stub({
      'GET /rl': (q, res, b, n) =>
        (n === 0 ? json(429, {}, { 'retry-after': new Date(Date.now() - 1000).toUTCString() }) : json(200, { n }))(q, res, b, n),
    });
    expect(await request(call(`${server.url}/rl`, { retries: 1 }))).toEqual({ ok: true, status: 200, data: { n: 1 }, attempts: 2 });
  });

  it('gives up when Retry-After does not fit the deadline', async () => {
    server = await stub({ 'GET /rl': json(429, {}, { 'retry-after': '30' }) });
    expect(await request(call(`${server.url}/rl`, { retries: 3 }))).toEqual({ ok: false, status: 429, attempts: 1 });
    expect(server.seen).toHaveLength(1);
  });

  it('gives up when the backoff would pass the deadline', async () => {
    server = await stub({ 'GET /down': json(503, {}) });
    expect(await request(call(`${server.url}/down`, { retries: 5, backoffMs: 10_000, deadlineAt: Date.now() + 5000 }))).toEqual({
      ok: false,
      status: 503,
      attempts: 1,
    });
  });

  it('fails invalid JSON without retrying', async () => {
    server = await stub({ 'GET /bad': json(200, '{"a": nope') });
    expect(await request(call(`${server.url}/bad`, { retries: 2 }))).toEqual({ ok: false, status: 'invalid_json', attempts: 1 });
  });

  it('refuses a body over the cap (declared length)', async () => {
    const big = JSON.stringify({ x: 'y'.repeat(5000) });
    server = await stub({ 'GET /big': json(200, big, { 'content-length': String(big.length) }) });
    expect(await request(call(`${server.url}/big`))).toEqual({ ok: false, status: 'too_large', attempts: 1 });
  });

  it('refuses a body over the cap (chunked, no length)', async () => {
    server = await stub({
      'GET /big': (_q, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('["');
        for (let i = 0; i < 20; i++) res.write('z'.repeat(100));
        res.end('"]');
      },
    });
    expect(await request(call(`${server.url}/big`))).toEqual({ ok: false, status: 'too_large', attempts: 1 });
  });

  it('retries a connection reset', async () => {
    server = await stub({ 'GET /reset': (q, res, b, n) => (n === 0 ? q.socket.destroy() : json(200, { n })(q, res, b, n)) });
    expect(await request(call(`${server.url}/reset`, { retries: 1 }))).toEqual({ ok: true, status: 200, data: { n: 1 }, attempts: 2 });
  });

  it('reports a reset as a network error', async () => {
    server = await stub({ 'GET /reset': (q) => q.socket.destroy() });
    expect(await request(call(`${server.url}/reset`))).toEqual({ ok: false, status: 'network', attempts: 1 });
  });

  it('never follows a redirect', async () => {
    server = await stub({
      'GET /moved': (_q, res) => {
        res.writeHead(302, { location: '/target' });
        res.end();
      },
      'GET /target': json(200, { followed: true }),
    });
    expect(await request(call(`${server.url}/moved`, { retries: 2 }))).toEqual({ ok: false, status: 302, attempts: 1 });
    expect(server.seen.map((s) => s.url)).toEqual(['/moved']);
  });
});

describe('parseRetryAfter', () => {
  it('parses seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:29:00 GMT'))).toBe(0);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter(' ')).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
