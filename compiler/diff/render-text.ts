/** `mapc diff --format text`: for a terminal. */
import type { DiffReport } from './report';
import { allProps, bytes, delta, groupChanges, headline, propText } from './format-common';

const MARK = { added: '+', removed: '-', changed: '~' } as const;
const MAX_BASE_ERRORS = 10;

/** The whole report as text, ending with a newline. */
export function renderText(r: DiffReport): string {
  const out: string[] = [];
  out.push(`mapc diff: ${r.base.label} → ${r.head.label} (${r.project}/)`);
  out.push(headline(r));
  if (!r.base.builds) {
    out.push('', `Base ${r.base.label} does not build:`);
    for (const e of r.base.errors.slice(0, MAX_BASE_ERRORS)) out.push(`  ${e}`);
    if (r.base.errors.length > MAX_BASE_ERRORS) out.push(`  ... and ${r.base.errors.length - MAX_BASE_ERRORS} more`);
    out.push('', `Head: ${r.head.specs} spec(s), ${r.actions.length} Action(s).`);
  }
  if (r.risks.length > 0) {
    out.push('', '⚠ Risky changes');
    for (const k of r.risks) out.push(`  • ${k.message}`, `      why: ${k.why}`);
  }
  if (r.owners.length > 0) {
    out.push('', 'Owners to review');
    const width = Math.max(...r.owners.map((o) => o.owner.length));
    for (const o of r.owners) out.push(`  ${o.owner.padEnd(width)}  ${o.reasons.join(', ')}`);
  }
  if (r.changes.length > 0) {
    out.push('', 'Changes');
    for (const g of groupChanges(r.changes)) {
      out.push(g.spec === undefined ? `  ${g.heading}` : `  ${g.heading} · spec ${g.spec}`);
      for (const c of g.changes) {
        out.push(`    ${MARK[c.status]} ${c.kind} ${c.key}${c.status === 'changed' ? '' : ` (${c.status})`}`);
        if (c.status === 'changed') {
          for (const p of c.props) out.push(`        ${p.name}: ${propText(p.name, p.before)} → ${propText(p.name, p.after)}`);
        } else {
          for (const [name, v] of allProps(c)) out.push(`        ${name}: ${propText(name, v)}`);
        }
      }
    }
  }
  if (r.actions.length > 0) {
    out.push('', 'Action sizes');
    const width = Math.max(...r.actions.map((a) => a.name.length));
    for (const a of r.actions) {
      const before = a.before === undefined ? (r.base.builds ? '(new)' : '?') : bytes(a.before);
      const after = a.after === undefined ? '(removed)' : bytes(a.after);
      out.push(`  ${a.name.padEnd(width)}  ${before} → ${after}${r.base.builds ? `  ${delta(a.delta)}` : ''}`);
    }
  }
  return out.join('\n') + '\n';
}
