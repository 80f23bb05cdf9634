/**
 * uniqueWriter and readAfterWrite index the writes instead of comparing every pair (a
 * 1,000-spec project has ~8,000 targets). These tests run both rules over generated
 * projects full of same, nested and sibling targets and compare their diagnostics with the
 * straightforward pairwise definitions below (the rules as first written).
 */
import { describe, expect, it } from 'vitest';
import { createContext, diag, type Rule } from '../../compiler/check/context';
import { readAfterWrite } from '../../compiler/check/rules/readAfterWrite';
import { uniqueWriter } from '../../compiler/check/rules/uniqueWriter';
import { resolve, type Write } from '../../compiler/resolve';
import type { Diagnostic } from '../../compiler/diagnostics/diagnostic';
import { pathsRead, type PathRead } from '../../compiler/expr/walk';
import type { LoadedProject } from '../../compiler/model';
import { specExprs } from '../../compiler/model-walk';
import { overlap, type Target } from '../../compiler/targets';
import { load, show, spec } from './helpers';

/**
 * Pairwise reference: a write clashes with the first earlier accepted write it overlaps on its
 * own trigger; failing that, with the first earlier write of another trigger it overlaps (of
 * those accepted without overlapping one) when that write's owner is another.
 */
const naiveUniqueWriter: Rule = (ctx) => {
  const accepted: Write[] = [];
  const firsts: Write[] = [];
  for (const w of ctx.resolved.writes) {
    if (!w.target || w.phase !== 'login') continue;
    const overlaps = (f: Write) => overlap(f.target!, w.target!) !== null;
    const sameTrigger = accepted.find((f) => f.spec.trigger.value === w.spec.trigger.value && overlaps(f));
    const other = firsts.find(overlaps);
    const first = sameTrigger ?? (other && other.owner !== w.owner ? other : undefined);
    if (!first) {
      accepted.push(w);
      if (!other) firsts.push(w);
      continue;
    }
    const how = overlap(first.target!, w.target);
    ctx.report(diag(how === 'same' ? 'MAPC0404' : 'MAPC0405', w.text.span, `${w.text.value} vs ${first.text.value}`, 'h', [
      { message: first.text.value, span: first.text.span },
    ]));
  }
};

function readTarget(p: PathRead): Target | null {
  if (p.root !== 'user') return null;
  const [head, ...rest] = p.keys;
  if (head !== 'app_metadata' && head !== 'user_metadata') return null;
  const path: string[] = [];
  for (const k of rest) {
    if (typeof k !== 'string') break;
    path.push(k);
  }
  return { kind: head, path };
}

/** Pairwise reference: every read of every spec against every other spec's write on its trigger. */
const naiveReadAfterWrite: Rule = (ctx) => {
  const writes = ctx.resolved.writes.filter((w) => w.target && (w.target.kind === 'app_metadata' || w.target.kind === 'user_metadata'));
  for (const s of ctx.specs) {
    const others = writes.filter((w) => w.spec !== s && w.spec.trigger.value === s.trigger.value);
    const reported = new Set<string>();
    for (const read of specExprs(s).flatMap(pathsRead)) {
      const target = readTarget(read);
      if (!target) continue;
      for (const w of others) {
        if (reported.has(w.text.value) || overlap(target, w.target!) === null) continue;
        reported.add(w.text.value);
        ctx.report(diag('MAPC0414', read.span, `${w.spec.name.value} ${w.text.value}`, 'h', [{ message: '', span: w.text.span }]));
      }
    }
  }
};

function run(rule: Rule, loaded: LoadedProject): Diagnostic[] {
  const out: Diagnostic[] = [];
  rule(createContext(resolve(loaded), out));
  return out;
}

/** What the comparison looks at: code, where, and where the related location is. */
const shape = (d: Diagnostic): string =>
  `${show(d)} <- ${(d.related ?? []).map((r) => `${r.span.start}-${r.span.end}`).join(',')}`;

/** A small deterministic PRNG (mulberry32), so a failure reproduces. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TARGETS = [
  'app_metadata.a',
  'app_metadata.a.b',
  'app_metadata.a.b.c',
  'app_metadata.a.c',
  'app_metadata.b',
  'app_metadata.b.a',
  'user_metadata.a',
  'user_metadata.a.b',
  'id_token.a',
  'id_token.b',
  'access_token.a',
];
const READS = ['user.app_metadata', 'user.app_metadata.a', 'user.app_metadata.a.b.c', 'user.app_metadata.b.a', 'user.user_metadata.a', 'user.app_metadata.a[0]', 'user.email'];
const TRIGGERS = ['post-login', 'pre-user-registration'];

/** A project of `n` specs, each with a few fields over overlapping targets and reads. */
function randomProject(seed: number, n: number): LoadedProject {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const files: Record<string, string> = {};
  for (let i = 0; i < n; i++) {
    const trigger = pick(TRIGGERS);
    const fields = Array.from({ length: 1 + Math.floor(r() * 4) }, () => {
      let to = pick(TARGETS);
      // Registration triggers cannot set claims; the rules do not care, the schema might.
      if (trigger !== 'post-login' && !to.includes('metadata')) to = 'app_metadata.z';
      return `  - to: ${to}\n    from: ${pick(READS)}\n`;
    });
    // Two owners, so both the one-owner-several-triggers case and second owners come up.
    files[`s${String(i).padStart(2, '0')}.yaml`] = spec(`s${i}`, trigger, `fields:\n${fields.join('')}`, pick(['team-a', 'team-b']));
  }
  return load(files);
}

describe('indexed write rules agree with the pairwise definitions', () => {
  it('uniqueWriter: same diagnostics, same order, same first writer, over 40 random projects', () => {
    let flagged = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const loaded = randomProject(seed, 2 + (seed % 7));
      const want = run(naiveUniqueWriter, loaded);
      const got = run(uniqueWriter, loaded);
      expect(got.map(shape), `seed ${seed}`).toEqual(want.map(shape));
      flagged += got.length;
    }
    // The generator must actually produce clashes of both kinds.
    expect(flagged).toBeGreaterThan(40);
  });

  it('readAfterWrite: same diagnostics, same order, over 40 random projects', () => {
    let flagged = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const loaded = randomProject(1000 + seed, 2 + (seed % 7));
      const want = run(naiveReadAfterWrite, loaded);
      const got = run(readAfterWrite, loaded);
      expect(got.map(shape), `seed ${seed}`).toEqual(want.map(shape));
      flagged += got.length;
    }
    expect(flagged).toBeGreaterThan(40);
  });

  it('uniqueWriter reports the first of several accepted writes inside a parent written later', () => {
    const loaded = load({
      'a.yaml': spec('a', 'post-login', `
        fields:
          - to: app_metadata.p.y
            from: user.email
          - to: app_metadata.p.x
            from: user.email
          - to: app_metadata.p
            from: user.email
      `),
    });
    const ds = run(uniqueWriter, loaded);
    expect(ds.map((d) => [d.code, d.message])).toEqual([
      ['MAPC0405', "'app_metadata.p' overlaps 'app_metadata.p.y', which is written earlier in this spec: one write replaces the other"],
    ]);
  });
});
