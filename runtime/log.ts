/**
 * Logging (SPEC 3): one compact JSON line per notable event through console.log, never more
 * than 256 characters (Auth0 truncates longer lines, which would break the JSON). Lines name
 * spec, step, system, status and milliseconds (and, for a write over a size limit, the bytes
 * it would make and the limit). They never carry values, headers or bodies;
 * as a second line of defence every string is scrubbed of e-mail addresses, token-like
 * strings and the run's secret values.
 */

/** One log event. Only short, runtime-chosen words go in `msg`. */
export interface LogEntry {
  spec?: string;
  step?: string;
  system?: string;
  /** HTTP status, or a reason word (`timeout`, `deny`, `skipped`...). */
  status?: number | string;
  ms?: number;
  /** Library function that could not convert a value. */
  fn?: string;
  msg?: string;
  /** Size in bytes a write would make (`over_limit`), and the limit it is over. */
  bytes?: number;
  limit?: number;
}

/** Hard cap per line (LIMITS.logLineChars; the runtime imports nothing from the compiler). */
export const MAX_LINE = 256;

/**
 * Where the engine is while it evaluates synchronous closures, so that a library function
 * that logs a failed conversion can name the spec and step. Set and read synchronously only.
 */
export const logContext: { spec?: string; step?: string } = {};

/** A character that cannot be part of an e-mail address as redacted here. */
const NOT_EMAIL = /[\s@"'<>(),;:]/;
const JWT = /eyJ[\w-]*\.[\w-]*(\.[\w-]*)?/g;
const OPAQUE = /[\w+/=.-]{24,}/g;

/**
 * Replaces every run of e-mail characters around an `@` by `<email>`. A scan, not a regular
 * expression: the pattern "any e-mail characters, @, any e-mail characters" tries every start
 * position and takes quadratic time on a long string without `@` (300,000 characters: minutes).
 */
function redactEmails(s: string): string {
  let out = '';
  let last = 0;
  for (let i = s.indexOf('@'); i >= 0; i = s.indexOf('@', last)) {
    let a = i;
    while (a > last && !NOT_EMAIL.test(s[a - 1]!)) a--;
    let b = i + 1;
    while (b < s.length && !NOT_EMAIL.test(s[b]!)) b++;
    out += s.slice(last, a) + '<email>';
    last = b;
  }
  return out + s.slice(last);
}

/** How much of a field the strict patterns look at (they are quadratic on adversarial text); fields print at most FIELD_MAX. */
const STRICT_WINDOW = 1024;

/**
 * Removes any of `secrets` (values of 4+ characters) and e-mail addresses (anything around an
 * `@`); when `strict`, also JWT-like strings and long opaque strings mixing letters and
 * digits (keys, tokens). Names chosen at build time (spec, step, system) are not strict:
 * a long kebab-case name is not a token. Linear in `s` unless `strict` (the token pattern is
 * quadratic on adversarial text: `formatLog` gives it a bounded window).
 */
export function redact(s: string, secrets: readonly string[] = [], strict = true): string {
  for (const v of secrets) if (v.length >= 4) s = s.split(v).join('<secret>');
  s = redactEmails(s);
  return strict
    ? s.replace(JWT, '<token>').replace(OPAQUE, (m) => (/\d/.test(m) && /[a-z]/i.test(m) ? '<redacted>' : m))
    : s;
}

const FIELD_MAX = 80;
const KEYS = ['spec', 'step', 'system', 'status', 'ms', 'fn', 'msg', 'bytes', 'limit'] as const;

/** The JSON line for an entry: redacted, each string cut to fit, always ≤ MAX_LINE characters. */
export function formatLog(e: LogEntry, secrets?: readonly string[]): string {
  const o: Record<string, string | number> = { mapc: 1 };
  for (const k of KEYS) {
    const v = e[k];
    if (typeof v === 'number') o[k] = Number.isFinite(v) ? Math.round(v) : 0;
    else if (typeof v === 'string') {
      // Secrets and e-mails go first, over the whole text (linear), so that cutting cannot
      // leave part of one; the strict patterns then see a bounded window.
      const clean = redact(v, secrets, false).slice(0, STRICT_WINDOW);
      o[k] = (k === 'msg' || k === 'status' ? redact(clean, [], true) : clean).slice(0, FIELD_MAX);
    }
  }
  let line = JSON.stringify(o);
  // Shrink the longest string until the line fits; JSON escaping can grow a string, so measure again each time.
  while (line.length > MAX_LINE) {
    let longest = '';
    for (const k of KEYS) {
      const v = o[k];
      if (typeof v === 'string' && (longest === '' || v.length > (o[longest] as string).length)) longest = k;
    }
    const v = longest === '' ? '' : (o[longest] as string);
    if (v.length === 0) return '{"mapc":1,"msg":"log line too long"}';
    o[longest] = v.slice(0, Math.max(0, v.length - Math.max(1, line.length - MAX_LINE)));
    line = JSON.stringify(o);
  }
  return line;
}

/**
 * Writes one line. Spec and step default to `logContext`. Never throws: logging must not be
 * what breaks a login.
 */
export function log(e: LogEntry, secrets?: readonly string[]): void {
  try {
    console.log(formatLog({ spec: logContext.spec, step: logContext.step, ...e }, secrets));
  } catch {
    // Nothing sensible left to do.
  }
}
