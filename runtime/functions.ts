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

export * from './lists';

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

/** The latest instant a Date holds (±8.64e15 ms, about 275,760 years). */
const MAX_TIME = 8.64e15;

/** Days (fractional) from the first date to the second (negative when the second is earlier). */
export function fn_days_between(from: unknown, to: unknown): number | null {
  if (from == null || to == null) return null;
  const a = time(from);
  const b = time(to);
  return a === null || b === null ? bad('days_between', 'not a date') : (b - a) / 86_400_000;
}

/** The date plus `days` days of 24 hours (negative: earlier), as ISO 8601 UTC text. */
export function fn_add_days(date: unknown, days: unknown): Str {
  if (date == null) return null;
  const n = finite('add_days', days);
  if (n === null) return null;
  const t = time(date);
  if (t === null) return bad('add_days', 'not a date');
  const r = t + n * 86_400_000;
  return Math.abs(r) <= MAX_TIME ? new Date(r).toISOString() : bad('add_days', 'out of range');
}

// ── Dates in time zones (parse_date, format_date) ──────────────────────────────────────────

/** Tokens of a date format, longest first; letters outside them (but T) must be in [brackets]. */
export const DATE_TOKENS: readonly string[] = ['yyyy', 'MMM', 'MM', 'M', 'dd', 'd', 'EEE', 'HH', 'H', 'mm', 'ss', 'SSS', 'X', 'Z'];
const DATE_NAMES = ['iso', 'rfc2822', 'unix', 'unix_ms'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/**
 * A date format as its parts: a token (`yyyy`), or literal text prefixed with `'`; a named
 * format (`iso`...) as itself; or, as a string, what is wrong with it. The build checks every
 * format literal with this (`parsing`: for parse_date, which needs a year).
 */
export function dateFormat(f: string, parsing = false): string[] | string {
  if (DATE_NAMES.includes(f)) return [f];
  const out: string[] = [];
  for (let i = 0; i < f.length; ) {
    const c = f[i]!;
    if (c === '[') {
      const j = f.indexOf(']', i);
      if (j < 0) return "a '[' without its ']'";
      out.push("'" + f.slice(i + 1, j));
      i = j + 1;
    } else if (/[a-z]/i.test(c) && c !== 'T') {
      let j = i;
      while (f[j] === c) j++;
      const run = f.slice(i, j);
      if (!DATE_TOKENS.includes(run)) return `'${run}' is not a token (${DATE_TOKENS.join(' ')}; other letters go in [brackets])`;
      out.push(run);
      i = j;
    } else out.push("'" + f[i++]);
  }
  if (parsing && !out.includes('yyyy')) return 'a format to parse needs yyyy';
  // To read 'Md' (or 'yyyyMd'), the digits could split either way: ambiguous, and slow to try.
  const numeric = (t = '') => /^[yMdHmsS]/.test(t) && t !== 'MMM';
  const loose = out.findIndex((t, i) => (t === 'M' || t === 'd' || t === 'H') && (numeric(out[i - 1]) || numeric(out[i + 1])));
  if (parsing && loose >= 0) return `'${out[loose]}' next to another number is ambiguous to read: write it with two digits or put a separator after it`;
  return out.length === 0 ? 'an empty format' : out;
}

const formats = /* @__PURE__ */ new Map<string, string[] | string>();

/** `dateFormat`, cached (formats are literals checked at build time); logged null when invalid. */
function cachedFormat(fn: string, f: unknown, parsing: boolean): string[] | null {
  if (typeof f !== 'string') return bad(fn, 'bad format');
  const key = (parsing ? 'p' : 'f') + f;
  let r = formats.get(key);
  if (r === undefined) formats.set(key, (r = dateFormat(f, parsing)));
  return typeof r === 'string' ? bad(fn, 'bad format') : r;
}

const zones = /* @__PURE__ */ new Map<string, Intl.DateTimeFormat | null>();

/** The formatter that tells a zone's wall-clock time (cached: constructing one is slow); null for an unknown zone. */
function zoneFormat(zone: string): Intl.DateTimeFormat | null {
  let f = zones.get(zone);
  if (f === undefined) {
    try {
      f = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', era: 'short', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
    } catch {
      f = null;
    }
    zones.set(zone, f);
  }
  return f;
}

/** Epoch ms of a wall-clock time read as UTC (years 0–99 are not 1900–1999). */
function wall(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number {
  const t = new Date(0);
  t.setUTCFullYear(y, mo - 1, d);
  return t.setUTCHours(h, mi, s, ms);
}

/** The zone's offset from UTC at instant `t`, in ms (`UTC` without Intl). */
function offsetAt(f: Intl.DateTimeFormat | 'UTC', t: number): number {
  if (f === 'UTC') return 0;
  const p: Record<string, string> = {};
  for (const x of f.formatToParts(t)) p[x.type] = x.value;
  const y = p['era'] === 'BC' ? 1 - Number(p['year']) : Number(p['year']);
  return wall(y, Number(p['month']), Number(p['day']), Number(p['hour']) % 24, Number(p['minute']), Number(p['second'])) - (t - (((t % 1000) + 1000) % 1000));
}

/** The zone argument (default UTC) as offsetAt takes it; logged null for an unknown zone. */
function zoneArg(fn: string, zone: unknown): Intl.DateTimeFormat | 'UTC' | null {
  if (zone == null || zone === 'UTC') return 'UTC';
  const f = typeof zone === 'string' ? zoneFormat(zone) : null;
  return f ?? bad(fn, 'unknown time zone');
}

/**
 * The instant a wall-clock time in a zone stands for. A time that occurs twice (clocks go
 * back) is the earlier one; a time a change skips (clocks go forward) is read with the
 * offset before the change, so it lands after the gap (02:30 → 03:30), as java.time and
 * Temporal do.
 */
function fromWall(f: Intl.DateTimeFormat | 'UTC', local: number): number {
  const a = offsetAt(f, local - 86_400_000);
  const b = offsetAt(f, local + 86_400_000);
  return offsetAt(f, local - a) === a || offsetAt(f, local - b) !== b ? local - a : local - b;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const RFC2822 = /^(?:[a-z]{3},\s*)?(\d{1,2})\s+([a-z]{3})\s+(\d{4})\s+(\d{2}):(\d{2})(?::(\d{2}))?\s+(?:([+-]\d{4})|(?:UT|GMT|Z))$/i;

/** Minutes of an offset `Z`, `+02`, `+0200`, `+02:00`; null when over 23:59. */
function offsetMinutes(z: string): number | null {
  if (/^z$/i.test(z)) return 0;
  const d = z.replace(':', '');
  const h = Number(d.slice(1, 3));
  const m = Number(d.slice(3) || 0);
  return h > 23 || m > 59 ? null : (d[0] === '-' ? -1 : 1) * (h * 60 + m);
}

const DAYS_IN = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Date fields → epoch ms (a wall-clock time in the zone unless the text had an offset); null when a field is out of range. */
function instant(f: Intl.DateTimeFormat | 'UTC', v: DateFields): number | null {
  const [y, mo, d, h, mi, s, ms, off] = v;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > DAYS_IN[mo - 1]! || (mo === 2 && d === 29 && !leap) || h > 23 || mi > 59 || s > 59) return null;
  const local = wall(y, mo, d, h, mi, s, ms);
  return off === null ? fromWall(f, local) : local - off * 60_000;
}

/** Year, month, day, hour, minute, second, millisecond, and the offset in minutes (null: none in the text). */
type DateFields = [number, number, number, number, number, number, number, number | null];

/** The fields of `text` read with a parsed format; null when it does not match. */
function readDate(tokens: readonly string[], text: string): DateFields | null {
  const name = tokens[0];
  const v: DateFields = [0, 1, 1, 0, 0, 0, 0, null];
  if (name === 'iso' || name === 'rfc2822') {
    const m = (name === 'iso' ? ISO_DATE : RFC2822).exec(text);
    if (m === null) return null;
    if (name === 'iso') {
      for (let i = 0; i < 6; i++) if (m[i + 1] !== undefined) v[i] = Number(m[i + 1]);
      v[6] = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
      if (m[8] !== undefined && (v[7] = offsetMinutes(m[8])) === null) return null;
    } else {
      const mo = MONTHS.findIndex((x) => x.toLowerCase() === m[2]!.toLowerCase());
      if (mo < 0) return null;
      [v[0], v[1], v[2], v[3], v[4], v[5]] = [Number(m[3]), mo + 1, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6] ?? 0)];
      if ((v[7] = m[7] === undefined ? 0 : offsetMinutes(m[7])) === null) return null;
    }
    return v;
  }
  const fields: string[] = [];
  let src = '';
  for (const t of tokens) {
    if (t[0] === "'") src += t.slice(1).replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
    else {
      fields.push(t);
      src += t === 'MMM' || t === 'EEE' ? '([a-z]{3})' : t === 'X' || t === 'Z' ? '(z|[+-]\\d{2}(?::?\\d{2})?)' : t.length === 1 ? '(\\d{1,2})' : `(\\d{${t.length}})`;
    }
  }
  const m = new RegExp(`^${src}$`, 'i').exec(text);
  if (m === null) return null;
  for (const [i, t] of fields.entries()) {
    const s = m[i + 1]!;
    if (t === 'MMM') {
      v[1] = MONTHS.findIndex((x) => x.toLowerCase() === s.toLowerCase()) + 1;
      if (v[1] === 0) return null;
    } else if (t === 'X' || t === 'Z') {
      if ((v[7] = offsetMinutes(s)) === null) return null;
    } else if (t !== 'EEE') v['yMdHmsS'.indexOf(t[0]!)] = Number(s);
  }
  return v;
}

/**
 * A date read from text with `format` (a named format or a pattern, checked at build time):
 * ISO 8601 UTC text. A time without an offset is a wall-clock time in `zone` (default UTC).
 */
export function fn_parse_date(s: unknown, format: unknown, zone?: unknown): Str {
  if (s == null) return null;
  const tokens = cachedFormat('parse_date', format, true);
  const f = zoneArg('parse_date', zone);
  if (tokens === null || f === null) return null;
  if (tokens[0] === 'unix' || tokens[0] === 'unix_ms') {
    const n = typeof s === 'number' ? s : typeof s === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(s) ? Number(s) : NaN;
    const t = tokens[0] === 'unix' ? Math.round(n * 1000) : Math.round(n);
    return Math.abs(t) <= MAX_TIME ? new Date(t).toISOString() : bad('parse_date', 'not a date');
  }
  const text = str('parse_date', s);
  if (text === null) return null;
  const v = text.length <= 100 ? readDate(tokens, text.trim()) : null;
  const t = v === null ? null : instant(f, v);
  return t === null ? bad('parse_date', 'not a date in that format') : new Date(t).toISOString();
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `+02:00` (`X`, `Z` for UTC) or `+0200` (`Z`) for an offset in minutes. */
function offsetText(min: number, colon: boolean): string {
  if (colon && min === 0) return 'Z';
  const a = Math.abs(min);
  return `${min < 0 ? '-' : '+'}${pad(Math.floor(a / 60))}${colon ? ':' : ''}${pad(a % 60)}`;
}

/** A date (ISO text or epoch ms) as text in `pattern`, on the wall clock of `zone` (default UTC). */
export function fn_format_date(date: unknown, pattern: unknown, zone?: unknown): Str {
  if (date == null) return null;
  const tokens = cachedFormat('format_date', pattern, false);
  const f = zoneArg('format_date', zone);
  if (tokens === null || f === null) return null;
  const t = time(date);
  if (t === null) return bad('format_date', 'not a date');
  const name = tokens[0];
  if (name === 'unix') return String(Math.floor(t / 1000));
  if (name === 'unix_ms') return String(t);
  const off = Math.round(offsetAt(f, t) / 60_000);
  const l = new Date(t + off * 60_000);
  const y = l.getUTCFullYear();
  if (y < 1 || y > 9999) return bad('format_date', 'year out of range');
  const list = name === 'iso' ? ['yyyy', "'-", 'MM', "'-", 'dd', "'T", 'HH', "':", 'mm', "':", 'ss', "'.", 'SSS', 'X'] : name === 'rfc2822' ? ['EEE', "', ", 'dd', "' ", 'MMM', "' ", 'yyyy', "' ", 'HH', "':", 'mm', "':", 'ss', "' ", 'Z'] : tokens;
  const mo = l.getUTCMonth();
  const parts: Record<string, string> = {
    yyyy: pad(y, 4),
    MMM: MONTHS[mo]!,
    MM: pad(mo + 1),
    M: String(mo + 1),
    dd: pad(l.getUTCDate()),
    d: String(l.getUTCDate()),
    EEE: WEEKDAYS[l.getUTCDay()]!,
    HH: pad(l.getUTCHours()),
    H: String(l.getUTCHours()),
    mm: pad(l.getUTCMinutes()),
    ss: pad(l.getUTCSeconds()),
    SSS: pad(l.getUTCMilliseconds(), 3),
    X: offsetText(off, true),
    Z: offsetText(off, false),
  };
  return list.map((x) => (x[0] === "'" ? x.slice(1) : parts[x])).join('');
}

// ── Numbers ────────────────────────────────────────────────────────────────────────────────

/**
 * A number as text with exactly `decimals` decimals (0–20): '.' before the decimals, no
 * grouping, halves away from zero on the decimal digits (1.005 → '1.01', -2.5 → '-3').
 */
export function fn_format_number(x: unknown, decimals: unknown): Str {
  const n = finite('format_number', x);
  const d = int('format_number', decimals);
  if (n === null || d === null) return null;
  if (d < 0 || d > 20) return bad('format_number', 'decimals out of range');
  if (Math.abs(n) >= 1e21) return bad('format_number', 'too large');
  // Scaled through the shortest decimal text of the number, not the binary value (1.005 is 1.00499...).
  const [m, e = '0'] = String(Math.abs(n)).split('e');
  const r = Math.round(Number(`${m}e${Number(e) + d}`));
  return (r > 0 && n < 0 ? '-' : '') + (r / 10 ** d).toFixed(d);
}

/** The number, or `min` when it is below, or `max` when it is above. */
export function fn_clamp(x: unknown, min: unknown, max: unknown): number | null {
  const n = finite('clamp', x);
  const lo = finite('clamp', min);
  const hi = finite('clamp', max);
  if (n === null || lo === null || hi === null) return null;
  return lo > hi ? bad('clamp', 'min above max') : Math.min(Math.max(n, lo), hi);
}

// ── Text ───────────────────────────────────────────────────────────────────────────────────

/** The longest text pad_start makes. */
const MAX_PAD = 1024;

/** Text padded at the start with `fill` (default a space, repeated) to `length` characters (code points). */
export function fn_pad_start(s: unknown, length: unknown, fill?: unknown): Str {
  const v = str('pad_start', s);
  const n = int('pad_start', length);
  const f = fill == null ? ' ' : str('pad_start', fill);
  if (v === null || n === null || f === null) return null;
  if (n > MAX_PAD) return bad('pad_start', 'length too large');
  const cps = Array.from(v);
  const fc = Array.from(f);
  if (cps.length >= n || fc.length === 0) return v;
  let out = '';
  for (let i = 0; i < n - cps.length; i++) out += fc[i % fc.length];
  return out + v;
}

/** Text without accents: letters decomposed (NFD), combining accents U+0300–U+036F dropped, recomposed (NFC). */
export function fn_remove_accents(s: unknown): Str {
  const v = str('remove_accents', s);
  return v === null ? null : v.normalize('NFD').replace(/[\u0300-\u036f]/g, '').normalize('NFC');
}

/**
 * A phone number in E.164 form (`+` and 8–15 digits): separators (spaces . - / and
 * parentheses, a `(0)` after the country code) dropped, a leading 00 read as +, and a number
 * without either read as national in `country` (a calling code such as '1', '44' or '+49'):
 * its trunk 0 dropped (kept for Italy, 39), and a leading 1 of an 11-digit NANP number (1).
 * No per-country numbering-plan validation.
 */
export function fn_normalize_phone(phone: unknown, country?: unknown): Str {
  const v = str('normalize_phone', phone);
  const c = country == null ? null : str('normalize_phone', country);
  if (v === null || (country != null && c === null)) return null;
  const t = v.trim().replace(/\(0\)/g, '');
  if (!/^\+?[\d\s().\/-]+$/.test(t)) return bad('normalize_phone', 'not a phone number');
  let d = t.replace(/\D/g, '');
  if (t[0] !== '+') {
    if (d.startsWith('00')) d = d.slice(2);
    else {
      const cc = c?.trim().replace(/^\+/, '');
      if (cc === undefined) return bad('normalize_phone', 'no country code');
      if (!/^[1-9]\d{0,2}$/.test(cc)) return bad('normalize_phone', 'bad country code');
      if (cc !== '39') d = d.replace(/^0/, '');
      if (cc === '1' && d.length === 11) d = d.replace(/^1/, '');
      d = cc + d;
    }
  }
  return /^[1-9]\d{7,14}$/.test(d) ? '+' + d : bad('normalize_phone', 'not a phone number');
}

// ── Signatures ─────────────────────────────────────────────────────────────────────────────

/**
 * Lower-case hex HMAC-SHA-256 (RFC 2104) of the UTF-8 text, keyed with the Action secret
 * named `secret` (read from `event.secrets`; the compiler passes the event first and lists
 * the secret in the Action's secrets). A missing or empty secret is a logged null; the log
 * line names the secret, never its value.
 */
export function fn_hmac_sha256(event: unknown, s: unknown, secret: unknown): Str {
  const v = str('hmac_sha256', s);
  if (v === null) return null;
  const name = typeof secret === 'string' ? secret : '';
  const secrets = isObject(event) ? event.secrets : null;
  const key = isObject(secrets) && isSafeKey(name) && Object.prototype.hasOwnProperty.call(secrets, name) ? secrets[name] : null;
  if (typeof key !== 'string' || key === '') return bad('hmac_sha256', `secret ${name.slice(0, 40)} not set`);
  if (LONE_SURROGATE.test(v)) return bad('hmac_sha256', 'not well-formed text');
  const { createHmac } = require('node:crypto') as typeof import('node:crypto');
  return createHmac('sha256', key).update(v, 'utf8').digest('hex');
}
