/**
 * Build-time checks of regular expressions given to library functions (SPEC 2.5): the pattern
 * must compile, and must not be prone to catastrophic (exponential) backtracking.
 *
 * The backtracking check is static and conservative. It parses the pattern and refuses
 *  1. an unbounded repetition inside another one whose stopping point is ambiguous: what it
 *     repeats can also be matched by what follows it inside the loop (`(a+)+`, `(.*)*`,
 *     `(\w+\s?)*`, `([a-z]+.)+`); `(\d+,)+` and `(\.[a-z]+)*` pass;
 *  2. an unbounded repetition over alternatives that can start with the same character
 *     (`(a|a)*`, `(a|ab)+`, `(\w|\d)*`).
 * Character sets are compared by testing sample characters (ASCII, Latin-1 and a few
 * others), which is enough for the patterns people write. Polynomial blow-ups (`.*.*=`) and
 * backreferences are not analysed.
 */

interface Term {
  readonly atom: Atom;
  readonly min: number;
  readonly max: number;
}
type Seq = readonly Term[];
type Atom =
  | { readonly kind: 'char'; readonly src: string }
  | { readonly kind: 'zero' } // anchors, lookarounds, \b: match no character
  | { readonly kind: 'backref' }
  | { readonly kind: 'group'; readonly alts: readonly Seq[] };

/** What is wrong with a pattern, or undefined when it is acceptable. */
export type RegexProblem = { readonly kind: 'invalid' | 'backtracking'; readonly message: string };

class RegexParser {
  private i = 0;
  constructor(private readonly s: string) {}

  parse(): Seq[] {
    const alts = this.alternatives();
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
      const atom = this.atom();
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

  private atom(): Atom {
    const s = this.s;
    const start = this.i;
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
        this.i = s.indexOf('>', this.i) + 1;
      }
      const alts = this.alternatives();
      this.i++; // ')'
      return lookaround ? { kind: 'zero' } : { kind: 'group', alts };
    }
    if (c === '[') {
      this.i++;
      if (s[this.i] === '^') this.i++;
      if (s[this.i] === ']') this.i++; // `[]]` is not valid JS, but `[^]` is
      while (this.i < s.length && s[this.i] !== ']') this.i += s[this.i] === '\\' ? 2 : 1;
      this.i++;
      return { kind: 'char', src: s.slice(start, this.i) };
    }
    if (c === '^' || c === '$') {
      this.i++;
      return { kind: 'zero' };
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
      if (e === 'k' && s[this.i + 2] === '<') {
        this.i = s.indexOf('>', this.i) + 1;
        return { kind: 'backref' };
      }
      const m = /^\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|c[A-Za-z]|[pP]\{[^}]*\}|[\s\S])/.exec(s.slice(this.i));
      this.i += m ? m[0].length : 2;
      return { kind: 'char', src: s.slice(start, this.i) };
    }
    // A surrogate pair is one character.
    const cp = s.codePointAt(this.i)!;
    this.i += cp > 0xffff ? 2 : 1;
    return { kind: 'char', src: s.slice(start, this.i) };
  }
}

function nullableSeq(seq: Seq): boolean {
  return seq.every((t) => t.min === 0 || nullableAtom(t.atom));
}
function nullableAtom(a: Atom): boolean {
  if (a.kind === 'zero' || a.kind === 'backref') return true;
  if (a.kind === 'group') return a.alts.some(nullableSeq);
  return false;
}

/** Whether the atom can match at least one character. */
function consumes(a: Atom): boolean {
  if (a.kind === 'char') return true;
  if (a.kind === 'group') return a.alts.some((seq) => seq.some((t) => t.max > 0 && consumes(t.atom)));
  return false;
}

/** Characters tried when comparing first-character sets: ASCII, Latin-1 and a few others. */
const SAMPLES: readonly string[] = (() => {
  const out: string[] = [];
  for (let c = 0; c < 0x250; c++) out.push(String.fromCharCode(c));
  out.push('\u2028', '\u3042', '\u4e2d', '\uff21', '\u{1F600}');
  return out;
})();

/** Sample characters that can start a match of `seq` (approximation by testing each atom). */
function firstChars(seq: Seq, flags: string): Set<string> {
  const out = new Set<string>();
  for (const t of seq) {
    const a = t.atom;
    if (a.kind === 'char') {
      let re: RegExp | undefined;
      try {
        re = new RegExp(`^(?:${a.src})$`, flags);
      } catch {
        re = undefined;
      }
      if (re) for (const ch of SAMPLES) if (re.test(ch)) out.add(ch);
    } else if (a.kind === 'group') {
      for (const alt of a.alts) for (const ch of firstChars(alt, flags)) out.add(ch);
    }
    if (!(t.min === 0 || nullableAtom(a))) break;
  }
  return out;
}

/** The alternatives of a group body, looking through `((a|b))` wrappers. */
function topAlternatives(alts: readonly Seq[]): readonly Seq[] {
  if (alts.length === 1 && alts[0]!.length === 1) {
    const t = alts[0]![0]!;
    if (t.atom.kind === 'group' && t.min === 1 && t.max === 1) return topAlternatives(t.atom.alts);
  }
  return alts;
}

/** Sample characters any part of `a` can consume. */
function allChars(a: Atom, flags: string): Set<string> {
  if (a.kind === 'char') return firstChars([{ atom: a, min: 1, max: 1 }], flags);
  const out = new Set<string>();
  if (a.kind === 'group') for (const seq of a.alts) for (const t of seq) for (const ch of allChars(t.atom, flags)) out.add(ch);
  return out;
}

function overlap(a: Set<string>, b: Set<string>): string | undefined {
  for (const ch of a) if (b.has(ch)) return ch;
  return undefined;
}

/**
 * Walks the pattern. `follow` is undefined outside any unbounded repetition; inside one, it is
 * what may come right after the current alternatives within the loop (including the start of
 * the loop's next iteration). An unbounded repetition inside a loop is ambiguous, hence
 * exponential, when what it repeats can also be matched by what follows it: the input can
 * then be split between iterations in exponentially many ways (`(a+)+`, `([a-z]+.)+`), while
 * `(\d+,)+` or `(\.[a-z]+)*` are fine because a separator ends each iteration.
 */
function findBacktracking(alts: readonly Seq[], follow: Set<string> | undefined, flags: string): string | undefined {
  for (const seq of alts) {
    for (let k = 0; k < seq.length; k++) {
      const t = seq[k]!;
      const rest = seq.slice(k + 1);
      let after: Set<string> | undefined;
      if (follow) {
        after = firstChars(rest, flags);
        if (nullableSeq(rest)) for (const ch of follow) after.add(ch);
      }
      const unbounded = t.max === Infinity;
      if (unbounded && after && consumes(t.atom)) {
        const ch = overlap(allChars(t.atom, flags), after);
        if (ch !== undefined) {
          return `a repetition inside a repeated part can stop at several places (both it and what follows it can match ${JSON.stringify(ch)}), like (a+)+; this backtracks exponentially`;
        }
      }
      if (t.atom.kind !== 'group') continue;
      if (unbounded) {
        const firsts = topAlternatives(t.atom.alts).map((alt) => firstChars(alt, flags));
        for (let i = 0; i < firsts.length; i++) {
          for (let j = i + 1; j < firsts.length; j++) {
            const ch = overlap(firsts[i]!, firsts[j]!);
            if (ch !== undefined) {
              return `a repeated group has alternatives that can match the same text (both can start with ${JSON.stringify(ch)}), like (a|ab)*; this backtracks exponentially`;
            }
          }
        }
        const inner = firstChars([{ atom: t.atom, min: 1, max: 1 }], flags);
        if (after) for (const ch of after) inner.add(ch);
        const r = findBacktracking(t.atom.alts, inner, flags);
        if (r) return r;
      } else {
        const r = findBacktracking(t.atom.alts, after, flags);
        if (r) return r;
      }
    }
  }
  return undefined;
}

/**
 * Checks a regular expression used by a library function. Returns why it is refused
 * (`invalid`: does not compile; `backtracking`: see the module comment), or undefined.
 */
export function regexProblem(pattern: string, flags = ''): RegexProblem | undefined {
  try {
    new RegExp(pattern, flags);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    return { kind: 'invalid', message: msg.replace(/^Invalid regular expression: /, '') };
  }
  let ast: Seq[];
  try {
    ast = new RegexParser(pattern).parse();
  } catch {
    // Our small parser failed on a pattern the engine accepts: be safe and refuse nothing here.
    return undefined;
  }
  const r = findBacktracking(ast, undefined, flags.replace(/[gy]/g, ''));
  return r ? { kind: 'backtracking', message: r } : undefined;
}
