/**
 * The only way mapc builds JavaScript (after ajv's lib/compile/codegen/code.ts). Generated
 * code is a `Code` value; the `js` tagged template inserts `Code` holes raw and encodes every
 * other hole with `literal()`, so a user string can only ever become a string literal.
 * Emitters take and return `Code`, never raw strings.
 *
 * A second hazard is specific to mapc's output: the Auth0 Deploy CLI replaces `##KEY##` and
 * `@@KEY@@` keywords in every code.js it uploads (AUTH0-FACTS.md §4.4). A user string
 * carrying `##CRM_API_KEY##` must not turn into the secret's value in deployed code, so string
 * literals and comments never contain `##` or `@@`.
 */

/** Opaque, already-rendered JavaScript. Only this module can make one from text. */
export class Code {
  /** @internal use `js`, `literal`, `Name` or the helpers below. */
  constructor(
    private readonly text: string,
    token: typeof TOKEN,
  ) {
    if (token !== TOKEN) throw new Error('codegen: Code is made only by codegen (js, literal, Name)');
  }

  toString(): string {
    return this.text;
  }

  /** True when rendering produced no characters (used to drop empty parts). */
  get isEmpty(): boolean {
    return this.text === '';
  }
}

// Guards the Code constructor: modules outside codegen cannot forge Code from a string.
const TOKEN: unique symbol = Symbol('codegen');

function code(text: string): Code {
  return new Code(text, TOKEN);
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** Words that cannot name a binding in strict-mode module code. */
const RESERVED = new Set([
  'arguments', 'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger',
  'default', 'delete', 'do', 'else', 'enum', 'eval', 'export', 'extends', 'false', 'finally',
  'for', 'function', 'if', 'implements', 'import', 'in', 'instanceof', 'interface', 'let',
  'new', 'null', 'package', 'private', 'protected', 'public', 'return', 'static', 'super',
  'switch', 'this', 'throw', 'true', 'try', 'typeof', 'undefined', 'var', 'void', 'while',
  'with', 'yield', 'NaN', 'Infinity',
]);

/**
 * A JavaScript identifier used as a binding or import name. Throws when `name` is not a
 * valid, non-reserved identifier: names are made by the compiler, so a bad one is a bug.
 */
export class Name extends Code {
  constructor(readonly name: string) {
    if (!IDENTIFIER.test(name) || RESERVED.has(name)) {
      throw new Error(`codegen: invalid identifier ${JSON.stringify(name)}`);
    }
    super(name, TOKEN);
  }
}

/** Whether `s` can be written as a bare property name (`.key`, `{ key: ... }`). */
export function isIdentifierName(s: string): boolean {
  return IDENTIFIER.test(s);
}

/**
 * Tagged template for JavaScript: `js\`f(${a}, ${b})\``. A `Code` hole is inserted as is;
 * any other value is encoded with `literal()`.
 */
export function js(strings: TemplateStringsArray, ...holes: unknown[]): Code {
  let out = strings[0]!;
  for (let i = 0; i < holes.length; i++) {
    const h = holes[i];
    out += (h instanceof Code ? h.toString() : literal(h).toString()) + strings[i + 1]!;
  }
  return code(out);
}

/**
 * A JavaScript expression that evaluates to a deep copy of `v`: strings, numbers (including
 * NaN, ±Infinity and -0), booleans, null, undefined, arrays and plain objects. Object keys
 * keep their enumeration order (deterministic for the same input); `__proto__` becomes a
 * computed key so it stays an own property instead of setting the prototype. Strings are
 * safe inside `<script>`, across U+2028/U+2029, and against Deploy CLI keyword replacement.
 * Throws on anything else (functions, symbols, class instances, cycles): a compiler bug.
 */
export function literal(v: unknown): Code {
  return code(encode(v, new Set()));
}

function encode(v: unknown, seen: Set<object>): string {
  switch (typeof v) {
    case 'string':
      return encodeString(v);
    case 'number':
      if (Number.isNaN(v)) return 'NaN';
      if (v === Infinity) return 'Infinity';
      if (v === -Infinity) return '-Infinity';
      if (Object.is(v, -0)) return '-0';
      return JSON.stringify(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'undefined':
      return 'undefined';
    case 'bigint':
      return `${v}n`;
    case 'object': {
      if (v === null) return 'null';
      if (seen.has(v)) throw new Error('codegen: cyclic value in literal()');
      seen.add(v);
      let out: string;
      if (Array.isArray(v)) {
        // Holes become undefined: an explicit value keeps the output readable and equivalent.
        const items: string[] = [];
        for (let i = 0; i < v.length; i++) items.push(encode(v[i], seen));
        out = `[${items.join(', ')}]`;
      } else {
        const proto = Object.getPrototypeOf(v);
        if (proto !== Object.prototype && proto !== null) {
          throw new Error('codegen: literal() accepts only plain objects and arrays');
        }
        const entries = Object.keys(v).map(
          (k) => `${propertyKey(k)}: ${encode((v as Record<string, unknown>)[k], seen)}`,
        );
        out = entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
      }
      seen.delete(v);
      return out;
    }
    default:
      throw new Error(`codegen: cannot encode a ${typeof v} as a literal`);
  }
}

/** JSON string with `<`, U+2028, U+2029 escaped and no `##`/`@@` left in the source text. */
function encodeString(s: string): string {
  return JSON.stringify(s)
    .replace(/[<\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/#(?=#)/g, '\\u0023')
    .replace(/@(?=@)/g, '\\u0040');
}

/** An object-literal key: bare when an identifier, quoted otherwise, computed for `__proto__`. */
export function propertyKey(k: string): string {
  if (k === '__proto__') return `[${encodeString(k)}]`;
  return IDENTIFIER.test(k) ? k : encodeString(k);
}

/** `obj.key` when `key` is an identifier name, `obj["key"]` otherwise (and for numbers: `obj[0]`). */
export function prop(obj: Code, key: string | number): Code {
  if (typeof key === 'number') return code(`${obj}[${encode(key, new Set())}]`);
  return code(IDENTIFIER.test(key) ? `${obj}.${key}` : `${obj}[${encodeString(key)}]`);
}

/** `key: value` inside an object literal, the key encoded by `propertyKey`. */
export function property(key: string, value: Code): Code {
  return code(`${propertyKey(key)}: ${value}`);
}

/** Joins codes with a separator (itself Code; defaults to `, `). Empty codes are kept. */
export function join(codes: readonly Code[], sep: Code = code(', ')): Code {
  return code(codes.map(String).join(sep.toString()));
}

/** The empty code. */
export const nil: Code = code('');

/** A newline, for multi-line layouts built with `join`. */
export const newline: Code = code('\n');

/**
 * Indents every line after the first by `levels` × two spaces. Safe on any Code mapc makes:
 * string literals never contain a raw line break (they are JSON-encoded) and comments are
 * single-line, so only layout newlines move.
 */
export function indent(c: Code, levels = 1): Code {
  const pad = '  '.repeat(levels);
  return code(c.toString().replace(/\n(?!\n)/g, `\n${pad}`));
}

/**
 * Makes arbitrary text safe inside a JavaScript comment, line or block: line terminators
 * become spaces, `*\/` cannot close a block comment, non-ASCII and control characters are
 * written as `\u{...}` (the bundle is ASCII), `##`/`@@` (Deploy CLI keywords) are split, and
 * `</` is split so that no `</script>` appears anywhere in the output (as in string literals).
 */
export function commentText(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === '\n' || ch === '\r' || cp === 0x2028 || cp === 0x2029) out += ' ';
    else if (cp < 0x20 || cp === 0x7f || cp > 0x7e) out += `\\u{${cp.toString(16)}}`;
    else out += ch;
  }
  // Applied until stable: `**//` and `###` need more than one pass.
  let prev: string;
  do {
    prev = out;
    out = out.replace(/\*\//g, '* /').replace(/##/g, '# #').replace(/@@/g, '@ @').replace(/<\//g, '< /');
  } while (out !== prev);
  return out;
}

/** `// text` with `text` passed through `commentText`. */
export function lineComment(text: string): Code {
  return code(`// ${commentText(text)}`);
}

/** A `/** ... *\/` block comment, one line per entry, each through `commentText`. */
export function blockComment(lines: readonly string[]): Code {
  const body = lines.map((l) => (l === '' ? ' *' : ` * ${commentText(l)}`)).join('\n');
  return code(`/**\n${body}\n */`);
}
