/**
 * The function library (SPEC 2.5), one export `fn_<name>` per function; signatures, null
 * rules and examples live in runtime/signatures.ts (a test keeps both in sync).
 *
 * Every function is total: null/undefined in → null out (unless its signature says
 * otherwise), and a value it cannot convert becomes null and is logged with a short reason
 * (never the value itself). Text parameters accept numbers and booleans (as `String(x)`), since
 * metadata is untyped at compile time.
 */
import { text } from './expr';
import { log } from './log';
import { isObject, isSafeKey } from './path';

type Str = string | null;

/** Logs a conversion failure and yields null. */
function bad(fn: string, msg: string): null {
  log({ fn, msg });
  return null;
}

/** Text of a scalar, null for null, logged null for anything else. */
function str(fn: string, x: unknown): Str {
  if (typeof x === 'string') return x;
  if ((typeof x === 'number' && Number.isFinite(x)) || typeof x === 'boolean') return String(x);
  return x == null ? null : bad(fn, 'not text');
}

/** An integer argument (counts, positions); null when absent or not a number. */
function int(fn: string, x: unknown): number | null {
  if (typeof x === 'number' && Number.isFinite(x)) return Math.trunc(x);
  return x == null ? null : bad(fn, 'not a number');
}

function arr(fn: string, x: unknown): unknown[] | null {
  if (Array.isArray(x)) return x;
  return x == null ? null : bad(fn, 'not an array');
}

/** `lower('ABC')` → 'abc'. */
export function fn_lower(s: unknown): Str {
  const v = str('lower', s);
  return v === null ? null : v.toLowerCase();
}

/** `upper('abc')` → 'ABC'. */
export function fn_upper(s: unknown): Str {
  const v = str('upper', s);
  return v === null ? null : v.toUpperCase();
}

/** Removes leading and trailing whitespace. */
export function fn_trim(s: unknown): Str {
  const v = str('trim', s);
  return v === null ? null : v.trim();
}

/** First character upper-cased, the rest unchanged. */
export function fn_capitalize(s: unknown): Str {
  const v = str('capitalize', s);
  return v === null ? null : v.charAt(0).toUpperCase() + v.slice(1);
}

/** Replaces every occurrence of `search` (literal text) by `replacement`. */
export function fn_replace(s: unknown, search: unknown, replacement: unknown): Str {
  const v = str('replace', s);
  const a = str('replace', search);
  const b = str('replace', replacement);
  if (v === null || a === null || b === null) return null;
  return a === '' ? v : v.split(a).join(b);
}

/**
 * The longest text the regular-expression functions search. A running regular expression
 * cannot be interrupted by the deadline, and even patterns the build accepts can be quadratic
 * (`\\s+$` on a long run of spaces): longer text yields null (logged), never a stalled login.
 */
export const MAX_REGEX_INPUT = 4096;

/** Text a regular expression may search, or a logged null. */
function regexInput(fn: string, x: unknown): Str {
  const v = str(fn, x);
  return v !== null && v.length > MAX_REGEX_INPUT ? bad(fn, 'text too long for a regular expression') : v;
}

// Compiled patterns by source; patterns are literals checked at build time, so the cache is small.
const regexCache = /* @__PURE__ */ new Map<string, RegExp | null>();

function regex(fn: string, pattern: unknown): RegExp | null {
  if (typeof pattern !== 'string') return bad(fn, 'bad pattern');
  let re = regexCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern, 'g');
    } catch {
      re = null;
    }
    regexCache.set(pattern, re);
  }
  return re ?? bad(fn, 'bad pattern');
}

/** Replaces every match of the regular expression `pattern` (`$1` refers to a group). */
export function fn_regex_replace(s: unknown, pattern: unknown, replacement: unknown): Str {
  const v = regexInput('regex_replace', s);
  if (v === null) return null;
  const re = regex('regex_replace', pattern);
  const b = str('regex_replace', replacement);
  if (re === null || b === null) return null;
  re.lastIndex = 0;
  return v.replace(re, b);
}

/** Whether `s` contains a match of the regular expression `pattern`. */
export function fn_matches(s: unknown, pattern: unknown): boolean | null {
  const v = regexInput('matches', s);
  if (v === null) return null;
  const re = regex('matches', pattern);
  if (re === null) return null;
  re.lastIndex = 0;
  return re.test(v);
}

/** Splits text at every `separator`. */
export function fn_split(s: unknown, separator: unknown): string[] | null {
  const v = str('split', s);
  const sep = str('split', separator);
  return v === null || sep === null ? null : v.split(sep);
}

/** Joins array elements with `separator`; null elements are skipped, nested arrays/objects make the result null. */
export function fn_join(a: unknown, separator: unknown): Str {
  const v = arr('join', a);
  const sep = str('join', separator);
  if (v === null || sep === null) return null;
  const parts: string[] = [];
  for (const x of v) {
    if (x == null) continue;
    const t = str('join', x);
    if (t === null) return null;
    parts.push(t);
  }
  return parts.join(sep);
}

/** Characters (code points) from `start` up to, not including, `end` (default: the end); negative positions count from the end. */
export function fn_substring(s: unknown, start: unknown, end?: unknown): Str {
  const v = str('substring', s);
  const a = int('substring', start);
  if (v === null || a === null) return null;
  const b = end == null ? undefined : int('substring', end);
  if (b === null) return null;
  return Array.from(v).slice(a, b).join('');
}

/** At most `max` characters (code points); no ellipsis is added. */
export function fn_truncate(s: unknown, max: unknown): Str {
  const v = str('truncate', s);
  const n = int('truncate', max);
  if (v === null || n === null) return null;
  const cps = Array.from(v);
  return cps.length <= n ? v : cps.slice(0, Math.max(0, n)).join('');
}

/** Concatenates its arguments as text; null arguments are skipped; all null → null. */
export function fn_concat(...xs: unknown[]): Str {
  const parts = xs.filter((x) => x != null);
  return parts.length === 0 ? null : parts.map(text).join('');
}

/** Whether text starts with `prefix`. */
export function fn_starts_with(s: unknown, prefix: unknown): boolean | null {
  const v = str('starts_with', s);
  const p = str('starts_with', prefix);
  return v === null || p === null ? null : v.startsWith(p);
}

/** Whether text ends with `suffix`. */
export function fn_ends_with(s: unknown, suffix: unknown): boolean | null {
  const v = str('ends_with', s);
  const p = str('ends_with', suffix);
  return v === null || p === null ? null : v.endsWith(p);
}

/** Whether text contains `part`, or an array contains an element equal (strict) to `part`. */
export function fn_contains(s: unknown, part: unknown): boolean | null {
  if (Array.isArray(s)) return s.some((x) => (x ?? null) === (part ?? null));
  const v = str('contains', s);
  const p = str('contains', part);
  return v === null || p === null ? null : v.includes(p);
}

/** The lower-cased domain of an e-mail address (after the last `@`); null (logged) without one. */
export function fn_email_domain(email: unknown): Str {
  const v = str('email_domain', email);
  if (v === null) return null;
  const at = v.lastIndexOf('@');
  const d = at < 0 ? '' : v.slice(at + 1).trim().toLowerCase();
  return d === '' ? bad('email_domain', 'no domain') : d;
}

/**
 * A BCP 47 locale tag in canonical case: `en_us` → `en-US`, `zh_hant_tw` → `zh-Hant-TW`,
 * `EN` → `en`. Null (logged) when the language subtag is not 2–3 letters or a subtag is malformed.
 */
export function fn_normalize_locale(locale: unknown): Str {
  const v = str('normalize_locale', locale);
  if (v === null) return null;
  const tags = v.trim().split(/[-_]/);
  if (!/^[a-z]{2,3}$/i.test(tags[0]!)) return bad('normalize_locale', 'not a locale');
  const out: string[] = [];
  for (const [i, t] of tags.entries()) {
    if (!/^[a-z0-9]{1,8}$/i.test(t)) return bad('normalize_locale', 'not a locale');
    if (i === 0) out.push(t.toLowerCase());
    else if (/^[a-z]{4}$/i.test(t)) out.push(t.charAt(0).toUpperCase() + t.slice(1).toLowerCase());
    else if (/^([a-z]{2}|\d{3})$/i.test(t)) out.push(t.toUpperCase());
    else out.push(t.toLowerCase());
  }
  return out.join('-');
}

/** Text of any value: scalars via String, arrays and objects as JSON. */
export function fn_to_string(x: unknown): Str {
  return x == null ? null : text(x);
}

/** A finite number from a number, numeric text or a boolean (1/0); null (logged) otherwise. */
export function fn_to_number(x: unknown): number | null {
  if (typeof x === 'number') return Number.isFinite(x) ? x : bad('to_number', 'not finite');
  if (typeof x === 'boolean') return x ? 1 : 0;
  if (typeof x === 'string') {
    const n = x.trim() === '' ? NaN : Number(x);
    return Number.isFinite(n) ? n : bad('to_number', 'not a number');
  }
  return x == null ? null : bad('to_number', 'not a number');
}

/** `to_number`, truncated toward zero; null (logged) beyond the safe integer range. */
export function fn_to_int(x: unknown): number | null {
  const n = fn_to_number(x);
  if (n === null) return null;
  const i = Math.trunc(n);
  return Number.isSafeInteger(i) ? i : bad('to_int', 'out of range');
}

const TRUE = ['true', 'yes', 'y', '1', 'on'];
const FALSE = ['false', 'no', 'n', '0', 'off'];

/** true/false from booleans, numbers (0 is false) and words (true/yes/y/1/on, false/no/n/0/off, any case); null (logged) otherwise. */
export function fn_to_boolean(x: unknown): boolean | null {
  if (typeof x === 'boolean') return x;
  if (typeof x === 'number') return Number.isNaN(x) ? bad('to_boolean', 'not a boolean') : x !== 0;
  if (typeof x === 'string') {
    const w = x.trim().toLowerCase();
    if (TRUE.includes(w)) return true;
    if (FALSE.includes(w)) return false;
    return bad('to_boolean', 'not a boolean');
  }
  return x == null ? null : bad('to_boolean', 'not a boolean');
}

/** Epoch milliseconds of an ISO/RFC date string, of digits-only text or of a number (epoch ms); null if unparseable. */
function time(x: unknown): number | null {
  let t = NaN;
  if (typeof x === 'number') t = x;
  else if (typeof x === 'string') t = /^\s*-?\d+\s*$/.test(x) ? Number(x) : Date.parse(x);
  return Number.isFinite(t) && Math.abs(t) <= 8.64e15 ? t : null;
}

/** An ISO 8601 UTC timestamp (`2024-01-02T03:04:05.000Z`) from a date string or epoch milliseconds. */
export function fn_to_iso_date(x: unknown): Str {
  if (x == null) return null;
  const t = time(x);
  return t === null ? bad('to_iso_date', 'not a date') : new Date(t).toISOString();
}

/** Not null and not missing. Never null. */
export function fn_exists(x: unknown): boolean {
  return x != null;
}

/** True for null, missing, '', [] and {}; false otherwise (0 and false are not empty). Never null. */
export function fn_empty(x: unknown): boolean {
  if (x == null || x === '') return true;
  if (Array.isArray(x)) return x.length === 0;
  return isObject(x) && Object.keys(x).length === 0;
}

/** Whether the value is an array. Never null. */
export function fn_is_array(x: unknown): boolean {
  return Array.isArray(x);
}

/**
 * `then` when the condition is truthy, else `otherwise` (null when absent). Generated code
 * does not call it for an expression (it emits `cond ? then : else`, so only the branch
 * taken is computed); it serves the transform form and the examples.
 */
export function fn_if(condition: unknown, then: unknown, otherwise: unknown = null): unknown {
  return condition ? then : otherwise;
}

/** The first argument that is not null; null when all are. */
export function fn_coalesce(...xs: unknown[]): unknown {
  for (const x of xs) if (x != null) return x;
  return null;
}

/** `value` unless it is null, else `fallback`. */
export function fn_default(value: unknown, fallback: unknown): unknown {
  return value ?? fallback ?? null;
}

/**
 * Looks the value (as text) up in `table` (own keys only); `fallback` (default null) when it
 * is not there. A null value stays null.
 */
export function fn_map(value: unknown, table: unknown, fallback?: unknown): unknown {
  if (value == null) return null;
  const k = str('map', value);
  if (k === null) return null;
  if (!isObject(table)) return bad('map', 'bad table');
  return isSafeKey(k) && Object.prototype.hasOwnProperty.call(table, k) ? (table[k] ?? null) : (fallback ?? null);
}

/** First element of an array; null when empty. */
export function fn_first(a: unknown): unknown {
  const v = arr('first', a);
  return v === null || v.length === 0 ? null : (v[0] ?? null);
}

/** Last element of an array; null when empty. */
export function fn_last(a: unknown): unknown {
  const v = arr('last', a);
  return v === null || v.length === 0 ? null : (v[v.length - 1] ?? null);
}

/** Number of characters (code points) of text, or of elements of an array. */
export function fn_length(x: unknown): number | null {
  if (Array.isArray(x)) return x.length;
  if (typeof x === 'string') return Array.from(x).length;
  return x == null ? null : bad('length', 'not text or array');
}

/** The array without repeated elements (first occurrence kept; structural comparison). */
export function fn_unique(a: unknown): unknown[] | null {
  const v = arr('unique', a);
  if (v === null) return null;
  const seen = new Set<string>();
  return v.filter((x) => {
    const k = typeof x + ':' + text(x);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** The current time as an ISO 8601 UTC string. */
export function fn_now(): string {
  return new Date().toISOString();
}

/** Hours (fractional) from a date (ISO string or epoch ms) until now; null (logged) if unparseable. */
export function fn_hours_since(x: unknown): number | null {
  if (x == null) return null;
  const t = time(x);
  return t === null ? bad('hours_since', 'not a date') : (Date.now() - t) / 3_600_000;
}

/** Days (fractional) from a date (ISO string or epoch ms) until now; null (logged) if unparseable. */
export function fn_days_since(x: unknown): number | null {
  if (x == null) return null;
  const t = time(x);
  return t === null ? bad('days_since', 'not a date') : (Date.now() - t) / 86_400_000;
}

/**
 * `identity(provider)`: the first entry of `event.user.identities` whose `provider` equals
 * `provider`, or null. The compiler passes the event first: `fn_identity(s.event, provider)`.
 */
export function fn_identity(event: unknown, provider: unknown): unknown {
  const p = str('identity', provider);
  const ids = isObject(event) && isObject(event.user) ? event.user.identities : null;
  if (p === null || !Array.isArray(ids)) return null;
  return ids.find((i) => isObject(i) && i.provider === p) ?? null;
}

/**
 * `authenticated_with(method, within_hours?)`: whether `event.authentication.methods` holds an
 * entry named `method` (recorded within the last `within_hours` hours, when given). Never
 * null. The compiler passes the event first: `fn_authenticated_with(s.event, method)`.
 */
export function fn_authenticated_with(event: unknown, method: unknown, withinHours?: unknown): boolean {
  const m = str('authenticated_with', method);
  const auth = isObject(event) ? event.authentication : null;
  const list = isObject(auth) ? auth.methods : null;
  if (m === null || !Array.isArray(list)) return false;
  let hours: number | null = null;
  if (withinHours != null) {
    if (typeof withinHours !== 'number' || !Number.isFinite(withinHours)) {
      bad('authenticated_with', 'not a number');
      return false;
    }
    hours = withinHours;
  }
  return list.some((e) => {
    if (!isObject(e) || e.name !== m) return false;
    if (hours === null) return true;
    const t = time(e.timestamp);
    return t !== null && Date.now() - t <= hours * 3_600_000;
  });
}

/** Lower-case hex SHA-256 of the UTF-8 text of a scalar. */
export function fn_sha256(s: unknown): Str {
  const v = str('sha256', s);
  if (v === null) return null;
  // Required lazily so that Actions that do not hash carry no crypto import.
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  return createHash('sha256').update(v, 'utf8').digest('hex');
}

/** A number rounded to `digits` decimals (default 0, at most 15; negative rounds to tens, hundreds...). */
export function fn_round(x: unknown, digits?: unknown): number | null {
  const n = typeof x === 'number' ? (Number.isFinite(x) ? x : bad('round', 'not finite')) : x == null ? null : bad('round', 'not a number');
  const d = digits == null ? 0 : int('round', digits);
  if (n === null || d === null) return null;
  const f = 10 ** Math.min(15, Math.max(-15, d));
  return Math.round(n * f) / f;
}

/**
 * The first match of the regular expression `pattern` in `s` (or its capture group `group`);
 * null when nothing matches, the group did not take part, or the text is over MAX_REGEX_INPUT.
 */
export function fn_regex_extract(s: unknown, pattern: unknown, group?: unknown): Str {
  const v = regexInput('regex_extract', s);
  if (v === null) return null;
  const re = regex('regex_extract', pattern);
  const g = group == null ? 0 : int('regex_extract', group);
  if (re === null || g === null) return null;
  re.lastIndex = 0;
  const m = re.exec(v);
  if (m === null) return null;
  if (g < 0 || g >= m.length) return bad('regex_extract', 'no such group');
  return m[g] ?? null;
}

/** A UTF-16 surrogate without its pair (text with one has no UTF-8 form; `isWellFormed` is not in Node 18). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** UTF-8 text as base64. */
export function fn_base64_encode(s: unknown): Str {
  const v = str('base64_encode', s);
  if (v === null) return null;
  if (LONE_SURROGATE.test(v)) return bad('base64_encode', 'not well-formed text');
  return Buffer.from(v, 'utf8').toString('base64');
}

/** Base64 (standard or URL-safe alphabet, padding optional) back to UTF-8 text; null when it is neither. */
export function fn_base64_decode(s: unknown): Str {
  const v = str('base64_decode', s);
  if (v === null) return null;
  const t = v.trim();
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(t) || t.replace(/=+$/, '').length % 4 === 1) return bad('base64_decode', 'not base64');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(t, t.includes('-') || t.includes('_') ? 'base64url' : 'base64'));
  } catch {
    return bad('base64_decode', 'not UTF-8 text');
  }
}

/** Text percent-encoded for a URL component (every character but A–Z a–z 0–9 - _ . ! ~ * ' ( )). */
export function fn_url_encode(s: unknown): Str {
  const v = str('url_encode', s);
  if (v === null) return null;
  try {
    return encodeURIComponent(v);
  } catch {
    return bad('url_encode', 'not well-formed text');
  }
}

/** Percent-encoded text decoded (`+` stays `+`); null when an escape is broken. */
export function fn_url_decode(s: unknown): Str {
  const v = str('url_decode', s);
  if (v === null) return null;
  try {
    return decodeURIComponent(v);
  } catch {
    return bad('url_decode', 'broken percent-encoding');
  }
}

/** A value as JSON text (null stays null); null when it cannot be encoded (too deep). */
export function fn_json_encode(x: unknown): Str {
  if (x == null) return null;
  try {
    return JSON.stringify(x) ?? null;
  } catch {
    return bad('json_encode', 'cannot encode');
  }
}

/** JSON text parsed; null when it is not JSON. */
export function fn_json_parse(s: unknown): unknown {
  const v = str('json_parse', s);
  if (v === null) return null;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return bad('json_parse', 'not JSON');
  }
}

function finite(fn: string, x: unknown): number | null {
  if (typeof x === 'number') return Number.isFinite(x) ? x : bad(fn, 'not finite');
  return x == null ? null : bad(fn, 'not a number');
}

/** The largest integer not above the number. */
export function fn_floor(x: unknown): number | null {
  const n = finite('floor', x);
  return n === null ? null : Math.floor(n) + 0;
}

/** The smallest integer not below the number. */
export function fn_ceil(x: unknown): number | null {
  const n = finite('ceil', x);
  return n === null ? null : Math.ceil(n) + 0;
}

/** An e-mail address trimmed and lower-cased (the form to compare and to key external records by); null when it has no single @ with text on both sides. */
export function fn_normalize_email(s: unknown): Str {
  const v = str('normalize_email', s);
  if (v === null) return null;
  const t = v.trim().toLowerCase();
  const at = t.indexOf('@');
  if (at <= 0 || at !== t.lastIndexOf('@') || at === t.length - 1 || /\s/.test(t)) return bad('normalize_email', 'not an e-mail address');
  return t;
}

/**
 * A deterministic UUID (version 5, RFC 9562: SHA-1 of the namespace UUID and the UTF-8 name),
 * so an external system gets the same id for the same user every time.
 */
export function fn_uuid_v5(name: unknown, namespace: unknown): Str {
  const v = str('uuid_v5', name);
  const ns = str('uuid_v5', namespace);
  if (v === null || ns === null) return null;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(ns)) return bad('uuid_v5', 'namespace is not a UUID');
  if (LONE_SURROGATE.test(v)) return bad('uuid_v5', 'not well-formed text');
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  const h = createHash('sha1').update(Buffer.from(ns.replace(/-/g, ''), 'hex')).update(v, 'utf8').digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}
