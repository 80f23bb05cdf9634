/**
 * `mapc preview`'s report: text (terminal), markdown (a pull-request comment) or JSON. Values
 * are shown as JSON text, at most 60 characters, with any e-mail address masked: a report is
 * posted where the profiles it was made from must not be.
 */
import { topValues, type PreviewResult } from './preview';

const EMAIL = /[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+/g;

/** A value as shown: JSON text, e-mail addresses masked, at most 60 characters. */
export function shown(value: string): string {
  const v = value.replace(EMAIL, '<email>');
  return v.length > 60 ? `${v.slice(0, 57)}...` : v;
}

const pct = (n: number, of: number): string => (of === 0 ? '0%' : `${((n * 100) / of).toFixed(1)}%`);

export function previewJson(r: PreviewResult): string {
  return (
    JSON.stringify(
      {
        users: r.users,
        errors: r.errors,
        threw: r.threw,
        actions: r.actions,
        targets: r.targets.map((t) => ({ target: t.target, spec: t.spec, writes: t.writes, nulls: t.nulls, rejected: t.rejected, top: topValues(t).map((v) => ({ value: shown(v.value), users: v.users })), other_values: t.other })),
        access: r.access.map((a) => ({ spec: a.spec, rule: a.rule, kind: a.kind, users: a.users })),
        systems: r.systems.map((s) => ({ system: s.system, calls: s.calls, failures: s.failures, unanswered: s.unanswered })),
      },
      null,
      2,
    ) + '\n'
  );
}

const KIND: Record<string, string> = { deny: 'denies', redirect: 'redirects', mfa: 'sends to MFA', validation_error: 'refuses (validation error)' };

export function previewText(r: PreviewResult): string {
  const out: string[] = [`mapc preview: ${r.users} user(s) through ${r.actions.join(', ') || 'no Action'}${r.errors ? `, ${r.errors} bad line(s)` : ''}${r.threw ? `, ${r.threw} failed execution(s)` : ''}`, ''];
  out.push('writes');
  for (const t of r.targets) {
    const top = topValues(t, 3).map((v) => `${shown(v.value)} ×${v.users}`);
    out.push(
      `  ${t.target} (${t.spec}): ${t.writes} user(s) (${pct(t.writes, r.users)})${t.nulls ? `, ${t.nulls} null` : ''}${t.rejected ? `, ${t.rejected} rejected by the registry` : ''}${top.length ? `: ${top.join(', ')}` : ''}`,
    );
  }
  if (r.targets.length === 0) out.push('  (none)');
  out.push('access');
  for (const a of r.access) out.push(`  ${a.spec} rule ${a.rule + 1} ${KIND[a.kind] ?? a.kind} ${a.users} user(s) (${pct(a.users, r.users)})`);
  if (r.access.length === 0) out.push('  no user denied, redirected or sent to MFA');
  out.push('systems');
  for (const s of r.systems) out.push(`  ${s.system}: ${s.calls} call(s), ${s.failures} failed${s.unanswered ? ` (${s.unanswered} without a recorded response)` : ''}`);
  if (r.systems.length === 0) out.push('  (none called)');
  return out.join('\n') + '\n';
}

export function previewMarkdown(r: PreviewResult): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  const out: string[] = [`### mapc preview: ${r.users} users`, ''];
  if (r.errors || r.threw) out.push(`${r.errors} bad line(s), ${r.threw} failed execution(s).`, '');
  out.push('| target | spec | users written | nulls | rejected | top values |', '|---|---|---|---|---|---|');
  for (const t of r.targets) out.push(`| \`${t.target}\` | ${t.spec} | ${t.writes} (${pct(t.writes, r.users)}) | ${t.nulls} | ${t.rejected} | ${topValues(t, 3).map((v) => `\`${esc(shown(v.value))}\` ×${v.users}`).join(', ')} |`);
  out.push('', '| spec | access rule | does | users |', '|---|---|---|---|');
  for (const a of r.access) out.push(`| ${a.spec} | ${a.rule + 1} | ${KIND[a.kind] ?? a.kind} | ${a.users} (${pct(a.users, r.users)}) |`);
  out.push('', '| system | calls | failed | unanswered |', '|---|---|---|---|');
  for (const s of r.systems) out.push(`| ${s.system} | ${s.calls} | ${s.failures} | ${s.unanswered} |`);
  return out.join('\n') + '\n';
}
