/**
 * The lineage graph as SVG, laid out at build time by dagre (@dagrejs/dagre: the layered
 * Sugiyama layout most graph tools use; synchronous, pure JavaScript, bundled into the CLI).
 * Nodes and edges go in sorted, and dagre is deterministic for the same input, so the same
 * graph draws the same bytes. Coordinates are rounded to tenths for the same reason across
 * floating-point noise.
 *
 * Every node carries `data-id`, `data-owners`, `data-systems` and `data-triggers` and every edge `data-from` and
 * `data-to`: the lineage page's filter (a few lines of inline script) reads them.
 */
import * as dagre from '@dagrejs/dagre';
import { html, join, type Html } from './html';
import type { Graph, GraphNode } from './data';

/** Monospace glyph width at the font size below, for node sizes (the font is fixed by the style sheet). */
const CHAR_PX = 7.3;
const FONT_PX = 12;
const NODE_H = 28;
const MAX_LABEL = 44;

function shortLabel(label: string): string {
  return label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL - 1)}…` : label;
}

const r1 = (n: number): string => {
  const v = Math.round(n * 10) / 10;
  return Object.is(v, -0) ? '0' : String(v);
};

export interface SvgOptions {
  /** Prefix of node links: `''` from the catalog root, `'../'` from a page one folder down; null: no links (a page outside a catalog). */
  readonly root: string | null;
  /** Node ids drawn as changed (`mapc diff --format html`), with how. */
  readonly changed?: ReadonlyMap<string, 'added' | 'changed'>;
  /** Node ids drawn highlighted (the attribute a page is about). */
  readonly focus?: readonly string[];
  /** An accessible name for the drawing. */
  readonly title: string;
}

/** The graph as an `<svg>` element; an empty graph draws a short note instead. */
export function lineageSvg(graph: Graph, o: SvgOptions): Html {
  if (graph.nodes.length === 0) return html`<p class="empty">Nothing flows here.</p>`;
  const g = new dagre.graphlib.Graph({ multigraph: false, directed: true });
  g.setGraph({ rankdir: 'LR', nodesep: 12, ranksep: 56, edgesep: 8, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const n of graph.nodes) g.setNode(n.id, { width: Math.ceil(shortLabel(n.label).length * CHAR_PX) + 20, height: NODE_H });
  for (const e of graph.edges) g.setEdge(e.from, e.to, { weight: e.role === 'value' ? 2 : 1 });
  dagre.layout(g);
  const box = g.graph();
  const width = Math.ceil(box.width ?? 0);
  const height = Math.ceil(box.height ?? 0);
  const index = new Map(graph.nodes.map((n, i) => [n.id, i]));
  const focus = new Set(o.focus ?? []);

  const edges = graph.edges.map((e) => {
    const points = g.edge(e.from, e.to)?.points ?? [];
    const d = points.map((p: { x: number; y: number }, i: number) => `${i === 0 ? 'M' : 'L'}${r1(p.x)},${r1(p.y)}`).join(' ');
    return html`<path class="edge role-${e.role}" d="${d}" data-from="n${index.get(e.from)}" data-to="n${index.get(e.to)}" marker-end="url(#arrow)"></path>`;
  });
  const nodes = graph.nodes.map((n: GraphNode, i) => {
    const p = g.node(n.id);
    const w = p.width;
    const x = (p.x ?? 0) - w / 2;
    const y = (p.y ?? 0) - NODE_H / 2;
    const body = html`<rect x="${r1(x)}" y="${r1(y)}" width="${r1(w)}" height="${NODE_H}" rx="5"></rect><text x="${r1(p.x ?? 0)}" y="${r1((p.y ?? 0) + FONT_PX / 3)}">${shortLabel(n.label)}</text>`;
    const change = o.changed?.get(n.id);
    const cls = `node kind-${n.kind}${focus.has(n.id) ? ' focus' : ''}${change ? ` ${change}` : ''}`;
    const inner = n.href && o.root !== null ? html`<a href="${o.root + n.href}">${body}</a>` : body;
    return html`<g class="${cls}" id="n${i}" data-id="${n.id}" data-owners="${n.owners.join(' ')}" data-systems="${n.systems.join(' ')}" data-triggers="${n.triggers.join(' ')}"><title>${n.title}</title>${inner}</g>`;
  });
  return html`<svg class="lineage" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="${o.title}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"></path></marker></defs><g class="edges">${join(edges)}</g><g class="nodes">${join(nodes)}</g></svg>`;
}
