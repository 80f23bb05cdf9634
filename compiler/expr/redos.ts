/**
 * Build-time checks of regular expressions given to library functions (SPEC 2.5): the pattern
 * must compile, and must not be prone to catastrophic (exponential) backtracking.
 *
 * The backtracking check is static and conservative. It parses the pattern and refuses
 *  1. a variable repetition inside a repeated part whose stopping point is ambiguous: what it
 *     repeats can also be matched by what follows it inside the loop (`(a+)+`, `(.*)*`,
 *     `(\w+\s?)*`, `([a-z]+.)+`, `(\w+\s?){1,20}`, `(a+){20}`); `(\d+,)+` and
 *     `(\.[a-z]+)*` pass;
 *  2. a repeated group over alternatives that can start with the same character (`(a|a)*`,
 *     `(a|ab)+`, `(\w|\d)*`, `(一|[一-鿿])+`);
 * and analyses lookaround bodies the same way (`(?=(a+)+$)`). Character classes are exact
 * sets of code units (ranges, `\d \w \s` and their complements, the `i` flag's other case), so
 * Cyrillic or CJK classes are compared as precisely as ASCII ones; a Unicode property class
 * (`\p{L}`, u flag only) counts as every character. A pattern the parser cannot follow is
 * refused. Polynomial blow-ups (`\s+$` on a long run of spaces) are not refused: the runtime
 * caps the text a regular expression searches (MAX_REGEX_INPUT in runtime/functions.ts).
 */

interface Term {
  readonly atom: Atom;
  readonly min: number;
  readonly max: number;
}
type Seq = readonly Term[];
type Atom =
  | { readonly kind: 'char'; readonly set: CharSet }
  | { readonly kind: 'zero' } // anchors, \b: match no character
  | { readonly kind: 'look'; readonly alts: readonly Seq[] } // a lookaround: zero-width, its body is analysed on its own
  | { readonly kind: 'backref' }
  | { readonly kind: 'group'; readonly alts: readonly Seq[] };

/** What is wrong with a pattern, or undefined when it is acceptable. */
export type RegexProblem = { readonly kind: 'invalid' | 'backtracking'; readonly message: string };

// ── Character sets: sorted, disjoint, inclusive [lo, hi] ranges of code units (code points with u) ──

type CharSet = readonly (readonly [number, number])[];

function normalise(ranges: (readonly [number, number])[]): CharSet {
  const sorted = ranges.filter(([lo, hi]) => lo <= hi).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [lo, hi] of sorted) {
    const last = out[out.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else out.push([lo, hi]);
  }
  return out;
}

const union = (...sets: CharSet[]): CharSet => normalise(sets.flat().map(([a, b]) => [a, b] as const));

function complement(set: CharSet, top: number): CharSet {
  const out: [number, number][] = [];
  let next = 0;
  for (const [lo, hi] of set) {
    if (lo > next) out.push([next, lo - 1]);
    next = hi + 1;
  }
  if (next <= top) out.push([next, top]);
  return out;
}

/** A character both sets hold, or undefined. */
function common(a: CharSet, b: CharSet): number | undefined {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i]![0], b[j]![0]);
    const hi = Math.min(a[i]![1], b[j]![1]);
    if (lo <= hi) return lo;
    if (a[i]![1] < b[j]![1]) i++;
    else j++;
  }
  return undefined;
}

const one = (c: number): CharSet => [[c, c]];
const DIGIT: CharSet = [[0x30, 0x39]];
const WORD: CharSet = normalise([[0x30, 0x39], [0x41, 0x5a], [0x5f, 0x5f], [0x61, 0x7a]]);
const SPACE: CharSet = normalise([
  [0x09, 0x0d], [0x20, 0x20], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a],
  [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000], [0xfeff, 0xfeff],
]);
const LINE_TERMINATORS: CharSet = normalise([[0x0a, 0x0a], [0x0d, 0x0d], [0x2028, 0x2029]]);

/** Adds the other case of every letter (the `i` flag), up to U+1FFFF; a set that large is taken whole. */
function caseClosed(set: CharSet, top: number): CharSet {
  let size = 0;
  for (const [lo, hi] of set) size += hi - lo + 1;
  if (size > 0x8000) return [[0, top]];
  const extra: [number, number][] = [];
  for (const [lo, hi] of set) {
    for (let c = lo; c <= Math.min(hi, 0x1ffff); c++) {
      const ch = String.fromCodePoint(c);
      for (const o of [ch.toLowerCase(), ch.toUpperCase()]) {
        const oc = o.codePointAt(0)!;
        if (o.length === ch.length && oc <= top) extra.push([oc, oc]);
      }
    }
  }
  return union(set, extra);
}

class RegexParser {
  private i = 0;
  private readonly unicode: boolean;
  private readonly top: number;
  private readonly named: boolean;
  constructor(
    private readonly s: string,
    private readonly flags: string,
  ) {
    this.unicode = /[uv]/.test(flags);
    this.top = this.unicode ? 0x10ffff : 0xffff;
    this.named = /\(\?<[^=!]/.test(s);
  }

  parse(): Seq[] {
    const alts = this.alternatives();
    if (this.i !== this.s.length) throw new Error('unparsed rest');
    return alts;
  }

  private alternatives(): Seq[] {
    const alts: Seq[] = [this.sequence()];
    while (this.s[this.i] === '|') {
      this.i++;
      alts.push(this.sequence());
    }
    return alts;
  }

  private sequence(): Seq {
    const out: Term[] = [];
    while (this.i < this.s.length && this.s[this.i] !== '|' && this.s[this.i] !== ')') {
      const at = this.i;
      const atom = this.atom();
      // Every atom consumes pattern text: the parser always ends.
      if (this.i <= at) throw new Error('no progress');
      const [min, max] = this.quantifier();
      out.push({ atom, min, max });
    }
    return out;
  }

  private quantifier(): [number, number] {
    const c = this.s[this.i];
    let q: [number, number] | undefined;
    if (c === '*') q = [0, Infinity];
    else if (c === '+') q = [1, Infinity];
    else if (c === '?') q = [0, 1];
    if (q) this.i++;
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(this.s.slice(this.i));
      if (!m) return [1, 1];
      this.i += m[0].length;
      const min = Number(m[1]);
      q = [min, m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3])];
    } else return [1, 1];
    if (this.s[this.i] === '?') this.i++; // lazy: same backtracking behaviour
    return q;
  }

  private char(set: CharSet): Atom {
    return { kind: 'char', set: /i/.test(this.flags) ? caseClosed(set, this.top) : set };
  }

  private atom(): Atom {
    const s = this.s;
    const c = s[this.i]!;
    if (c === '(') {
      this.i++;
      let lookaround = false;
      if (s.startsWith('?:', this.i)) this.i += 2;
      else if (s.startsWith('?=', this.i) || s.startsWith('?!', this.i)) {
        this.i += 2;
        lookaround = true;
      } else if (s.startsWith('?<=', this.i) || s.startsWith('?<!', this.i)) {
        this.i += 3;
        lookaround = true;
      } else if (s.startsWith('?<', this.i)) {
        const close = s.indexOf('>', this.i);
        if (close < 0) throw new Error('unterminated group name');
        this.i = close + 1;
      }
      const alts = this.alternatives();
      if (s[this.i] !== ')') throw new Error('unterminated group');
      this.i++;
      return lookaround ? { kind: 'look', alts } : { kind: 'group', alts };
    }
    if (c === '[') return this.char(this.charClass());
    if (c === '^' || c === '$') {
      this.i++;
      return { kind: 'zero' };
    }
    if (c === '.') {
      this.i++;
      return this.char(/s/.test(this.flags) ? [[0, this.top]] : complement(LINE_TERMINATORS, this.top));
    }
    if (c === '\\') {
      const e = s[this.i + 1] ?? '';
      if (e === 'b' || e === 'B') {
        this.i += 2;
        return { kind: 'zero' };
      }
      if (/[1-9]/.test(e)) {
        this.i += 2;
        while (/[0-9]/.test(s[this.i] ?? '')) this.i++;
        return { kind: 'backref' };
      }
      if (e === 'k' && this.named && s[this.i + 2] === '<') {
        const close = s.indexOf('>', this.i);
        if (close < 0) throw new Error('unterminated backreference');
        this.i = close + 1;
        return { kind: 'backref' };
      }
      return this.char(this.escape(false));
    }
    const cp = this.unicode ? s.codePointAt(this.i)! : s.charCodeAt(this.i);
    this.i += cp > 0xffff ? 2 : 1;
    return this.char(one(cp));
  }

  /** A `[...]` class at `this.i`, as a set. */
  private charClass(): CharSet {
    const s = this.s;
    this.i++; // '['
    const negated = s[this.i] === '^';
    if (negated) this.i++;
    const parts: CharSet[] = [];
    while (this.i < s.length && s[this.i] !== ']') {
      const lo = this.classAtom();
      if (s[this.i] === '-' && s[this.i + 1] !== ']' && this.i + 1 < s.length) {
        const save = this.i;
        this.i++;
        const hi = this.classAtom();
        const single = (x: CharSet) => x.length === 1 && x[0]![0] === x[0]![1];
        if (single(lo) && single(hi)) {
          parts.push([[lo[0]![0], hi[0]![0]]]);
          continue;
        }
        // `[\d-x]`: the dash is a literal (Annex B).
        parts.push(lo, one(0x2d), hi);
        if (this.i <= save) throw new Error('no progress');
        continue;
      }
      parts.push(lo);
    }
    if (s[this.i] !== ']') throw new Error('unterminated class');
    this.i++;
    const set = union(...parts);
    return negated ? complement(set, this.top) : set;
  }

  private classAtom(): CharSet {
    const s = this.s;
    if (s[this.i] === '\\') return this.escape(true);
    const cp = this.unicode ? s.codePointAt(this.i)! : s.charCodeAt(this.i);
    this.i += cp > 0xffff ? 2 : 1;
    return one(cp);
  }

  /** An escape at `this.i` (the backslash), as a set. */
  private escape(inClass: boolean): CharSet {
    const s = this.s;
    const e = s[this.i + 1];
    if (e === undefined) throw new Error('trailing backslash');
    this.i += 2;
    switch (e) {
      case 'd': return DIGIT;
      case 'D': return complement(DIGIT, this.top);
      case 'w': return WORD;
      case 'W': return complement(WORD, this.top);
      case 's': return SPACE;
      case 'S': return complement(SPACE, this.top);
      case 'n': return one(0x0a);
      case 'r': return one(0x0d);
      case 't': return one(0x09);
      case 'v': return one(0x0b);
      case 'f': return one(0x0c);
      case '0': return one(0);
      case 'b': if (inClass) return one(0x08); break;
      case 'c': {
        const l = s[this.i];
        if (l !== undefined && /[A-Za-z]/.test(l)) {
          this.i++;
          return one(l.charCodeAt(0) % 32);
        }
        return one(0x5c); // `\c` alone is a backslash and a c (Annex B)
      }
      case 'x': {
        const m = /^[0-9a-fA-F]{2}/.exec(s.slice(this.i));
        if (m) {
          this.i += 2;
          return one(parseInt(m[0], 16));
        }
        return one(0x78);
      }
      case 'u': {
        const m = /^[0-9a-fA-F]{4}/.exec(s.slice(this.i));
        if (m) {
          this.i += 4;
          return one(parseInt(m[0], 16));
        }
        const b = this.unicode ? /^\{([0-9a-fA-F]+)\}/.exec(s.slice(this.i)) : null;
        if (b) {
          this.i += b[0].length;
          return one(parseInt(b[1]!, 16));
        }
        return one(0x75);
      }
      case 'p':
      case 'P':
        if (this.unicode) {
          // A property class: taken as every character (safe: only ever refuses more).
          const close = s.indexOf('}', this.i);
          if (close < 0) throw new Error('unterminated property');
          this.i = close + 1;
          return [[0, this.top]];
        }
        break;
    }
    // An identity escape: the character itself.
    const cp = this.unicode ? s.codePointAt(this.i - 1)! : s.charCodeAt(this.i - 1);
    if (cp > 0xffff) this.i++;
    return one(cp);
  }
}

function nullableSeq(seq: Seq): boolean {
  return seq.every((t) => t.min === 0 || nullableAtom(t.atom));
}
function nullableAtom(a: Atom): boolean {
  if (a.kind === 'zero' || a.kind === 'look' || a.kind === 'backref') return true;
  if (a.kind === 'group') return a.alts.some(nullableSeq);
  return false;
}

/** Whether the atom can match at least one character. */
function consumes(a: Atom): boolean {
  if (a.kind === 'char') return a.set.length > 0;
  if (a.kind === 'group') return a.alts.some((seq) => seq.some((t) => t.max > 0 && consumes(t.atom)));
  return false;
}

/** The characters that can start a match of `seq`. */
function firstChars(seq: Seq): CharSet {
  const out: CharSet[] = [];
  for (const t of seq) {
    const a = t.atom;
    if (a.kind === 'char') out.push(a.set);
    else if (a.kind === 'group') for (const alt of a.alts) out.push(firstChars(alt));
    if (!(t.min === 0 || nullableAtom(a))) break;
  }
  return union(...out);
}

/** The alternatives of a group body, looking through `((a|b))` wrappers. */
function topAlternatives(alts: readonly Seq[]): readonly Seq[] {
  if (alts.length === 1 && alts[0]!.length === 1) {
    const t = alts[0]![0]!;
    if (t.atom.kind === 'group' && t.min === 1 && t.max === 1) return topAlternatives(t.atom.alts);
  }
  return alts;
}

/** Every character any part of `a` can consume. */
function allChars(a: Atom): CharSet {
  if (a.kind === 'char') return a.set;
  if (a.kind === 'group') return union(...a.alts.flatMap((seq) => seq.map((t) => allChars(t.atom))));
  return [];
}

/** A character as shown in a message. */
function shown(c: number): string {
  return JSON.stringify(String.fromCodePoint(c));
}

/**
 * Walks the pattern. `follow` is undefined outside any repetition; inside one, it is what may
 * come right after the current alternatives within the loop (including the start of the loop's
 * next iteration). A repetition counts when it can run more than once — `*`, `+`, and bounded
 * ones such as `{1,20}` or `{20}`: twenty ambiguous iterations are as bad as unbounded ones.
 * A variable repetition (`+`, `{1,5}`, `?` excluded) inside one is ambiguous, hence exponential,
 * when what it repeats can also be matched by what follows it: the input can then be split
 * between iterations in exponentially many ways (`(a+)+`, `([a-z]+.)+`, `(\w+\s?){1,20}`),
 * while `(\d+,)+` or `(\.[a-z]+)*` are fine because a separator ends each iteration. A
 * lookaround's body is analysed on its own (`(?=(a+)+$)`).
 */
function findBacktracking(alts: readonly Seq[], follow: CharSet | undefined): string | undefined {
  for (const seq of alts) {
    for (let k = 0; k < seq.length; k++) {
      const t = seq[k]!;
      const rest = seq.slice(k + 1);
      let after: CharSet | undefined;
      if (follow) {
        after = firstChars(rest);
        if (nullableSeq(rest)) after = union(after, follow);
      }
      const repeats = t.max > 1;
      const variable = repeats && t.max > t.min;
      if (variable && after && consumes(t.atom)) {
        const ch = common(allChars(t.atom), after);
        if (ch !== undefined) {
          return `a repetition inside a repeated part can stop at several places (both it and what follows it can match ${shown(ch)}), like (a+)+; this backtracks exponentially`;
        }
      }
      if (t.atom.kind === 'look') {
        const r = findBacktracking(t.atom.alts, undefined);
        if (r) return r;
        continue;
      }
      if (t.atom.kind !== 'group') continue;
      if (repeats) {
        const firsts = topAlternatives(t.atom.alts).map((alt) => firstChars(alt));
        for (let i = 0; i < firsts.length; i++) {
          for (let j = i + 1; j < firsts.length; j++) {
            const ch = common(firsts[i]!, firsts[j]!);
            if (ch !== undefined) {
              return `a repeated group has alternatives that can match the same text (both can start with ${shown(ch)}), like (a|ab)*; this backtracks exponentially`;
            }
          }
        }
        const inner = union(firstChars([{ atom: t.atom, min: 1, max: 1 }]), after ?? []);
        const r = findBacktracking(t.atom.alts, inner);
        if (r) return r;
      } else {
        const r = findBacktracking(t.atom.alts, after);
        if (r) return r;
      }
    }
  }
  return undefined;
}

/**
 * Checks a regular expression used by a library function. Returns why it is refused
 * (`invalid`: does not compile; `backtracking`: see findBacktracking), or undefined. Bounded
 * in time: the parser consumes pattern text with every atom, and the walk visits each term
 * once per enclosing group.
 */
export function regexProblem(pattern: string, flags = ''): RegexProblem | undefined {
  try {
    new RegExp(pattern, flags);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return { kind: 'invalid', message: msg.replace(/^Invalid regular expression: /, '') };
  }
  const f = flags.replace(/[gdy]/g, '');
  let ast: Seq[];
  try {
    ast = new RegexParser(pattern, f).parse();
  } catch {
    // Our parser failed on a pattern the engine accepts: refuse it rather than let an
    // unanalysed pattern through (the hint says to simplify it).
    return { kind: 'backtracking', message: 'this pattern uses a form the backtracking check cannot analyse; write it more simply' };
  }
  const r = findBacktracking(ast, undefined);
  return r ? { kind: 'backtracking', message: r } : undefined;
}
