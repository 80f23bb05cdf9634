/**
 * `mapc diff --format html`: the diff report as one self-contained page, with the working
 * tree's lineage graph and the nodes the change touches highlighted (added: green, changed:
 * amber; removed items exist only on the base side, so they are listed, not drawn).
 */
import type { Compiled } from '../pipeline';
import type { Change, DiffReport } from '../diff';
import { allProps, headline, propText } from '../diff';
import { catalogData, type Graph } from './data';
import { html, join } from './html';
import { lineageSvg } from './lineage';
import { legend, page, table } from './pages';

/** The graph nodes a change is about, in the head's graph. */
function nodesOf(c: Change, graph: Graph): string[] {
  const spec = c.spec ?? '';
  const ofSpec = (prefix: string) => graph.nodes.filter((n) => n.id.startsWith(prefix)).map((n) => n.id);
  switch (c.kind) {
    case 'field': {
      const cont = c.key.startsWith('continue ');
      const key = cont ? c.key.slice('continue '.length) : c.key;
      return [`attribute:${key}`, ...ofSpec(`transform:${spec}:${cont ? 'continue' : 'login'}:${key}:`)];
    }
    case 'lookup':
      return [`lookup:${spec}.${c.key}`];
    case 'send':
      return graph.nodes.filter((n) => n.kind === 'send' && n.id.startsWith(`send:${spec}#`) && n.label === `send ${c.key}`).map((n) => n.id);
    case 'access': {
      const m = /^(continue )?#(\d+) /.exec(c.key);
      return m ? [`access:${spec}:${m[1] ?? ''}${m[2]}`] : [];
    }
    case 'system':
      return [`system:${c.key}`, `routing:${c.key}`];
    case 'attribute':
      return [`attribute:${c.key}`];
    case 'spec':
      return graph.nodes.filter((n) => n.href === `specs/${spec}.html` && n.kind !== 'attribute').map((n) => n.id);
    default:
      return [];
  }
}

/** The report as an HTML page (a whole document, ending with a newline). */
export function renderDiffHtml(r: DiffReport, head: Compiled): string {
  const graph = catalogData(head).graph;
  const changed = new Map<string, 'added' | 'changed'>();
  const present = new Set(graph.nodes.map((n) => n.id));
  for (const c of r.changes) {
    if (c.status === 'removed') continue;
    for (const id of nodesOf(c, graph)) {
      if (!present.has(id)) continue;
      // `changed` wins over `added` for a node two changes touch.
      if (changed.get(id) !== 'changed') changed.set(id, c.status === 'added' ? 'added' : 'changed');
    }
  }
  const changeRows = r.changes.map((c) => [
    html`<span class="status-${c.status}">${c.status}</span>`,
    c.spec === undefined ? 'project' : html`${c.spec}<br><span class="muted">${c.trigger ?? ''}</span>`,
    html`${c.kind} <code>${c.key}</code>`,
    c.status === 'changed'
      ? html`<ul class="plain">${c.props.map((p) => html`<li>${p.name}: <code>${propText(p.name, p.before)}</code> → <code>${propText(p.name, p.after)}</code></li>`)}</ul>`
      : html`<ul class="plain">${allProps(c).map(([name, v]) => html`<li>${name}: <code>${propText(name, v)}</code></li>`)}</ul>`,
  ]);
  const body = html`<h1>mapc diff: ${r.base.label} → ${r.head.label}</h1>
<p class="lead">${headline(r)} <span class="muted">(${r.project}/)</span></p>
${r.base.builds ? '' : html`<h2>The base does not build</h2><ul class="plain">${r.base.errors.map((e) => html`<li><code>${e}</code></li>`)}</ul>`}
${r.risks.length > 0 ? html`<h2>Risky changes</h2><ul class="plain">${r.risks.map((k) => html`<li><strong>${k.message}</strong><br><span class="muted">why: ${k.why}</span></li>`)}</ul>` : ''}
${r.owners.length > 0 ? html`<h2>Owners to review</h2>${table(['owner', 'what of theirs is touched'], r.owners.map((o) => [o.owner, join(o.reasons, ', ')]))}` : ''}
<h2>Lineage of the working tree</h2>
<p class="legend muted"><span><span class="tag ok">green</span> added</span><span><span class="tag">amber</span> changed</span></p>
${legend()}
<div class="graph">${lineageSvg(graph, { root: null, changed, title: 'lineage with the changed nodes highlighted' })}</div>
<h2>Changes</h2>
${table(['', 'spec', 'item', 'what'], changeRows)}`;
  return page({ title: `diff ${r.base.label} → ${r.head.label}`, section: 'lineage', root: '', body, wide: true, standalone: true });
}
