/**
 * fast-check arbitraries for hostile input: strings that break code generators, values of
 * every wrong type, huge and deep data, and Auth0 events mutated field by field.
 */
import fc from 'fast-check';

/** Characters and fragments that break naive code generation and parsers. */
export const NASTY_FRAGMENTS = [
  "'", '"', '`', '\\', '${', '}', '${globalThis.PWNED=1}', '</script>', '<!--', '-->', '*/', '/*', '//',
  '\u2028', '\u2029', '\u0000', '\r\n', '\n', '\t', '\uFEFF', '\uD800', '\uDFFF', '😀', '\u{10FFFF}',
  '##CRM_API_KEY##', '@@CRM_API_KEY@@', '{{', '}}', '{{{', '__proto__', 'constructor', 'prototype',
  '%', '%2e%2e', '..', '/', '?', '#', '&', '=', ':', '@', ' ', '\u00a0', 'ͅ', 'İ', 'ß',
];

/**
 * Strings over all of Unicode (lone surrogates included), biased towards the fragments
 * above, from empty to a few hundred characters.
 */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 3 },
  { arbitrary: fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 40 }), weight: 2 },
  { arbitrary: fc.array(fc.constantFrom(...NASTY_FRAGMENTS), { maxLength: 12 }).map((a) => a.join('')), weight: 3 },
  {
    arbitrary: fc
      .array(fc.oneof(fc.constantFrom(...NASTY_FRAGMENTS), fc.string({ unit: 'binary', maxLength: 6 })), { maxLength: 30 })
      .map((a) => a.join('')),
    weight: 3,
  },
);

/** A chain of `depth` nested objects (or arrays) ending in `leaf`. Built iteratively: no recursion. */
export function deep(depth: number, arrays = false, leaf: unknown = 'leaf'): unknown {
  let v: unknown = leaf;
  for (let i = 0; i < depth; i++) v = arrays ? [v] : { a: v };
  // fast-check prints counterexamples recursively: give it a short description instead.
  Object.defineProperty(v, fc.toStringMethod, { value: () => `deep(${depth}, ${arrays})`, enumerable: false });
  return v;
}

/** An object whose own keys are the dangerous ones (as JSON.parse makes them). */
const protoKeys: fc.Arbitrary<unknown> = fc
  .constantFrom('__proto__', 'constructor', 'prototype')
  .chain((k) => fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.parse(`{${JSON.stringify(k)}: ${JSON.stringify(v) ?? 'null'}, "x": 1}`)));

const hugeString: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('a', '😀', '\u2028', '"', '@', 'x@y.z '), fc.integer({ min: 10_000, max: 300_000 }))
  .map(([c, n]) => c.repeat(n));

/** A value of any JSON-ish type, including the hostile ones (what a wrongly typed field may hold). */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: fc.constant(null), weight: 4 },
  { arbitrary: fc.boolean(), weight: 2 },
  {
    arbitrary: fc.oneof(
      fc.integer(),
      fc.double(),
      fc.constantFrom(0, -0, NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER + 2, 1e308, 0.9, 0.6, 24, 720),
    ),
    weight: 3,
  },
  { arbitrary: hostileString, weight: 4 },
  {
    arbitrary: fc.constantFrom(
      '', ' ', 'premium', 'Premium', 'TRIAL', 'trial', 'eu', 'us', 'true', 'yes', 'no', '1', '0', 'en_us', 'de-DE',
      '2024-01-15T10:00:00.000Z', '1970-01-01', 'not a date', 'jane.doe@example.com', 'auth0|1', '..', '.', '/../admin',
    ),
    weight: 3,
  },
  { arbitrary: hugeString, weight: 1 },
  { arbitrary: fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }), weight: 2 },
  { arbitrary: fc.jsonValue({ maxDepth: 4 }), weight: 2 },
  { arbitrary: fc.dictionary(hostileString, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }), weight: 1 },
  { arbitrary: protoKeys, weight: 1 },
  {
    arbitrary: fc.tuple(fc.integer({ min: 100, max: 20_000 }), fc.boolean()).map(([d, arrays]) => deep(d, arrays)),
    weight: 1,
  },
);

/** Every path (as key lists) to an object or leaf in `v`, objects only (arrays are leaves). */
export function objectPaths(v: unknown, prefix: string[] = [], out: string[][] = []): string[][] {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return out;
  for (const k of Object.keys(v)) {
    const p = [...prefix, k];
    out.push(p);
    objectPaths((v as Record<string, unknown>)[k], p, out);
  }
  return out;
}

export type Mutation = { path: string[]; value: unknown; remove: boolean };

/** Applies mutations to a deep copy of `base`, creating objects along new paths. */
export function mutate(base: Record<string, unknown>, mutations: readonly Mutation[]): Record<string, unknown> {
  const root = structuredClone(base);
  for (const m of mutations) {
    let o: Record<string, unknown> = root;
    for (const k of m.path.slice(0, -1)) {
      const next = Object.prototype.hasOwnProperty.call(o, k) ? o[k] : undefined;
      if (typeof next !== 'object' || next === null) {
        const fresh: Record<string, unknown> = {};
        Object.defineProperty(o, k, { value: fresh, enumerable: true, writable: true, configurable: true });
        o = fresh;
      } else o = next as Record<string, unknown>;
    }
    const last = m.path[m.path.length - 1]!;
    if (m.remove) delete o[last];
    // defineProperty: a `__proto__` key stays an own property, as JSON.parse would make it.
    else Object.defineProperty(o, last, { value: m.value, enumerable: true, writable: true, configurable: true });
  }
  return root;
}

/**
 * Events for one trigger: the default event with some fields removed, nulled or replaced by
 * values of the wrong type, plus paths the specs read that the default lacks; now and then a
 * whole top-level object replaced (an array where an object belongs) or an entirely random event.
 */
export function hostileEvent(base: Record<string, unknown>, extraPaths: readonly string[][]): fc.Arbitrary<Record<string, unknown>> {
  const paths = [...objectPaths(base).filter((p) => p[0] !== 'secrets'), ...extraPaths];
  const mutation: fc.Arbitrary<Mutation> = fc.record({
    path: fc.constantFrom(...paths),
    value: hostileValue,
    remove: fc.integer({ min: 0, max: 9 }).map((n) => n < 3),
  });
  const mutated = fc.array(mutation, { minLength: 1, maxLength: 12 }).map((ms) => mutate(base, ms));
  const topLevel = fc
    .tuple(fc.constantFrom(...Object.keys(base).filter((k) => k !== 'secrets')), hostileValue)
    .map(([k, v]) => mutate(base, [{ path: [k], value: v, remove: false }]));
  const random = fc.dictionary(fc.constantFrom(...Object.keys(base), 'x'), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 });
  return fc.oneof({ arbitrary: mutated, weight: 8 }, { arbitrary: topLevel, weight: 1 }, { arbitrary: random, weight: 1 });
}
