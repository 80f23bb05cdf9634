import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as fns from '../../runtime/functions';
import { SIGNATURES } from '../../runtime/signatures';
import { captureLogs } from './helpers';
import * as runtime from '../../runtime/index';
import { parseExpr, plainOrigin } from '../../compiler/expr/parser';
import { sourceFile } from '../../compiler/source';
import { compileExpr, compileCondition, ExprContext } from '../../compiler/emit/expr';

/** A per-element argument of an example (`item == 'b'`), compiled as generated code compiles it, as `(item) => ...`. */
function perElement(src: string, predicate: boolean): (item: unknown) => unknown {
  const { expr, diagnostics } = parseExpr(src, plainOrigin(sourceFile('example.yaml', src)));
  if (diagnostics.length > 0) throw new Error(`example argument does not parse: ${src}`);
  const ctx = new ExprContext().withItem();
  const code = (predicate ? compileCondition(expr, ctx) : compileExpr(expr, ctx)).toString();
  const names = Object.keys(runtime);
  return new Function(...names, `return (item) => ${code};`)(...names.map((n) => (runtime as Record<string, unknown>)[n])) as (item: unknown) => unknown;
}

/** The source text of one argument starting at `i` (up to the ',' or ')' that ends it). */
function argumentText(src: string, i: number): string {
  let depth = 0;
  let j = i;
  for (; j < src.length; j++) {
    const c = src[j]!;
    if (c === "'") {
      for (j++; j < src.length && src[j] !== "'"; j++) if (src[j] === '\\') j++;
    } else if (c === '(') depth++;
    else if (c === ')' && depth-- === 0) break;
    else if (c === ',' && depth === 0) break;
  }
  return src.slice(i, j);
}

type Fn = (...a: unknown[]) => unknown;
const lib = fns as unknown as Record<string, Fn>;

/** Evaluates an example call: nested calls of literals (strings, numbers, booleans, null, [..], {k: v}). */
function evalExample(src: string, event: unknown): unknown {
  let i = 0;
  const ws = () => {
    while (/\s/.test(src[i] ?? '')) i++;
  };
  const expect_ = (c: string) => {
    ws();
    if (src[i] !== c) throw new Error(`expected ${c} at ${i} in ${src}`);
    i++;
  };
  const value = (): unknown => {
    ws();
    const c = src[i]!;
    if (c === "'") {
      let s = '';
      i++;
      while (src[i] !== "'") s += src[i] === '\\' ? src[++i] : src[i], i++;
      i++;
      return s;
    }
    if (c === '[' || c === '{') {
      const obj = c === '{';
      i++;
      const out: unknown[] = [];
      const o: Record<string, unknown> = {};
      ws();
      while (src[i] !== (obj ? '}' : ']')) {
        if (obj) {
          const k = value() as string;
          expect_(':');
          o[k] = value();
        } else out.push(value());
        ws();
        if (src[i] === ',') i++;
        ws();
      }
      i++;
      return obj ? o : out;
    }
    const m = /^-?\d+(\.\d+)?/.exec(src.slice(i));
    if (m) {
      i += m[0].length;
      return Number(m[0]);
    }
    const id = /^[a-z_0-9]+/.exec(src.slice(i))![0];
    i += id.length;
    if (id === 'true' || id === 'false') return id === 'true';
    if (id === 'null') return null;
    expect_('(');
    const args: unknown[] = [];
    ws();
    while (src[i] !== ')') {
      const param = SIGNATURES[id]?.params[args.length];
      if (param?.perElement) {
        const raw = argumentText(src, i);
        i += raw.length;
        args.push(perElement(raw.trim(), param.type === 'boolean'));
      } else args.push(value());
      ws();
      if (src[i] === ',') i++;
      ws();
    }
    i++;
    const f = lib[`fn_${id}`]!;
    return SIGNATURES[id]?.readsEvent ? f(event, ...args) : f(...args);
  };
  const v = value();
  ws();
  if (i !== src.length) throw new Error(`trailing input in ${src}`);
  return v;
}

/** The event examples run against: no identities, and hmac_sha256's example secret (RFC 4231 test case 2's key). */
const EXAMPLE_EVENT = { user: { identities: [] }, secrets: { WEBHOOK_KEY: 'Jefe' } };

let logs: ReturnType<typeof captureLogs>;
beforeEach(() => {
  logs = captureLogs();
});
afterEach(() => logs.restore());

describe('signatures', () => {
  it('name the same functions as runtime/functions.ts exports', () => {
    const exported = Object.keys(lib)
      .filter((k) => k.startsWith('fn_'))
      .map((k) => k.slice(3))
      .sort();
    expect(Object.keys(SIGNATURES).sort()).toEqual(exported);
  });

  it('cover the SPEC 2.5 library', () => {
    const spec =
      'lower upper trim capitalize replace regex_replace matches split join substring truncate concat starts_with ends_with contains email_domain normalize_locale to_string to_number to_int to_boolean to_iso_date exists empty is_array coalesce default map first last length unique now hours_since days_since identity sha256';
    for (const n of spec.split(' ')) expect(SIGNATURES[n], n).toBeDefined();
  });

  it('are listed in sorted order', () => {
    const keys = Object.keys(SIGNATURES);
    expect(keys).toEqual([...keys].sort());
  });

  for (const [name, sig] of Object.entries(SIGNATURES)) {
    for (const ex of sig.examples) {
      it(`${name}: ${ex.call} → ${JSON.stringify(ex.result)}`, () => {
        expect(evalExample(ex.call, EXAMPLE_EVENT)).toEqual(ex.result);
      });
    }
  }
});

describe('null in → null out', () => {
  const nullOut = Object.keys(SIGNATURES).filter(
    (n) => !['exists', 'empty', 'is_array', 'coalesce', 'default', 'concat', 'now', 'contains', 'if'].includes(n) && !SIGNATURES[n]!.readsEvent,
  );
  for (const n of nullOut) {
    it(`${n}(null) and ${n}(undefined) are null, without a log`, () => {
      const sample: Record<string, unknown> = { integer: 1, number: 1, object: {}, array: [] };
      const rest = SIGNATURES[n]!.params.slice(1).map((p) => (p.type in sample ? sample[p.type] : 'x'));
      expect(lib[`fn_${n}`]!(null, ...rest)).toBeNull();
      expect(lib[`fn_${n}`]!(undefined, ...rest)).toBeNull();
      expect(logs.lines).toEqual([]);
    });
  }
});

describe('encodings, JSON, ids (#18)', () => {
  it('regex_extract: the match or a group; a missing group is logged', () => {
    expect(fns.fn_regex_extract('id=42;id=7', 'id=([0-9]+)', 1)).toBe('42');
    expect(fns.fn_regex_extract('id=42', 'id=[0-9]+')).toBe('id=42');
    expect(fns.fn_regex_extract('ab', 'a(x)?b', 1)).toBeNull();
    expect(logs.lines).toEqual([]);
    expect(fns.fn_regex_extract('ab', 'ab', 3)).toBeNull();
    expectLogged('regex_extract');
    expect(fns.fn_regex_extract('x'.repeat(fns.MAX_REGEX_INPUT + 1), 'x')).toBeNull();
  });

  it('base64 both ways, both alphabets; broken input is logged', () => {
    expect(fns.fn_base64_encode('😀 ok')).toBe(Buffer.from('😀 ok').toString('base64'));
    expect(fns.fn_base64_decode(Buffer.from('a?b>c').toString('base64url'))).toBe('a?b>c');
    expect(fns.fn_base64_decode('aGk')).toBe('hi');
    expect(fns.fn_base64_decode('a')).toBeNull();
    expectLogged('base64_decode');
    expect(fns.fn_base64_decode(Buffer.from([0xff, 0xfe]).toString('base64'))).toBeNull();
    expect(fns.fn_base64_encode('\uD800')).toBeNull();
    expectLogged('base64_encode');
  });

  it('url encode/decode; a lone surrogate or a broken escape is logged', () => {
    expect(fns.fn_url_decode(fns.fn_url_encode('ä/ ?&=#'))).toBe('ä/ ?&=#');
    expect(fns.fn_url_encode('\uDC00')).toBeNull();
    expectLogged('url_encode');
    expect(fns.fn_url_decode('%zz')).toBeNull();
    expectLogged('url_decode');
  });

  it('json encode/parse; a value too deep is logged', () => {
    expect(fns.fn_json_encode({ a: [1, 'b'] })).toBe('{"a":[1,"b"]}');
    expect(fns.fn_json_encode(null)).toBeNull();
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(fns.fn_json_encode(deep)).toBeNull();
    expectLogged('json_encode');
    expect(fns.fn_json_parse('[1,{"a":null}]')).toEqual([1, { a: null }]);
  });

  it('floor/ceil refuse what is not a finite number', () => {
    expect(fns.fn_floor(-0.5)).toBe(-1);
    expect(Object.is(fns.fn_ceil(-0.5), 0)).toBe(true);
    expect(fns.fn_floor(Infinity)).toBeNull();
    expectLogged('floor');
    expect(fns.fn_ceil('2')).toBeNull();
    expectLogged('ceil');
  });

  it('normalize_email needs one @ with text on both sides', () => {
    expect(fns.fn_normalize_email('A@B.C')).toBe('a@b.c');
    for (const bad of ['@b.c', 'a@', 'a@b@c', 'a b@c']) expect(fns.fn_normalize_email(bad), bad).toBeNull();
    expectLogged('normalize_email');
  });

  it('uuid_v5 is deterministic, version 5, and needs a UUID namespace', () => {
    const ns = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';
    const a = fns.fn_uuid_v5('auth0|1', ns);
    expect(a).toBe(fns.fn_uuid_v5('auth0|1', ns.toUpperCase()));
    expect(a).not.toBe(fns.fn_uuid_v5('auth0|2', ns));
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(fns.fn_uuid_v5('x', 'not-a-uuid')).toBeNull();
    expectLogged('uuid_v5');
    expect(fns.fn_uuid_v5('\uD800', ns)).toBeNull();
  });
});

describe('if', () => {
  it('takes then for a truthy condition, else (or null) otherwise, without a log', () => {
    expect(fns.fn_if(true, 'a', 'b')).toBe('a');
    expect(fns.fn_if(false, 'a', 'b')).toBe('b');
    expect(fns.fn_if(null, 'a', 'b')).toBe('b');
    expect(fns.fn_if(undefined, 'a')).toBeNull();
    expect(fns.fn_if(false, 'a')).toBeNull();
    expect(logs.lines).toEqual([]);
  });
});

/** Asserts a logged conversion failure for `fn`. */
function expectLogged(fn: string) {
  const entries = logs.parsed();
  expect(entries.some((e) => e.fn === fn)).toBe(true);
}

describe('text functions', () => {
  it('convert numbers and booleans, refuse objects (logged)', () => {
    expect(fns.fn_lower(12)).toBe('12');
    expect(fns.fn_upper(true)).toBe('TRUE');
    expect(fns.fn_lower(NaN)).toBeNull();
    expectLogged('lower');
    expect(fns.fn_trim({})).toBeNull();
    expect(fns.fn_capitalize(['a'])).toBeNull();
    expect(fns.fn_capitalize('')).toBe('');
    expect(fns.fn_capitalize('élan')).toBe('Élan');
  });

  it('replace', () => {
    expect(fns.fn_replace('a-b-c', '-', '_')).toBe('a_b_c');
    expect(fns.fn_replace('abc', '', '_')).toBe('abc');
    expect(fns.fn_replace('a.b', '.', '$&')).toBe('a$&b');
    expect(fns.fn_replace('abc', null, 'x')).toBeNull();
    expect(fns.fn_replace('abc', 'b', {})).toBeNull();
  });

  it('regex_replace and matches cache patterns and reset lastIndex', () => {
    expect(fns.fn_regex_replace('a1b22', '\\d+', '#')).toBe('a#b#');
    expect(fns.fn_regex_replace('a1b22', '\\d+', '#')).toBe('a#b#');
    expect(fns.fn_regex_replace('john smith', '(\\w+) (\\w+)', '$2 $1')).toBe('smith john');
    expect(fns.fn_matches('abc', 'b')).toBe(true);
    expect(fns.fn_matches('abc', 'b')).toBe(true); // a stale lastIndex would make this false
    expect(fns.fn_matches('abc', '^b')).toBe(false);
    expect(fns.fn_regex_replace('abc', 'b', null)).toBeNull();
  });

  it('an invalid pattern is null (logged), also when cached', () => {
    expect(fns.fn_matches('abc', '(')).toBeNull();
    expect(fns.fn_matches('abc', '(')).toBeNull();
    expect(fns.fn_regex_replace('abc', '[', 'x')).toBeNull();
    expect(fns.fn_matches('abc', 5)).toBeNull();
    expectLogged('matches');
    expectLogged('regex_replace');
  });

  it('split and join', () => {
    expect(fns.fn_split('a,b', ',')).toEqual(['a', 'b']);
    expect(fns.fn_split('a,b', null)).toBeNull();
    expect(fns.fn_join(['a', null, 1, true], '-')).toBe('a-1-true');
    expect(fns.fn_join(['a', ['b']], '-')).toBeNull();
    expect(fns.fn_join('ab', '-')).toBeNull();
    expectLogged('join');
    expect(fns.fn_join(['a'], null)).toBeNull();
  });

  it('substring and truncate count code points', () => {
    expect(fns.fn_substring('a😀bc', 1, 2)).toBe('😀');
    expect(fns.fn_substring('abc', 1)).toBe('bc');
    expect(fns.fn_substring('abc', 1, null)).toBe('bc');
    expect(fns.fn_substring('abc', 1.9)).toBe('bc');
    expect(fns.fn_substring('abc', 'x')).toBeNull();
    expect(fns.fn_substring('abc', 0, 'x')).toBeNull();
    expect(fns.fn_substring('abc', null)).toBeNull();
    expect(fns.fn_truncate('a😀bc', 2)).toBe('a😀');
    expect(fns.fn_truncate('abc', 5)).toBe('abc');
    expect(fns.fn_truncate('abc', -1)).toBe('');
    expect(fns.fn_truncate('abc', Infinity)).toBeNull();
    expectLogged('truncate');
  });

  it('concat skips nulls; all null is null', () => {
    expect(fns.fn_concat('a', null, undefined, 2, { b: 1 })).toBe('a2{"b":1}');
    expect(fns.fn_concat()).toBeNull();
    expect(fns.fn_concat(null, undefined)).toBeNull();
  });

  it('starts_with, ends_with, contains', () => {
    expect(fns.fn_starts_with('abc', 'ab')).toBe(true);
    expect(fns.fn_starts_with('abc', null)).toBeNull();
    expect(fns.fn_ends_with('abc', 'bc')).toBe(true);
    expect(fns.fn_ends_with('abc', {})).toBeNull();
    expect(fns.fn_contains('abc', 'b')).toBe(true);
    expect(fns.fn_contains(['a', null], null)).toBe(true);
    expect(fns.fn_contains(['a', 1], '1')).toBe(false);
    expect(fns.fn_contains(null, 'a')).toBeNull();
    expect(fns.fn_contains({}, 'a')).toBeNull();
  });

  it('email_domain', () => {
    expect(fns.fn_email_domain('a@b@Sub.Example.org ')).toBe('sub.example.org');
    expect(fns.fn_email_domain('user@')).toBeNull();
    expect(fns.fn_email_domain('nobody')).toBeNull();
    expectLogged('email_domain');
    // The address itself is never logged.
    expect(logs.lines.join('\n')).not.toContain('nobody');
  });

  it('normalize_locale', () => {
    expect(fns.fn_normalize_locale('en_us')).toBe('en-US');
    expect(fns.fn_normalize_locale(' EN ')).toBe('en');
    expect(fns.fn_normalize_locale('es-419')).toBe('es-419');
    expect(fns.fn_normalize_locale('zh_hant_tw')).toBe('zh-Hant-TW');
    expect(fns.fn_normalize_locale('de-DE-1996')).toBe('de-DE-1996');
    expect(fns.fn_normalize_locale('e')).toBeNull();
    expect(fns.fn_normalize_locale('en--US')).toBeNull();
    expect(fns.fn_normalize_locale('en-toolongsubtag')).toBeNull();
    expectLogged('normalize_locale');
  });
});

describe('conversions', () => {
  it('to_string', () => {
    expect(fns.fn_to_string(1.5)).toBe('1.5');
    expect(fns.fn_to_string(false)).toBe('false');
    expect(fns.fn_to_string({ a: [1] })).toBe('{"a":[1]}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(fns.fn_to_string(cyclic)).toBe('');
  });

  it('to_number', () => {
    expect(fns.fn_to_number(3)).toBe(3);
    expect(fns.fn_to_number(Infinity)).toBeNull();
    expect(fns.fn_to_number(true)).toBe(1);
    expect(fns.fn_to_number(false)).toBe(0);
    expect(fns.fn_to_number('  ')).toBeNull();
    expect(fns.fn_to_number('1e3')).toBe(1000);
    expect(fns.fn_to_number([])).toBeNull();
    expectLogged('to_number');
  });

  it('to_int', () => {
    expect(fns.fn_to_int(-3.9)).toBe(-3);
    expect(fns.fn_to_int('1e300')).toBeNull();
    expectLogged('to_int');
    expect(fns.fn_to_int({})).toBeNull();
  });

  it('to_boolean', () => {
    expect(fns.fn_to_boolean(false)).toBe(false);
    expect(fns.fn_to_boolean(2)).toBe(true);
    expect(fns.fn_to_boolean(NaN)).toBeNull();
    expect(fns.fn_to_boolean(' OFF ')).toBe(false);
    expect(fns.fn_to_boolean('on')).toBe(true);
    expect(fns.fn_to_boolean([])).toBeNull();
    expectLogged('to_boolean');
  });

  it('to_iso_date', () => {
    expect(fns.fn_to_iso_date('1700000000000')).toBe('2023-11-14T22:13:20.000Z');
    expect(fns.fn_to_iso_date(1e20)).toBeNull();
    expect(fns.fn_to_iso_date('garbage')).toBeNull();
    expect(fns.fn_to_iso_date({})).toBeNull();
    expectLogged('to_iso_date');
  });
});

describe('presence and collections', () => {
  it('exists, empty, is_array never return null', () => {
    expect(fns.fn_exists(undefined)).toBe(false);
    expect(fns.fn_exists(false)).toBe(true);
    expect(fns.fn_empty(undefined)).toBe(true);
    expect(fns.fn_empty([])).toBe(true);
    expect(fns.fn_empty({})).toBe(true);
    expect(fns.fn_empty({ a: 1 })).toBe(false);
    expect(fns.fn_empty(' ')).toBe(false);
    expect(fns.fn_empty(false)).toBe(false);
    expect(fns.fn_is_array(null)).toBe(false);
    expect(fns.fn_is_array([])).toBe(true);
  });

  it('coalesce and default', () => {
    expect(fns.fn_coalesce(undefined, 0, 1)).toBe(0);
    expect(fns.fn_coalesce()).toBeNull();
    expect(fns.fn_default(undefined, undefined)).toBeNull();
    expect(fns.fn_default(false, true)).toBe(false);
  });

  it('map looks up own keys only', () => {
    const table = { true: 'Yes', a: null };
    expect(fns.fn_map(true, table, 'No')).toBe('Yes');
    expect(fns.fn_map('a', table, 'No')).toBeNull();
    expect(fns.fn_map('toString', table, 'No')).toBe('No');
    expect(fns.fn_map('__proto__', JSON.parse('{"__proto__": "x"}'), 'No')).toBe('No');
    expect(fns.fn_map('zzz', table)).toBeNull();
    expect(fns.fn_map(null, table, 'No')).toBeNull();
    expect(fns.fn_map({}, table, 'No')).toBeNull();
    expect(fns.fn_map('a', null, 'No')).toBeNull();
    expectLogged('map');
  });

  it('first, last, length, unique', () => {
    expect(fns.fn_first([])).toBeNull();
    expect(fns.fn_first([undefined])).toBeNull();
    expect(fns.fn_last([1, 2])).toBe(2);
    expect(fns.fn_last([])).toBeNull();
    expect(fns.fn_first('ab')).toBeNull();
    expectLogged('first');
    expect(fns.fn_length('a😀')).toBe(2);
    expect(fns.fn_length([1])).toBe(1);
    expect(fns.fn_length(5)).toBeNull();
    expectLogged('length');
    expect(fns.fn_unique([1, '1', 1, { a: 1 }, { a: 1 }, null, null])).toEqual([1, '1', { a: 1 }, null]);
    expect(fns.fn_unique({})).toBeNull();
  });
});

describe('time', () => {
  it('now is an ISO timestamp', () => {
    expect(fns.fn_now()).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('hours_since and days_since accept ISO text and epoch ms', () => {
    const twoDaysAgo = Date.now() - 2 * 86_400_000;
    const h = fns.fn_hours_since(new Date(twoDaysAgo).toISOString())!;
    expect(h).toBeGreaterThanOrEqual(48);
    expect(h).toBeLessThan(49);
    const d = fns.fn_days_since(twoDaysAgo)!;
    expect(d).toBeGreaterThanOrEqual(2);
    expect(d).toBeLessThan(2.1);
    expect(fns.fn_hours_since({})).toBeNull();
    expect(fns.fn_days_since('nope')).toBeNull();
    expectLogged('days_since');
  });
});

describe('authenticated_with', () => {
  const at = Date.parse('2024-06-01T12:00:00Z');
  const ev = {
    authentication: {
      methods: [
        { name: 'pwd', timestamp: '2024-06-01T11:00:00Z' },
        { name: 'mfa', timestamp: '2024-05-30T12:00:00Z' },
        'junk',
      ],
    },
  };
  it('finds a method of this login, within the given hours when asked', () => {
    vi.useFakeTimers({ now: at });
    try {
      expect(fns.fn_authenticated_with(ev, 'pwd')).toBe(true);
      expect(fns.fn_authenticated_with(ev, 'mfa')).toBe(true);
      expect(fns.fn_authenticated_with(ev, 'mfa', 24)).toBe(false);
      expect(fns.fn_authenticated_with(ev, 'mfa', 72)).toBe(true);
      expect(fns.fn_authenticated_with(ev, 'passkey')).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });
  it('is false, never null, without methods or with unusable arguments', () => {
    expect(fns.fn_authenticated_with({}, 'mfa')).toBe(false);
    expect(fns.fn_authenticated_with(null, 'mfa')).toBe(false);
    expect(fns.fn_authenticated_with(ev, null)).toBe(false);
    expect(fns.fn_authenticated_with({ authentication: { methods: [{ name: 'mfa', timestamp: 'soon' }] } }, 'mfa', 1)).toBe(false);
    expect(fns.fn_authenticated_with(ev, 'mfa', 'a day')).toBe(false);
    expectLogged('authenticated_with');
  });
});

describe('identity and sha256', () => {
  const event = {
    user: { identities: [null, { provider: 'auth0' }, { provider: 'github', user_id: '42' }, { provider: 'github', user_id: '43' }] },
  };

  it('identity returns the first identity of the provider', () => {
    expect(fns.fn_identity(event, 'github')).toEqual({ provider: 'github', user_id: '42' });
    expect(fns.fn_identity(event, 'google-oauth2')).toBeNull();
    expect(fns.fn_identity(event, null)).toBeNull();
    expect(fns.fn_identity({ user: {} }, 'github')).toBeNull();
    expect(fns.fn_identity(null, 'github')).toBeNull();
  });

  it('sha256 hashes UTF-8 text', () => {
    expect(fns.fn_sha256('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(fns.fn_sha256(1)).toBe('6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b');
    expect(fns.fn_sha256({})).toBeNull();
  });

  it('round', () => {
    expect(fns.fn_round(1234.5, -2)).toBe(1200);
    expect(fns.fn_round(1.5, null)).toBe(2);
    expect(fns.fn_round(Infinity)).toBeNull();
    expect(fns.fn_round('1')).toBeNull();
    expect(fns.fn_round(1, 'x')).toBeNull();
    expectLogged('round');
  });
});

describe('logged conversions', () => {
  it('name the function, never the value, and stay within 256 characters', () => {
    fns.fn_to_number('jane.doe@example.com');
    expect(logs.parsed()).toEqual([{ mapc: 1, fn: 'to_number', msg: 'not a number' }]);
  });
});
