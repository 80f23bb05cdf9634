/**
 * Trust as a property (#13): random projects wire untrusted and trusted sources through
 * chains of `app_metadata` writes (on post-login and pre-user-registration), lookups keyed by
 * earlier values, function calls and member access after calls, into one post-login access
 * rule. An oracle computes, from how the project was built, whether the rule's value can be
 * chosen by the user. The compiler must report MAPC0601 exactly then: never an untrusted
 * decision without a diagnostic, and no diagnostic on a trusted one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validate } from '../../compiler/pipeline';
import { tempProject } from '../helpers/compiled';
import { fcParams, PROJECT_RUNS } from './support/config';
import { reportFigures, tally } from './support/figures';
import { projectFile } from './support/project';

reportFigures('trust');

type Trigger = 'post-login' | 'pre-user-registration';

interface Operand {
  readonly text: string;
  readonly untrusted: boolean;
}

/** Event sources per trigger, each with whether the user can choose it. */
const SOURCES: Record<Trigger, readonly Operand[]> = {
  'post-login': [
    { text: 'user.user_metadata.plan', untrusted: true },
    { text: 'request.query.plan', untrusted: true },
    { text: 'transaction.login_hint', untrusted: true },
    { text: 'request.user_agent', untrusted: true },
    { text: 'email_domain(user.email)', untrusted: true },
    { text: 'coalesce(user).user_metadata.role', untrusted: true },
    { text: 'first(transaction.requested_scopes)', untrusted: true },
    { text: 'user.user_id', untrusted: false },
    { text: 'client.name', untrusted: false },
    { text: 'connection.name', untrusted: false },
    { text: 'coalesce(user).app_metadata.seed', untrusted: false },
    { text: 'organization.metadata.plan', untrusted: false },
    { text: 'user.name', untrusted: false },
  ],
  'pre-user-registration': [
    { text: 'user.user_metadata.plan', untrusted: true },
    { text: 'user.name', untrusted: true },
    { text: 'email_domain(user.email)', untrusted: true },
    { text: 'request.body.plan', untrusted: true },
    { text: 'transaction.login_hint', untrusted: true },
    { text: 'client.name', untrusted: false },
    { text: 'connection.name', untrusted: false },
    { text: 'user.app_metadata.seed', untrusted: false },
  ],
};

/** Wrappers that keep the trust of what they wrap. */
const WRAPS: readonly ((x: string) => string)[] = [
  (x) => x,
  (x) => `lower(${x})`,
  (x) => `coalesce(${x}, 'none')`,
  (x) => `to_string(${x})`,
  (x) => `default(${x}, 'd')`,
];

interface Choice {
  readonly kind: 'source' | 'key' | 'lookup';
  readonly pick: number;
  readonly wrap: number;
  /** For a lookup: what keys it. */
  readonly by: { readonly kind: 'source' | 'key'; readonly pick: number };
  readonly second?: { readonly kind: 'source' | 'key'; readonly pick: number };
}

const ref = fc.record({ kind: fc.constantFrom('source' as const, 'key' as const), pick: fc.nat(50) });
const choice: fc.Arbitrary<Choice> = fc.record(
  { kind: fc.constantFrom('source' as const, 'key' as const, 'lookup' as const), pick: fc.nat(50), wrap: fc.nat(WRAPS.length - 1), by: ref, second: ref },
  { requiredKeys: ['kind', 'pick', 'wrap', 'by'] },
);
const writeArb = fc.record({ trigger: fc.constantFrom<Trigger>('post-login', 'pre-user-registration'), value: choice, when: fc.option(ref, { nil: undefined }) });
const projectArb = fc.record({ writes: fc.array(writeArb, { minLength: 1, maxLength: 5 }), gate: choice });

interface Built {
  readonly spec: string;
  readonly untrusted: boolean;
}

/** One operand (a source, or an earlier key) on `trigger`, with the oracle's verdict. */
function operand(r: { kind: 'source' | 'key'; pick: number }, trigger: Trigger, keys: readonly boolean[]): Operand {
  if (r.kind === 'key' && keys.length > 0) {
    const i = r.pick % keys.length;
    return { text: `user.app_metadata.k${i}`, untrusted: keys[i]! };
  }
  const list = SOURCES[trigger];
  return list[r.pick % list.length]!;
}

/** The expression of a choice, with the lookup it needs (YAML lines) and the oracle's verdict. */
function expression(c: Choice, trigger: Trigger, keys: readonly boolean[]): { text: string; lookup?: string; untrusted: boolean } {
  const wrap = WRAPS[c.wrap]!;
  let base: Operand;
  let lookup: string | undefined;
  if (c.kind === 'lookup') {
    const by = operand(c.by, trigger, keys);
    lookup = `lookups:\n  rec:\n    system: sink\n    method: GET\n    path: /records\n    query: { key: "${by.text}" }\n`;
    base = { text: 'rec.value', untrusted: by.untrusted };
  } else base = operand({ kind: c.kind, pick: c.pick }, trigger, keys);
  let text = wrap(base.text);
  let untrusted = base.untrusted;
  if (c.second) {
    const s = operand(c.second, trigger, keys);
    text = `coalesce(${text}, ${s.text})`;
    untrusted ||= s.untrusted;
  }
  return { text, ...(lookup ? { lookup } : {}), untrusted };
}

function build(p: { writes: readonly { trigger: Trigger; value: Choice; when?: { kind: 'source' | 'key'; pick: number } | undefined }[]; gate: Choice }): { files: Record<string, string>; untrusted: boolean } {
  const keys: boolean[] = [];
  const files: Record<string, string> = {};
  p.writes.forEach((w, i) => {
    const e = expression(w.value, w.trigger, keys);
    let untrusted = e.untrusted;
    let when = '';
    if (w.when) {
      const o = operand(w.when, w.trigger, keys);
      when = `    when: exists(${o.text})\n`;
      untrusted ||= o.untrusted;
    }
    files[`w${i}.yaml`] = `version: 1\nname: w${i}\nowner: team-a\ntrigger: ${w.trigger}\n${e.lookup ?? ''}fields:\n  - to: app_metadata.k${i}\n    from: ${e.text}\n${when}`;
    keys.push(untrusted);
  });
  const g = expression(p.gate, 'post-login', keys);
  files['gate.yaml'] = `version: 1\nname: gate\nowner: team-a\ntrigger: post-login\n${g.lookup ?? ''}access:\n  - when: ${g.text} == 'premium'\n    deny: Premium only.\n`;
  return { files, untrusted: g.untrusted };
}

describe('trust through writes, lookups and calls (property)', () => {
  it('an access rule is MAPC0601 exactly when the user can choose its value', () => {
    let flagged = 0;
    fc.assert(
      fc.property(projectArb, (p) => {
        const { files, untrusted } = build(p);
        const all: Record<string, string> = { 'mappings/mapc.yaml': projectFile() };
        for (const [name, text] of Object.entries(files)) all[`mappings/${name}`] = text;
        const dir = tempProject(all);
        const { diagnostics } = validate({ projectDir: 'mappings', cwd: dir });
        const errors = diagnostics.filter((d) => d.severity === 'error');
        const shown = errors.map((d) => `${d.code} ${d.message}`).join('\n') + '\n' + Object.values(files).join('---\n');
        const gate = errors.filter((d) => d.code === 'MAPC0601' && d.span!.file.path.endsWith('gate.yaml'));
        expect(errors.every((d) => d.code === 'MAPC0601'), shown).toBe(true);
        expect(gate.length > 0, shown).toBe(untrusted);
        if (untrusted) flagged++;
        tally('trust.projects');
      }),
      fcParams(Math.max(1000, PROJECT_RUNS * 10)),
    );
    tally('trust.flagged', flagged);
    expect(flagged).toBeGreaterThan(0);
    // 1,000 projects in `npm test`, 20,000 in `npm run fuzz` (about 2 ms each).
  }, 600_000);
});
