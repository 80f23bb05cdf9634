/**
 * Random answers of a system for the event fuzz: well-formed JSON with hostile values in the
 * fields specs read, random JSON, empty bodies, and fast failures (4xx, 5xx, 429, redirects
 * to another host, invalid JSON, HTML, resets, bodies over the response cap). Slow failures
 * (hangs, drips) are the failing-systems suite's; here every answer is immediate.
 */
import fc from 'fast-check';
import type { Answer } from './host';
import type { AnswerClass } from './oracle';
import { hostileValue } from './arbitraries';

export interface Recipe {
  readonly answer: Answer;
  readonly cls: AnswerClass;
  readonly label: string;
}

/** JSON text of `v`, or `{}` when it cannot be encoded (a deep value can exceed the stack). */
function json(v: unknown): string {
  try {
    return JSON.stringify(v) ?? 'null';
  } catch {
    return '{}';
  }
}

const RESPONSE_KEYS = ['id', 'tier', 'status', 'count', 'score', 'data', '__proto__', 'constructor'];

const shaped = fc.dictionary(fc.constantFrom(...RESPONSE_KEYS), hostileValue, { maxKeys: 5 }).map((o) => {
  // `__proto__` through JSON text, so the server sends it as a plain key.
  const entries = Object.keys(o).map((k) => `${JSON.stringify(k)}:${json(o[k])}`);
  return `{${entries.join(',')}}`;
});

/** A recipe: how one system answers every request of one run. */
export const recipe = (maxBytes: number): fc.Arbitrary<Recipe> =>
  fc.oneof(
    { arbitrary: shaped.map((raw) => ({ answer: { status: 200, raw }, cls: 'ok' as const, label: 'json' })), weight: 40 },
    {
      arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => ({ answer: { status: 200, raw: json(v) }, cls: 'ok' as const, label: 'json' })),
      weight: 10,
    },
    { arbitrary: fc.constant({ answer: { status: 204 }, cls: 'ok' as const, label: '204' }), weight: 3 },
    {
      arbitrary: fc.constantFrom(400, 401, 403, 404, 409, 422).map((status) => ({ answer: { status, body: { error: 'x' } }, cls: 'failed' as const, label: '4xx' })),
      weight: 6,
    },
    // Retryable failures (5xx, 429, reset) cost a backoff of ~100 ms each: rare here, the
    // failing-systems suite covers them one by one.
    {
      arbitrary: fc.oneof(
        fc.constantFrom(500, 502, 503).map((status) => ({ answer: { status } as Answer, cls: 'failed' as const, label: '5xx' })),
        fc.constant({ answer: { status: 429, headers: { 'retry-after': '0' } } as Answer, cls: 'failed' as const, label: '429' }),
        fc.constant({ answer: { reset: true } as Answer, cls: 'failed' as const, label: 'reset' }),
      ),
      weight: 1,
    },
    {
      arbitrary: fc.constantFrom(301, 302, 307, 308).map((status) => ({
        answer: { status, headers: { location: 'https://evil.example/steal' }, body: { id: 'from-redirect' } },
        cls: 'failed' as const,
        label: '3xx',
      })),
      weight: 3,
    },
    {
      arbitrary: fc.constantFrom('{', '{"id":', 'nul', '<html>', "{'a':1}", '\u0000', '{"a":1}{"b":2}').map((raw) => ({
        answer: { status: 200, raw },
        cls: 'failed' as const,
        label: 'invalid-json',
      })),
      weight: 6,
    },
    {
      arbitrary: fc.constant({
        answer: { status: 200, headers: { 'content-type': 'text/html' }, raw: '<!doctype html><p>Service page</p>' },
        cls: 'failed' as const,
        label: 'html',
      }),
      weight: 3,
    },
    {
      arbitrary: fc.constant({
        answer: { status: 200, raw: `{"id":"${'x'.repeat(maxBytes)}"}` },
        cls: 'failed' as const,
        label: 'too-large',
      }),
      weight: 3,
    },
  );
