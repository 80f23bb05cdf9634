/**
 * `mapc diff --users`: the impact of a change on exported users. Each user runs through the base's
 * Actions and the head's (two Previewers, the same recorded responses); what changed for them is
 * counted: access outcomes that appear or disappear ("denies 312 of 10,000 users that it did not
 * deny before") and, per target, how many users each side writes and for how many the written
 * value differs.
 */
import type { UserOutcome } from './preview';

export interface TargetImpact {
  readonly target: string;
  base_writes: number;
  head_writes: number;
  /** Users for whom the two sides write something different (a value, or a write on one side only). */
  changed_users: number;
}

export interface Impact {
  users: number;
  /** Per access outcome (deny, redirect, mfa, fail): users who get it now but did not before, and the reverse. */
  readonly access: Record<'deny' | 'redirect' | 'mfa' | 'fail', { newly: number; no_longer: number; newly_from_allow: number }>;
  readonly targets: Map<string, TargetImpact>;
}

export function newImpact(): Impact {
  const z = () => ({ newly: 0, no_longer: 0, newly_from_allow: 0 });
  return { users: 0, access: { deny: z(), redirect: z(), mfa: z(), fail: z() }, targets: new Map() };
}

export function addImpact(i: Impact, base: UserOutcome, head: UserOutcome): void {
  i.users++;
  if (base.access !== head.access) {
    if (head.access !== 'allow') {
      i.access[head.access].newly++;
      if (base.access === 'allow') i.access[head.access].newly_from_allow++;
    }
    if (base.access !== 'allow') i.access[base.access].no_longer++;
  }
  for (const name of new Set([...base.writes.keys(), ...head.writes.keys()])) {
    let t = i.targets.get(name);
    if (!t) i.targets.set(name, (t = { target: name, base_writes: 0, head_writes: 0, changed_users: 0 }));
    const b = base.writes.has(name);
    const h = head.writes.has(name);
    if (b) t.base_writes++;
    if (h) t.head_writes++;
    if (b !== h || base.writes.get(name) !== head.writes.get(name)) t.changed_users++;
  }
}

const VERB: Record<string, [string, string]> = {
  deny: ['denies', 'deny'],
  redirect: ['redirects', 'redirect'],
  mfa: ['sends to MFA', 'send to MFA'],
  fail: ['fails the login of', 'fail'],
};

const n = (x: number): string => x.toLocaleString('en-US');

/** The impact as sentences, the riskiest first; empty when nothing changes for any user. */
export function impactLines(i: Impact, name: (target: string) => string = (t) => t): string[] {
  const out: string[] = [];
  for (const k of ['deny', 'fail', 'redirect', 'mfa'] as const) {
    const a = i.access[k];
    const [does, base] = VERB[k]!;
    if (a.newly > 0) out.push(`${does} ${n(a.newly)} of ${n(i.users)} users that it did not ${base} before${a.newly_from_allow === a.newly ? ' (all of them allowed before)' : ''}`);
    if (a.no_longer > 0) out.push(`no longer ${base === 'fail' ? 'fails' : VERB[k]![0]} ${n(a.no_longer)} of ${n(i.users)} users`);
  }
  const targets = [...i.targets.values()].filter((t) => t.changed_users > 0).sort((a, b) => b.changed_users - a.changed_users || (a.target < b.target ? -1 : 1));
  for (const t of targets) {
    if (t.base_writes === 0) out.push(`writes ${name(t.target)} for ${n(t.head_writes)} users (a new write)`);
    else if (t.head_writes === 0) out.push(`no longer writes ${name(t.target)} (${n(t.base_writes)} users before)`);
    else out.push(`writes ${name(t.target)} for ${n(t.head_writes)} users (${n(t.base_writes)} before); ${n(t.changed_users)} get a different value`);
  }
  return out;
}

export function impactText(i: Impact, file: string): string {
  const lines = impactLines(i);
  return `\nImpact on ${n(i.users)} users (${file}):\n${lines.length ? lines.map((l) => `  ${l}`).join('\n') : '  nothing changes for any of them'}\n`;
}

/** A code span that no backtick in the text can end early. */
const code = (t: string): string => `\`${t.replace(/`/g, "'")}\``;

export function impactMarkdown(i: Impact, file: string): string {
  // Target names and the file name are user text: in code spans, so they cannot become markup.
  const lines = impactLines(i, code);
  return `\n#### Impact on ${n(i.users)} users (${code(file)})\n\n${lines.length ? lines.map((l) => `- ${l}`).join('\n') : 'Nothing changes for any of them.'}\n`;
}

export function impactJson(i: Impact): unknown {
  return {
    users: i.users,
    access: i.access,
    targets: [...i.targets.values()].sort((a, b) => (a.target < b.target ? -1 : 1)),
    summary: impactLines(i),
  };
}
