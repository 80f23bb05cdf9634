/**
 * The function library's signatures (SPEC 2.5): the one registry the compiler's checker and
 * the runtime's implementations (runtime/functions.ts, exported as `fn_<name>`) share.
 * Not bundled into Actions (generated code never imports it).
 */

/** Parameter types. `regex` is a string literal checked at build time; `scalar` is string|number|boolean. */
export type ParamType = 'string' | 'number' | 'integer' | 'boolean' | 'scalar' | 'array' | 'object' | 'any' | 'regex';

/**
 * Result types. `arg0` = same type as the first argument; `element0` = element type of the
 * first argument (an array); `array<string>` = array of strings; `identity` = an entry of
 * `user.identities`; `common` = the common type of all arguments (coalesce/default);
 * `branches` = the common type of the arguments after the first (`if`); `each` = an array of
 * the per-element expression's type (`map_each`); `pluck` = an array of the element field named
 * by the literal second argument; `flatten` = an array of the elements of the first
 * argument's array elements.
 */
export type ResultType = ParamType | 'arg0' | 'element0' | 'array<string>' | 'identity' | 'common' | 'branches' | 'each' | 'pluck' | 'flatten';

export interface Param {
  readonly name: string;
  readonly type: ParamType;
  readonly optional?: boolean;
  /** Must be a literal at build time (regular expressions, tables). */
  readonly literal?: boolean;
  /**
   * What the literal must be, checked at build time (compiler/expr/literals.ts): an IANA time
   * zone; a date format (`parse_format`: one parse_date can read, so with a year); the name
   * of an Action secret (the Action then lists it in its secrets, and generated code reads
   * its value from event.secrets: the function has `readsEvent: ['secrets']`).
   */
  readonly check?: 'time_zone' | 'date_format' | 'parse_format' | 'secret';
  /**
   * Evaluated once per element of the first argument (an array), with the root `item` bound
   * to the element (`filter(user.identities, item.isSocial)`): generated code passes a
   * closure `(item) => ...`. Such a function is no transform step, and no list function may
   * stand inside this argument (MAPC0318): the language stays without recursion.
   */
  readonly perElement?: boolean;
  /**
   * The argument decides which of the others comes out (`if`'s condition), as a per-element
   * argument does: the trust analysis classifies its reads at once, so a member access after
   * the call cannot narrow them away.
   */
  readonly decides?: boolean;
}

export interface Signature {
  readonly params: readonly Param[];
  /** When set, any number (≥ 0) of further arguments of this type. */
  readonly variadic?: ParamType;
  readonly returns: ResultType;
  /** What null (or an unconvertible value) does, in words, for the docs. */
  readonly nullRule: string;
  readonly doc: string;
  /** Example call and its result, for the docs and for a test that runs them. */
  readonly examples: readonly { readonly call: string; readonly result: unknown }[];
  /** Reads the clock (now, hours_since...): a field using it is never "unchanged". */
  readonly impure?: boolean;
  /**
   * The event field the function reads itself (`identity` reads user.identities): generated
   * code passes the event first (`fn_identity(s.event, provider)`), and the checker refuses
   * the call on a trigger whose event lacks the field.
   */
  readonly readsEvent?: readonly [root: string, ...keys: string[]];
}

type P = Param['type'];
const p = (name: string, type: P, extra: Pick<Param, 'optional' | 'literal' | 'check' | 'perElement' | 'decides'> = {}): Param => ({ name, type, ...extra });
const NULL_IN = 'null in → null out';
const ex = (call: string, result: unknown) => ({ call, result });

/**
 * Every library function, by name (sorted). Runtime implementations are `fn_<name>` in
 * runtime/functions.ts; a test checks that both have the same names and that each example
 * evaluates to its result. A function with `readsEvent` (`identity`, `authenticated_with`) is
 * called by generated code as `fn_identity(s.event, provider)`: the event is implicit and not
 * listed as a parameter.
 */
export const SIGNATURES: Readonly<Record<string, Signature>> = {
  add_days: {
    params: [p('date', 'scalar'), p('days', 'number')],
    returns: 'string',
    nullRule: 'null in → null out; an unparseable date, or days that is not a number → null (logged)',
    doc: 'The date (ISO 8601 text or epoch milliseconds) plus a number of days of 24 hours (negative: earlier; fractions are hours), as ISO 8601 UTC text: a trial end, a renewal date.',
    examples: [ex("add_days('2024-02-28T10:00:00Z', 1)", '2024-02-29T10:00:00.000Z'), ex("add_days('2024-03-01', -1.5)", '2024-02-28T12:00:00.000Z')],
  },
  all: {
    params: [p('list', 'array'), p('predicate', 'boolean', { perElement: true })],
    returns: 'boolean',
    nullRule: 'null in → null out; a list that is not an array → null (logged); true for an empty list; a null predicate does not hold',
    doc: "Whether the predicate, evaluated with item bound to each element, holds for every element: all(user.identities, item.isSocial).",
    examples: [ex("all(split('a,b', ','), item != 'c')", true), ex("all(split('a,b', ','), item == 'a')", false)],
  },
  any: {
    params: [p('list', 'array'), p('predicate', 'boolean', { perElement: true })],
    returns: 'boolean',
    nullRule: 'null in → null out; a list that is not an array → null (logged); false for an empty list; a null predicate does not hold',
    doc: "Whether the predicate, evaluated with item bound to each element, holds for some element: any(user.app_metadata.roles, item == 'admin').",
    examples: [ex("any(split('a,b', ','), item == 'b')", true), ex("any(split('a,b', ','), starts_with(item, 'x'))", false)],
  },
  authenticated_with: {
    params: [p('method', 'string'), p('within_hours', 'number', { optional: true })],
    returns: 'boolean',
    nullRule: 'never null: false when the login has no such method (or no authentication.methods)',
    doc:
      "Whether this login already used an authentication method (an entry of authentication.methods with that name: 'pwd', 'mfa', 'federated', 'passkey', a custom method's URL...), optionally within the last within_hours hours. For step-up MFA: !authenticated_with('mfa').",
    examples: [ex("authenticated_with('no-such-method')", false)],
    impure: true,
    readsEvent: ['authentication', 'methods'],
  },
  base64_decode: {
    params: [p('text', 'string')],
    returns: 'string',
    nullRule: 'null in → null out; text that is not base64 (standard or URL-safe) of UTF-8 text → null (logged)',
    doc: 'Base64 back to text; the standard and the URL-safe alphabet, padding optional.',
    examples: [ex("base64_decode('aMOpbGxv')", 'héllo'), ex("base64_decode('not base64!')", null)],
  },
  base64_encode: {
    params: [p('text', 'string')],
    returns: 'string',
    nullRule: 'null in → null out; text with a lone surrogate → null (logged)',
    doc: 'The UTF-8 bytes of the text as standard base64 (with padding).',
    examples: [ex("base64_encode('héllo')", 'aMOpbGxv')],
  },
  capitalize: {
    params: [p('text', 'string')],
    returns: 'string',
    nullRule: NULL_IN,
    doc: 'First character upper-cased, the rest unchanged.',
    examples: [ex("capitalize('hello world')", 'Hello world')],
  },
  ceil: {
    params: [p('number', 'number')],
    returns: 'number',
    nullRule: 'null in → null out; NaN or infinity → null (logged)',
    doc: 'The smallest integer not below the number.',
    examples: [ex('ceil(2.1)', 3), ex('ceil(-2.5)', -2)],
  },
  clamp: {
    params: [p('number', 'number'), p('min', 'number'), p('max', 'number')],
    returns: 'number',
    nullRule: 'null in → null out; NaN, infinity, or min above max → null (logged)',
    doc: 'The number, or min when it is below min, or max when it is above max (a score kept in 0–100).',
    examples: [ex('clamp(140, 0, 100)', 100), ex('clamp(-3, 0, 100)', 0), ex('clamp(42.5, 0, 100)', 42.5)],
  },
  coalesce: {
    params: [p('value', 'any')],
    variadic: 'any',
    returns: 'common',
    nullRule: 'null arguments are skipped; null when all are null',
    doc: 'The first argument that is not null.',
    examples: [ex("coalesce(null, 'b', 'c')", 'b'), ex('coalesce(null, null)', null)],
  },
  concat: {
    params: [p('value', 'any')],
    variadic: 'any',
    returns: 'string',
    nullRule: 'null arguments are skipped; null when all are null',
    doc: 'The arguments as text, concatenated (numbers and booleans via String, arrays and objects as JSON).',
    examples: [ex("concat('a', null, 1, true)", 'a1true'), ex('concat(null)', null)],
  },
  contains: {
    params: [p('haystack', 'any'), p('needle', 'any')],
    returns: 'boolean',
    nullRule: 'null text → null; an array is searched for an equal (strict) element',
    doc: 'Whether text contains a substring, or an array contains an element.',
    examples: [ex("contains('premium-plus', 'plus')", true), ex("contains(split('a,b', ','), 'c')", false)],
  },
  days_between: {
    params: [p('from', 'scalar'), p('to', 'scalar')],
    returns: 'number',
    nullRule: 'null in → null out; an unparseable date → null (logged)',
    doc: 'Days (fractional) from the first date to the second (ISO 8601 text or epoch milliseconds); negative when the second is earlier. Does not read the clock: days_between(user.created_at, now()) does.',
    examples: [ex("days_between('2024-02-01', '2024-03-01')", 29), ex("days_between('2024-03-01T12:00:00Z', '2024-03-01')", -0.5)],
  },
  days_since: {
    params: [p('date', 'scalar')],
    returns: 'number',
    nullRule: 'null in → null out; an unparseable date → null (logged)',
    doc: 'Days (fractional) from a date (ISO 8601 text or epoch milliseconds) until now.',
    examples: [ex('days_since(null)', null), ex("days_since('not a date')", null)],
    impure: true,
  },
  default: {
    params: [p('value', 'any'), p('fallback', 'any')],
    returns: 'common',
    nullRule: 'null value → fallback',
    doc: 'The value unless it is null, else the fallback.',
    examples: [ex("default(null, 'standard')", 'standard'), ex("default('gold', 'standard')", 'gold')],
  },
  email_domain: {
    params: [p('email', 'string')],
    returns: 'string',
    nullRule: 'null in → null out; text without a domain → null (logged)',
    doc: 'The lower-cased domain of an e-mail address (after the last @).',
    examples: [ex("email_domain('Jane@Example.COM')", 'example.com'), ex("email_domain('nobody')", null)],
  },
  empty: {
    params: [p('value', 'any')],
    returns: 'boolean',
    nullRule: 'never null: null is empty',
    doc: "True for null, '', [] and {}; 0 and false are not empty.",
    examples: [ex("empty('')", true), ex('empty(null)', true), ex('empty(0)', false), ex("empty(split('a', ','))", false)],
  },
  ends_with: {
    params: [p('text', 'string'), p('suffix', 'string')],
    returns: 'boolean',
    nullRule: NULL_IN,
    doc: 'Whether text ends with the suffix.',
    examples: [ex("ends_with('jane@acme.example', '@acme.example')", true)],
  },
  exists: {
    params: [p('value', 'any')],
    returns: 'boolean',
    nullRule: 'never null: false for null and missing values',
    doc: 'Whether the value is present (not null).',
    examples: [ex('exists(null)', false), ex('exists(0)', true)],
  },
  filter: {
    params: [p('list', 'array'), p('predicate', 'boolean', { perElement: true })],
    returns: 'arg0',
    nullRule: 'null in → null out; a list that is not an array → null (logged); a null predicate does not hold',
    doc: 'The elements for which the predicate, evaluated with item bound to each element, holds, in order: filter(user.identities, item.isSocial).',
    examples: [ex("filter(split('a,bb,c', ','), length(item) == 1)", ['a', 'c'])],
  },
  find: {
    params: [p('list', 'array'), p('predicate', 'boolean', { perElement: true })],
    returns: 'element0',
    nullRule: 'null in → null out; a list that is not an array → null (logged); null when no element matches',
    doc: "The first element for which the predicate, evaluated with item bound to each element, holds: find(user.identities, item.provider == 'google-oauth2').user_id.",
    examples: [ex("find(split('a1,b2,b3', ','), starts_with(item, 'b'))", 'b2'), ex("find(split('a', ','), item == 'z')", null)],
  },
  first: {
    params: [p('array', 'array')],
    returns: 'element0',
    nullRule: 'null in → null out; an empty array → null',
    doc: 'The first element of an array.',
    examples: [ex("first(split('a,b', ','))", 'a')],
  },
  flatten: {
    params: [p('list', 'array')],
    returns: 'flatten',
    nullRule: 'null in → null out; a list that is not an array → null (logged); at most 1,000 elements are made (logged when cut)',
    doc: 'One level of nesting removed: the elements of the array elements, in order; other elements stay as they are.',
    examples: [ex("flatten(map_each(split('a b,c', ','), split(item, ' ')))", ['a', 'b', 'c'])],
  },
  floor: {
    params: [p('number', 'number')],
    returns: 'number',
    nullRule: 'null in → null out; NaN or infinity → null (logged)',
    doc: 'The largest integer not above the number.',
    examples: [ex('floor(2.9)', 2), ex('floor(-2.5)', -3)],
  },
  format_date: {
    params: [p('date', 'scalar'), p('format', 'string', { literal: true, check: 'date_format' }), p('time_zone', 'string', { optional: true, literal: true, check: 'time_zone' })],
    returns: 'string',
    nullRule: 'null in → null out; an unparseable date, or one outside the years 1–9999 → null (logged)',
    doc: "The date (ISO 8601 text or epoch milliseconds) as text on the wall clock of an IANA time zone (checked at build time; default UTC), daylight saving time included. The format is 'iso' (ISO 8601 with the offset), 'rfc2822', 'unix' (epoch seconds), 'unix_ms', or a pattern: see Date formats below.",
    examples: [
      ex("format_date('2024-07-01T12:00:00Z', 'iso', 'Europe/Berlin')", '2024-07-01T14:00:00.000+02:00'),
      ex("format_date('2024-01-05T23:30:00Z', 'EEE d MMM yyyy, HH:mm', 'America/New_York')", 'Fri 5 Jan 2024, 18:30'),
      ex("format_date(0, 'yyyy-MM-dd')", '1970-01-01'),
    ],
  },
  format_number: {
    params: [p('number', 'number'), p('decimals', 'integer')],
    returns: 'string',
    nullRule: 'null in → null out; NaN, infinity, 1e21 or more, or decimals outside 0–20 → null (logged)',
    doc: "The number as text with exactly that many decimals: '.' before them, no thousands separator, whatever the locale (an amount for a billing system). Halves round away from zero on the decimal digits (1.005 → '1.01').",
    examples: [ex('format_number(1234.5, 2)', '1234.50'), ex('format_number(1.005, 2)', '1.01'), ex('format_number(-2.5, 0)', '-3')],
  },
  hmac_sha256: {
    params: [p('text', 'scalar'), p('secret', 'string', { literal: true, check: 'secret' })],
    returns: 'string',
    nullRule: 'null in → null out; the secret not set (or empty) in the Action → null (logged with the secret\'s name, never its value)',
    doc: "Lower-case hex HMAC-SHA-256 of the UTF-8 text, keyed with the Action secret of that name (a literal name, checked at build time, never a value; the Action lists it among its secrets): a signature a system can verify. The example is RFC 4231's test case 2, with the secret WEBHOOK_KEY set to 'Jefe'.",
    examples: [ex("hmac_sha256('what do ya want for nothing?', 'WEBHOOK_KEY')", '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843')],
    readsEvent: ['secrets'],
  },
  hours_since: {
    params: [p('date', 'scalar')],
    returns: 'number',
    nullRule: 'null in → null out; an unparseable date → null (logged)',
    doc: 'Hours (fractional) from a date (ISO 8601 text or epoch milliseconds) until now.',
    examples: [ex('hours_since(null)', null), ex("hours_since('yesterday-ish')", null)],
    impure: true,
  },
  identity: {
    params: [p('provider', 'string')],
    returns: 'identity',
    nullRule: 'null when the user has no identity of that provider',
    doc: "The user's first identity (entry of user.identities) whose provider is the given one. Called as fn_identity(event, provider).",
    examples: [ex("identity('no-such-provider')", null)],
    readsEvent: ['user', 'identities'],
  },
  if: {
    params: [p('condition', 'boolean', { decides: true }), p('then', 'any'), p('else', 'any', { optional: true })],
    returns: 'branches',
    nullRule: "a null condition is false: the else value (null when there is no else); only the branch taken is evaluated",
    doc: "A conditional value: then when the condition holds, else otherwise. Both branches should have one type (a branch of another type makes the result 'any'; null fits every type). Only the branch taken is computed.",
    examples: [ex("if(true, 'gold', 'basic')", 'gold'), ex("if(null, 'gold', 'basic')", 'basic'), ex("if(false, 'gold')", null)],
  },
  index_of: {
    params: [p('list', 'array'), p('value', 'any')],
    returns: 'integer',
    nullRule: 'null list → null; a list that is not an array → null (logged); null when no element equals the value',
    doc: 'The position (0, 1, ...) of the first element equal to the value (strictly, as ==); null, not -1, when there is none, so a missing position cannot pass for one (slice(x, -1) is the last element).',
    examples: [ex("index_of(split('a,b,c', ','), 'b')", 1), ex("index_of(split('a,b', ','), 'z')", null)],
  },
  is_array: {
    params: [p('value', 'any')],
    returns: 'boolean',
    nullRule: 'never null: false for null',
    doc: 'Whether the value is an array.',
    examples: [ex("is_array(split('a', ','))", true), ex("is_array('a')", false)],
  },
  join: {
    params: [p('array', 'array'), p('separator', 'string')],
    returns: 'string',
    nullRule: 'null in → null out; null elements are skipped; an array or object element → null (logged)',
    doc: 'The elements as text, joined by the separator.',
    examples: [ex("join(split('a,b,c', ','), '-')", 'a-b-c')],
  },
  json_encode: {
    params: [p('value', 'any')],
    returns: 'string',
    nullRule: 'null in → null out; a value too deep to encode → null (logged)',
    doc: 'The value as JSON text (for a system that wants a JSON string inside its body).',
    examples: [ex("json_encode(split('a,b', ','))", '["a","b"]'), ex('json_encode(1.5)', '1.5')],
  },
  json_parse: {
    params: [p('text', 'string')],
    returns: 'any',
    nullRule: 'null in → null out; text that is not JSON → null (logged)',
    doc: 'JSON text (a system that returns JSON inside a string field) as a value.',
    examples: [ex('json_parse(\'{"tier":"gold"}\')', { tier: 'gold' }), ex("json_parse('{oops')", null)],
  },
  last: {
    params: [p('array', 'array')],
    returns: 'element0',
    nullRule: 'null in → null out; an empty array → null',
    doc: 'The last element of an array.',
    examples: [ex("last(split('a,b', ','))", 'b')],
  },
  length: {
    params: [p('value', 'any')],
    returns: 'integer',
    nullRule: 'null in → null out; neither text nor array → null (logged)',
    doc: 'Number of characters (code points) of text or elements of an array.',
    examples: [ex("length('héllo')", 5), ex("length(split('a,b', ','))", 2)],
  },
  lower: {
    params: [p('text', 'string')],
    returns: 'string',
    nullRule: NULL_IN,
    doc: 'Text in lower case.',
    examples: [ex("lower('Jane.DOE')", 'jane.doe')],
  },
  map: {
    params: [p('value', 'scalar'), p('table', 'object', { literal: true }), p('default', 'any', { optional: true, literal: true })],
    returns: 'any',
    nullRule: 'null in → null out; a value not in the table → default (or null)',
    doc: 'Looks the value (as text) up in a literal table. Usually a transform: `- map: { table: {...}, default: ... }`.',
    examples: [ex("map(true, {'true': 'Yes', 'false': 'No'}, 'No')", 'Yes'), ex("map('x', {'true': 'Yes'}, 'No')", 'No')],
  },
  map_each: {
    params: [p('list', 'array'), p('expression', 'any', { perElement: true })],
    returns: 'each',
    nullRule: 'null in → null out; a list that is not an array → null (logged); an element whose expression is null gives null at its place',
    doc: 'The expression, evaluated with item bound to each element, for every element, in order: map_each(user.identities, lower(item.provider)). (map is the table lookup; for a field of every element, write user.identities[*].provider or pluck.)',
    examples: [ex("map_each(split('a,b', ','), upper(item))", ['A', 'B'])],
  },
  matches: {
    params: [p('text', 'string'), p('pattern', 'regex', { literal: true })],
    returns: 'boolean',
    nullRule: 'null in → null out; text longer than 4,096 characters → null (logged)',
    doc: 'Whether text contains a match of the regular expression (checked at build time). A running regular expression cannot be interrupted, so text over 4,096 characters is not matched.',
    examples: [ex("matches('A-123', '^[A-Z]-[0-9]+$')", true), ex("matches('a', '^b')", false)],
  },
  normalize_email: {
    params: [p('email', 'string')],
    returns: 'string',
    nullRule: 'null in → null out; text without exactly one @ with text on both sides, or with spaces inside → null (logged)',
    doc: 'The e-mail address trimmed and lower-cased: the form to compare, or to key an external record by.',
    examples: [ex("normalize_email('  Jane.Doe@Example.COM ')", 'jane.doe@example.com'), ex("normalize_email('jane')", null)],
  },
  normalize_locale: {
    params: [p('locale', 'string')],
    returns: 'string',
    nullRule: 'null in → null out; text that is not a locale → null (logged)',
    doc: 'A BCP 47 locale tag in canonical case.',
    examples: [ex("normalize_locale('en_us')", 'en-US'), ex("normalize_locale('zh_hant_tw')", 'zh-Hant-TW'), ex("normalize_locale('??')", null)],
  },
  normalize_phone: {
    params: [p('phone', 'string'), p('country', 'string', { optional: true })],
    returns: 'string',
    nullRule: 'null in → null out; letters (an extension), a + inside, a national number without a country, or not 8–15 digits in all → null (logged)',
    doc: "A phone number in E.164 form (+ and 8–15 digits): spaces, dots, dashes, slashes and parentheses dropped (and a (0) after the country code), a leading 00 read as +. A number with neither is national in country, a calling code ('1', '44', '+49'): its trunk 0 is dropped (kept for Italy, 39), and the leading 1 of an 11-digit North American number. No per-country numbering-plan validation.",
    examples: [
      ex("normalize_phone('+44 (0)20 7946 0958')", '+442079460958'),
      ex("normalize_phone('030 1234567', '49')", '+49301234567'),
      ex("normalize_phone('(555) 010-4477', '1')", '+15550104477'),
      ex("normalize_phone('555-0100 ext. 7', '1')", null),
    ],
  },
  now: {
    params: [],
    returns: 'string',
    nullRule: 'never null',
    doc: 'The current time as ISO 8601 UTC text.',
    examples: [],
    impure: true,
  },
  pad_start: {
    params: [p('text', 'string'), p('length', 'integer'), p('fill', 'string', { optional: true })],
    returns: 'string',
    nullRule: 'null in → null out; a length over 1,024 → null (logged)',
    doc: 'Text padded at the start with fill (default a space, repeated as needed) to length characters (code points); longer text, or an empty fill, leaves it as it is.',
    examples: [ex("pad_start('42', 6, '0')", '000042'), ex("pad_start('1234567', 6, '0')", '1234567')],
  },
  parse_date: {
    params: [p('text', 'scalar'), p('format', 'string', { literal: true, check: 'parse_format' }), p('time_zone', 'string', { optional: true, literal: true, check: 'time_zone' })],
    returns: 'string',
    nullRule: 'null in → null out; text that does not match the format, or a date that does not exist (31 April, 29 February of a common year) → null (logged)',
    doc: "A date read from text with a format (checked at build time), as ISO 8601 UTC text. The format is 'iso' (ISO 8601: a date, optionally a time and an offset), 'rfc2822' (e-mail and HTTP dates), 'unix' (epoch seconds, text or number), 'unix_ms', or a pattern with yyyy: see Date formats below. A time without an offset is read on the wall clock of the IANA time zone (checked at build time; default UTC).",
    examples: [
      ex("parse_date('31.12.2024 23:15', 'dd.MM.yyyy HH:mm', 'Europe/Berlin')", '2024-12-31T22:15:00.000Z'),
      ex("parse_date('Tue, 1 Jul 2003 10:52:37 +0200', 'rfc2822')", '2003-07-01T08:52:37.000Z'),
      ex("parse_date('1700000000', 'unix')", '2023-11-14T22:13:20.000Z'),
      ex("parse_date('2023-02-29', 'iso')", null),
    ],
  },
  pluck: {
    params: [p('list', 'array'), p('key', 'string', { literal: true })],
    returns: 'pluck',
    nullRule: 'null in → null out; a list that is not an array → null (logged); an element without the key (or not an object) gives null at its place',
    doc: "The field key of every element, in order: pluck(user.identities, 'provider') is user.identities[*].provider.",
    examples: [ex("pluck(json_parse('[{\"p\":\"x\"},{\"q\":1}]'), 'p')", ['x', null])],
  },
  regex_extract: {
    params: [p('text', 'string'), p('pattern', 'regex', { literal: true }), p('group', 'integer', { optional: true })],
    returns: 'string',
    nullRule: 'null in → null out; no match (or the group did not take part) → null; text longer than 4,096 characters → null (logged)',
    doc: 'The first match of the regular expression (checked at build time), or its capture group (1, 2, ...). Text over 4,096 characters is not searched (null).',
    examples: [ex("regex_extract('order-4711-eu', '([0-9]+)-([a-z]+)', 2)", 'eu'), ex("regex_extract('abc', '[0-9]+')", null)],
  },
  regex_replace: {
    params: [p('text', 'string'), p('pattern', 'regex', { literal: true }), p('replacement', 'string')],
    returns: 'string',
    nullRule: 'null in → null out; text longer than 4,096 characters → null (logged)',
    doc: 'Replaces every match of the regular expression (checked at build time); $1 refers to a group. Text over 4,096 characters is not searched (null).',
    examples: [ex("regex_replace('+1 (555) 010', '[^0-9+]', '')", '+1555010')],
  },
  remove_accents: {
    params: [p('text', 'string')],
    returns: 'string',
    nullRule: NULL_IN,
    doc: 'Text without accents (combining marks U+0300–U+036F after Unicode decomposition), for a system that takes ASCII names; letters without a decomposition (ß, ø, ł, æ) stay.',
    examples: [ex("remove_accents('Zoë Ångström-Núñez')", 'Zoe Angstrom-Nunez')],
  },
  replace: {
    params: [p('text', 'string'), p('search', 'string'), p('replacement', 'string')],
    returns: 'string',
    nullRule: NULL_IN,
    doc: 'Replaces every occurrence of the search text (literal, not a pattern).',
    examples: [ex("replace('en-us-x', '-', '_')", 'en_us_x')],
  },
  round: {
    params: [p('number', 'number'), p('digits', 'integer', { optional: true })],
    returns: 'number',
    nullRule: NULL_IN,
    doc: 'The number rounded to the given decimals (default 0).',
    examples: [ex('round(2.346, 2)', 2.35), ex('round(7.5)', 8)],
  },
  sha256: {
    params: [p('text', 'scalar')],
    returns: 'string',
    nullRule: NULL_IN,
    doc: 'Lower-case hex SHA-256 of the UTF-8 text.',
    examples: [ex("sha256('abc')", 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')],
  },
  slice: {
    params: [p('list', 'array'), p('start', 'integer'), p('end', 'integer', { optional: true })],
    returns: 'arg0',
    nullRule: 'null in → null out; a list that is not an array, or a position that is not a number → null (logged)',
    doc: 'The elements from start up to, not including, end (default: to the end); negative positions count from the end, as substring does for text.',
    examples: [ex("slice(split('a,b,c,d', ','), 1, 3)", ['b', 'c']), ex("slice(split('a,b,c', ','), -1)", ['c'])],
  },
  sort: {
    params: [p('list', 'array')],
    returns: 'arg0',
    nullRule: 'null in → null out; a list that is not an array, or one mixing numbers and text or holding other values (booleans, objects, arrays) → null (logged); null elements go last',
    doc: 'Numbers in ascending order, or text by UTF-16 code units (as < compares it: upper case before lower case, no locale); stable and deterministic.',
    examples: [ex("sort(split('b,C,a', ','))", ['C', 'a', 'b']), ex("sort(json_parse('[10, null, 9.5]'))", [9.5, 10, null])],
  },
  split: {
    params: [p('text', 'string'), p('separator', 'string')],
    returns: 'array<string>',
    nullRule: NULL_IN,
    doc: 'Splits text at every separator.',
    examples: [ex("split('a,b', ',')", ['a', 'b'])],
  },
  starts_with: {
    params: [p('text', 'string'), p('prefix', 'string')],
    returns: 'boolean',
    nullRule: NULL_IN,
    doc: 'Whether text starts with the prefix.',
    examples: [ex("starts_with('auth0|123', 'auth0|')", true)],
  },
  substring: {
    params: [p('text', 'string'), p('start', 'integer'), p('end', 'integer', { optional: true })],
    returns: 'string',
    nullRule: NULL_IN,
    doc: 'Characters (code points) from start up to, not including, end (default: to the end); negative positions count from the end.',
    examples: [ex("substring('abcdef', 1, 3)", 'bc'), ex("substring('abcdef', -2)", 'ef')],
  },
  to_boolean: {
    params: [p('value', 'scalar')],
    returns: 'boolean',
    nullRule: 'null in → null out; other text → null (logged)',
    doc: 'true/false from booleans, numbers (0 is false) and words: true/yes/y/1/on, false/no/n/0/off (any case).',
    examples: [ex("to_boolean('Yes')", true), ex('to_boolean(0)', false), ex("to_boolean('maybe')", null)],
  },
  to_int: {
    params: [p('value', 'scalar')],
    returns: 'integer',
    nullRule: 'null in → null out; not a number → null (logged)',
    doc: 'An integer (truncated toward zero) from a number or numeric text.',
    examples: [ex("to_int('12.7')", 12), ex("to_int('x')", null)],
  },
  to_iso_date: {
    params: [p('date', 'scalar')],
    returns: 'string',
    nullRule: 'null in → null out; an unparseable date → null (logged)',
    doc: 'ISO 8601 UTC text from a date string or epoch milliseconds.',
    examples: [ex('to_iso_date(0)', '1970-01-01T00:00:00.000Z'), ex("to_iso_date('2024-02-03T04:05:06+01:00')", '2024-02-03T03:05:06.000Z')],
  },
  to_number: {
    params: [p('value', 'scalar')],
    returns: 'number',
    nullRule: 'null in → null out; not a number → null (logged)',
    doc: 'A finite number from a number, numeric text or a boolean (1/0).',
    examples: [ex("to_number(' 4.5 ')", 4.5), ex("to_number('4x')", null)],
  },
  to_string: {
    params: [p('value', 'any')],
    returns: 'string',
    nullRule: NULL_IN,
    doc: 'Text of a value: numbers and booleans via String, arrays and objects as JSON.',
    examples: [ex('to_string(42)', '42'), ex("to_string(split('a', ','))", '["a"]')],
  },
  trim: {
    params: [p('text', 'string')],
    returns: 'string',
    nullRule: NULL_IN,
    doc: 'Text without leading and trailing whitespace.',
    examples: [ex("trim('  a b ')", 'a b')],
  },
  truncate: {
    params: [p('text', 'string'), p('max', 'integer')],
    returns: 'string',
    nullRule: NULL_IN,
    doc: 'At most max characters (code points); no ellipsis is added.',
    examples: [ex("truncate('abcdef', 3)", 'abc')],
  },
  unique: {
    params: [p('array', 'array')],
    returns: 'arg0',
    nullRule: NULL_IN,
    doc: 'The array without repeated elements (first occurrence kept).',
    examples: [ex("unique(split('a,b,a', ','))", ['a', 'b'])],
  },
  upper: {
    params: [p('text', 'string')],
    returns: 'string',
    nullRule: NULL_IN,
    doc: 'Text in upper case.',
    examples: [ex("upper('eu')", 'EU')],
  },
  url_decode: {
    params: [p('text', 'string')],
    returns: 'string',
    nullRule: 'null in → null out; a broken %-escape → null (logged)',
    doc: 'Percent-encoded text decoded (a + stays a +).',
    examples: [ex("url_decode('a%20b%2Fc')", 'a b/c'), ex("url_decode('%E0%A4%A')", null)],
  },
  url_encode: {
    params: [p('text', 'string')],
    returns: 'string',
    nullRule: 'null in → null out; text with a lone surrogate → null (logged)',
    doc: "The text percent-encoded as a URL component (request paths and queries are encoded already; this is for a URL inside a value).",
    examples: [ex("url_encode('a b/c')", 'a%20b%2Fc')],
  },
  uuid_v5: {
    params: [p('name', 'string'), p('namespace', 'string')],
    returns: 'string',
    nullRule: 'null in → null out; a namespace that is not a UUID → null (logged)',
    doc: 'A deterministic UUID (version 5: SHA-1 of the namespace UUID and the name), so an external system gets the same id for the same user every time.',
    examples: [ex("uuid_v5('www.example.com', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')", '2ed6657d-e927-568b-95e1-2665a8aea6a2')],
  },
};
