/**
 * The catalog's pages, from its data. Every page is one self-contained file: its style sheet
 * (and, on the lineage page, its script) inline and allowed by hash in a Content-Security-Policy
 * that forbids everything else (no network, no other script), so the site works from `file://`
 * and a string from a spec can neither load nor run anything even if escaping failed.
 */
import { createHash } from 'node:crypto';
import { html, join, raw, type Hole, type Html } from './html';
import { href, lineageOf, type AttributeInfo, type CatalogData, type OwnerInfo, type ReaderInfo, type RequestInfo, type SpecInfo, type SystemInfo, type TriggerInfo, type WriterInfo } from './data';
import { lineageSvg } from './lineage';

const STYLE = `
:root { --fg: #1d2330; --muted: #5b6474; --line: #d9dde5; --bg: #ffffff; --soft: #f4f6f9; --accent: #2456c7; --warn: #a33a12; --ok: #1d6b3a; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 "DejaVu Sans", Verdana, sans-serif; color: var(--fg); background: var(--bg); }
header { background: #1d2330; color: #fff; padding: 10px 24px; display: flex; gap: 24px; align-items: baseline; flex-wrap: wrap; }
header .brand { font-weight: bold; font-size: 16px; color: #fff; text-decoration: none; }
header nav a { color: #cfd8ea; text-decoration: none; margin-right: 16px; }
header nav a:hover, header nav a.here { color: #fff; text-decoration: underline; }
main { padding: 16px 24px 40px; max-width: 1200px; }
main.wide { max-width: none; }
h1 { font-size: 22px; margin: 8px 0 4px; }
h1 code { font-size: 21px; }
h2 { font-size: 16px; margin: 24px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
p.lead { color: var(--muted); margin-top: 0; }
code, .mono { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12.5px; }
a { color: var(--accent); }
table { border-collapse: collapse; width: 100%; margin: 4px 0 12px; }
th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid var(--line); }
th { background: var(--soft); font-weight: 600; font-size: 13px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 16px; margin: 8px 0 12px; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
.tag { display: inline-block; padding: 0 6px; border-radius: 9px; font-size: 12px; background: var(--soft); border: 1px solid var(--line); margin-right: 4px; }
.tag.warn { color: var(--warn); border-color: #e7b9a6; background: #fdf1ec; }
.tag.ok { color: var(--ok); border-color: #b6dcc3; background: #eef8f1; }
.muted { color: var(--muted); }
ul.plain { padding-left: 18px; margin: 4px 0; }
.bar { vertical-align: middle; }
.filters { display: flex; gap: 16px; align-items: center; margin: 8px 0; flex-wrap: wrap; }
.graph { overflow: auto; border: 1px solid var(--line); background: #fbfcfe; padding: 4px; }
.graph.fit svg { max-width: 100%; height: auto; }
svg.lineage text { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 12px; text-anchor: middle; fill: #1d2330; pointer-events: none; }
svg.lineage rect { stroke-width: 1.2; fill: #fff; stroke: #8a94a6; }
svg.lineage .kind-event rect { fill: #eef2f7; }
svg.lineage .kind-system rect, svg.lineage .kind-routing rect { fill: #fff4dc; stroke: #c99a2e; }
svg.lineage .kind-lookup rect { fill: #fff9ec; stroke: #c99a2e; }
svg.lineage .kind-transform rect { fill: #f3eefc; stroke: #7d5cc4; }
svg.lineage .kind-attribute rect { fill: #e8f0ff; stroke: #2456c7; }
svg.lineage .kind-token rect { fill: #e9f7ee; stroke: #1d6b3a; }
svg.lineage .kind-access rect { fill: #fdeee8; stroke: #a33a12; }
svg.lineage .kind-send rect { fill: #f1f1f1; stroke: #6b6b6b; }
svg.lineage .focus rect { stroke-width: 3; }
svg.lineage a:hover rect { stroke: #000; }
svg.lineage path.edge { fill: none; stroke: #7b8496; stroke-width: 1.3; }
svg.lineage path.role-fallback { stroke-dasharray: 6 3; }
svg.lineage path.role-condition { stroke-dasharray: 2 3; stroke: #a0a7b5; }
svg.lineage marker path { fill: #7b8496; }
svg.lineage .dim { opacity: 0.12; }
svg.lineage .changed rect { stroke: #d97706; stroke-width: 3; fill: #fff3d6; }
svg.lineage .added rect { stroke: #15803d; stroke-width: 3; fill: #e3f6e8; }
.status-added { color: var(--ok); } .status-removed { color: var(--warn); } .status-changed { color: #b45309; }
.legend span { margin-right: 14px; }
`.trim();

const SCRIPT = `
(function () {
  var svg = document.querySelector('svg.lineage');
  var owner = document.getElementById('f-owner');
  var system = document.getElementById('f-system');
  var trigger = document.getElementById('f-trigger');
  var status = document.getElementById('f-status');
  if (!svg || !owner || !system || !trigger || !status) return;
  var nodes = Array.prototype.slice.call(svg.querySelectorAll('g.node'));
  var edges = Array.prototype.slice.call(svg.querySelectorAll('path.edge'));
  var up = {}, down = {};
  edges.forEach(function (e) {
    var f = e.getAttribute('data-from'), t = e.getAttribute('data-to');
    (down[f] = down[f] || []).push(t);
    (up[t] = up[t] || []).push(f);
  });
  function reach(start, adj) {
    var seen = {}, queue = start.slice();
    start.forEach(function (s) { seen[s] = true; });
    while (queue.length) {
      var n = queue.shift();
      (adj[n] || []).forEach(function (m) { if (!seen[m]) { seen[m] = true; queue.push(m); } });
    }
    return seen;
  }
  function has(el, attr, v) { return (' ' + el.getAttribute(attr) + ' ').indexOf(' ' + v + ' ') >= 0; }
  function apply() {
    var o = owner.value, s = system.value, t = trigger.value;
    if (!o && !s && !t) {
      nodes.concat(edges).forEach(function (x) { x.classList.remove('dim'); });
      status.textContent = 'Showing all ' + nodes.length + ' nodes.';
      return;
    }
    var start = nodes.filter(function (n) { return (!o || has(n, 'data-owners', o)) && (!s || has(n, 'data-systems', s)) && (!t || has(n, 'data-triggers', t)); }).map(function (n) { return n.id; });
    var a = reach(start, up), b = reach(start, down);
    var keep = function (id) { return a[id] || b[id]; };
    var shown = 0;
    nodes.forEach(function (n) { var k = keep(n.id); if (k) shown++; n.classList.toggle('dim', !k); });
    edges.forEach(function (e) { e.classList.toggle('dim', !(keep(e.getAttribute('data-from')) && keep(e.getAttribute('data-to')))); });
    status.textContent = 'Showing ' + shown + ' of ' + nodes.length + ' nodes: what ' + (o || 'any owner') + (s ? ' with system ' + s : '') + (t ? ' on ' + t : '') + ' touches, upstream and downstream.';
  }
  function fromHash() {
    var h = {};
    location.hash.replace(/^#/, '').split('&').forEach(function (p) { var kv = p.split('='); if (kv.length === 2) h[kv[0]] = decodeURIComponent(kv[1]); });
    if (h.owner !== undefined) owner.value = h.owner;
    if (h.system !== undefined) system.value = h.system;
    if (h.trigger !== undefined) trigger.value = h.trigger;
  }
  owner.addEventListener('change', apply);
  system.addEventListener('change', apply);
  trigger.addEventListener('change', apply);
  fromHash();
  apply();
})();
`.trim();

const sha = (s: string): string => `'sha256-${createHash('sha256').update(s, 'utf8').digest('base64')}'`;

type Section = 'index' | 'attributes' | 'lineage' | 'systems' | 'triggers' | 'owners' | 'specs';
const NAV: readonly [Section, string, string][] = [
  ['index', 'index.html', 'Overview'],
  ['attributes', 'attributes.html', 'Attributes'],
  ['lineage', 'lineage.html', 'Lineage'],
  ['systems', 'systems.html', 'Systems'],
  ['triggers', 'triggers.html', 'Triggers'],
  ['owners', 'owners.html', 'Owners'],
  ['specs', 'specs.html', 'Specs'],
];

export interface PageOptions {
  readonly title: string;
  readonly section: Section;
  /** `''` at the catalog root, `'../'` one folder down. */
  readonly root: string;
  readonly body: Html;
  readonly script?: boolean;
  readonly wide?: boolean;
  /** No navigation bar (a page outside a catalog: the diff report). */
  readonly standalone?: boolean;
}

/** One self-contained page (style inline, CSP by hash). */
export function page(o: PageOptions): string {
  const csp = `default-src 'none'; style-src ${sha(STYLE)}; img-src data:;${o.script ? ` script-src ${sha(SCRIPT)};` : ''} base-uri 'none'; form-action 'none'`;
  const nav = NAV.map(([s, file, label]) => html`<a href="${o.root + file}"${s === o.section ? raw(' class="here"') : ''}>${label}</a>`);
  return (
    html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="mapc catalog">
<title>${o.title} · mapc${o.standalone ? '' : ' catalog'}</title>
<link rel="icon" href="data:,">
<style>${raw(STYLE)}</style>
</head>
<body>
${o.standalone ? html`<header><span class="brand">mapc</span></header>` : html`<header><a class="brand" href="${o.root}index.html">mapc catalog</a><nav>${nav}</nav></header>`}
<main${o.wide ? raw(' class="wide"') : ''}>
${o.body}
</main>
${o.script ? html`<script>${raw(SCRIPT)}</script>` : ''}
</body>
</html>
`.text
  );
}

const code = (s: string | undefined): Hole => (s === undefined || s === '' ? html`<span class="muted">—</span>` : html`<code>${s}</code>`);
const link = (root: string, target: string, text: Hole): Html => html`<a href="${root + target}">${text}</a>`;
const ownerLink = (root: string, owner: string | undefined): Hole => (owner ? link(root, href.owner(owner), owner) : html`<span class="muted">—</span>`);
const ms = (n: number): string => (n % 1000 === 0 ? `${n / 1000} s` : `${n} ms`);
const pct = (x: number): string => `${(Math.round(x * 1000) / 10).toFixed(1)}%`;
const kb = (n: number): string => `${(n / 1024).toFixed(1)} kB`;

export function table(head: readonly string[], rows: readonly Hole[][]): Html {
  if (rows.length === 0) return html`<p class="muted">None.</p>`;
  return html`<table><thead><tr>${head.map((h) => html`<th>${h}</th>`)}</tr></thead><tbody>${rows.map((r) => html`<tr>${r.map((c) => html`<td>${c}</td>`)}</tr>`)}</tbody></table>`;
}

export function legend(): Html {
  return html`<p class="legend muted"><span>solid arrow: value</span><span>dashed: fallback (a later argument of coalesce, or default)</span><span>dotted: condition (when)</span></p>`;
}

function trustTag(a: AttributeInfo): Html {
  return a.trust.userEditable ? html`<span class="tag warn">user-editable data can reach it</span>` : html`<span class="tag ok">trusted: no user-editable data reaches it</span>`;
}

// ---- pages

function indexPage(d: CatalogData): string {
  const root = '';
  const trig = d.triggers.filter((t) => t.actions.length > 0);
  const body = html`<h1>Identity data catalog</h1>
<p class="lead">Where each attribute and claim comes from, who owns it, which systems a login calls and what happens when they fail. Built by <code>mapc catalog</code> from the specs; regenerate it rather than editing it.</p>
<dl class="facts">
<dt>Attributes and claims</dt><dd>${link(root, 'attributes.html', `${d.attributes.length}`)}</dd>
<dt>Systems</dt><dd>${link(root, 'systems.html', `${d.systems.length}`)}</dd>
<dt>Specs</dt><dd>${link(root, 'specs.html', `${d.specs.length}`)}</dd>
<dt>Owners</dt><dd>${link(root, 'owners.html', `${d.owners.length}`)}</dd>
<dt>Claims namespace</dt><dd>${code(d.claimsNamespace)}</dd>
</dl>
<h2>Triggers</h2>
${table(
  ['trigger', 'Actions in binding order'],
  trig.map((t) => [link(root, href.trigger(t.id), t.id), join(t.actions.map((a) => (a.external ? html`<code>${a.name}</code> <span class="muted">(not built by mapc)</span>` : html`<code>${a.name}</code>`)), ', ')]),
)}
<h2>Start here</h2>
<ul class="plain">
<li>${link(root, 'lineage.html', 'The lineage graph')}: every source, computation, target and reader; filter by owner or system.</li>
<li>${link(root, 'attributes.html', 'Attributes')}: one page per metadata key and claim.</li>
<li>${link(root, 'systems.html', 'Systems')}: hosts, credentials (names only), timeouts, retries and error policies.</li>
</ul>`;
  return page({ title: 'Overview', section: 'index', root, body });
}

function attributesPage(d: CatalogData): string {
  const root = '';
  const rows = d.attributes.map((a) => [
    link(root, href.attribute(a.key), html`<code>${a.key}</code>`),
    join(a.owners.map((o) => ownerLink(root, o)), ', '),
    a.registry ? html`<code>${a.registry.type}</code>${a.registry.enum ? html` <span class="muted">${a.registry.enum}</span>` : ''}` : html`<span class="muted">not registered</span>`,
    join(
      a.writers.map((w) => w.spec).filter((s, i, xs) => xs.indexOf(s) === i).map((s) => link(root, href.spec(s), s)),
      ', ',
    ),
    a.trust.userEditable ? html`<span class="tag warn">user-editable</span>` : html`<span class="tag ok">trusted</span>`,
  ]);
  const body = html`<h1>Attributes and claims</h1>
<p class="lead">Every key of the registry in <code>mapc.yaml</code> and every target a spec writes.</p>
${table(['attribute', 'owner', 'type', 'written by', 'trust'], rows)}`;
  return page({ title: 'Attributes', section: 'attributes', root, body });
}

function sourceText(root: string, s: WriterInfo['sources'][number]): Html {
  const role = s.role === 'fallback' ? html`<span class="tag">fallback</span>` : s.role === 'condition' ? html`<span class="tag">condition</span>` : '';
  const main = s.href ? link(root, s.href, html`<code>${s.text}</code>`) : html`<code>${s.text}</code>`;
  return html`${role}${main}${s.detail ? html` <span class="muted">${s.detail}</span>` : ''}`;
}

function attributePage(d: CatalogData, a: AttributeInfo): string {
  const root = '../';
  const graph = lineageOf(d.graph, [a.node]);
  const writers = a.writers.map(
    (w) => html`<tr><td>${link(root, href.spec(w.spec), w.spec)}<br><span class="muted">${w.at}</span></td><td>${link(root, href.trigger(w.trigger), w.trigger)}${w.phase === 'continue' ? html`<br><span class="tag">after redirect</span>` : ''}</td><td>${ownerLink(root, w.owner)}</td><td>${w.via === 'field' ? '' : html`<span class="muted">${w.via}</span><br>`}<code>${w.from}</code>${w.transforms ? html`<br>transform: <code>${w.transforms}</code>` : ''}${w.default ? html`<br>default: <code>${w.default}</code>` : ''}${w.when ? html`<br>when: <code>${w.when}</code>` : ''}</td><td><ul class="plain">${w.sources.map((s) => html`<li>${sourceText(root, s)}</li>`)}</ul>${w.untrusted ? html`<span class="tag warn">carries ${w.untrusted.text}</span>${w.untrusted.chain.length > 0 ? html`<ul class="plain muted">${w.untrusted.chain.map((c) => html`<li>${c}</li>`)}</ul>` : ''}` : ''}</td></tr>`,
  );
  const readerRow = (r: ReaderInfo): Hole[] => [r.spec ? link(root, href.spec(r.spec), r.spec) : html`<span class="muted">—</span>`, link(root, r.href, r.where), html`<code>${r.expr}</code>`];
  const reg = a.registry;
  const body = html`<h1><code>${a.key}</code></h1>
<p class="lead">${reg?.description ?? ''} ${trustTag(a)}</p>
<dl class="facts">
<dt>owner</dt><dd>${join(a.owners.map((o) => ownerLink(root, o)), ', ')}${reg ? '' : html` <span class="muted">(not in the registry: the owners of its writers)</span>`}</dd>
<dt>type</dt><dd>${reg ? html`<code>${reg.type}</code>` : html`<span class="muted">not registered</span>`}</dd>
${reg?.enum ? html`<dt>enum</dt><dd><code>${reg.enum}</code></dd>` : ''}
${a.claim ? html`<dt>claim name</dt><dd><code>${a.claim}</code></dd>` : ''}
</dl>
<h2>Lineage</h2>
${legend()}
<div class="graph fit" id="lineage">${lineageSvg(graph, { root, focus: [a.node], title: `lineage of ${a.key}` })}</div>
<h2>Written by</h2>
${a.writers.length === 0 ? html`<p class="muted">No spec writes it (it is registered for values written elsewhere).</p>` : html`<table><thead><tr><th>spec</th><th>trigger</th><th>owner</th><th>value</th><th>sources</th></tr></thead><tbody>${writers}</tbody></table>`}
<h2>Read by</h2>
${table(['spec', 'where', 'expression'], a.readers.map(readerRow))}
<h2>Can user-editable data reach it?</h2>
${a.trust.userEditable ? html`<p><strong>Yes.</strong> Deciding access, routing or an authorization claim on it lets a user grant themselves rights; mapc refuses such uses (MAPC0601–0603).</p><ul class="plain">${a.trust.why.map((w) => html`<li>${w}</li>`)}</ul>` : html`<p><strong>No.</strong> Every value written to it comes from data the user cannot choose (the trust analysis of the compiler).</p>`}`;
  return page({ title: a.key, section: 'attributes', root, body });
}

function lineagePage(d: CatalogData): string {
  const root = '';
  const owners = [...new Set(d.graph.nodes.flatMap((n) => n.owners))].sort();
  const systems = [...new Set(d.graph.nodes.flatMap((n) => n.systems))].sort();
  const triggers = d.triggers.map((t) => t.id).filter((id) => d.graph.nodes.some((n) => n.triggers.includes(id)));
  const body = html`<h1>Lineage</h1>
<p class="lead">Sources (event fields, lookups of systems) → computations → attributes and claims → tokens, access rules, sends and routing. Click a node for its page.</p>
<div class="filters">
<label>Owner <select id="f-owner"><option value="">all</option>${owners.map((o) => html`<option value="${o}">${o}</option>`)}</select></label>
<label>System <select id="f-system"><option value="">all</option>${systems.map((s) => html`<option value="${s}">${s}</option>`)}</select></label>
<label>Trigger <select id="f-trigger"><option value="">all</option>${triggers.map((t) => html`<option value="${t}">${t}</option>`)}</select></label>
<span id="f-status" class="muted">Showing all ${d.graph.nodes.length} nodes.</span>
</div>
${legend()}
<div class="graph">${lineageSvg(d.graph, { root, title: 'lineage of every attribute' })}</div>`;
  return page({ title: 'Lineage', section: 'lineage', root, body, script: true, wide: true });
}

function requestRows(root: string, rs: readonly RequestInfo[], withSpec: boolean): Html {
  return table(
    [...(withSpec ? ['spec'] : []), 'request', 'when', 'timeout', 'retries', 'on error', 'stores'],
    rs.map((r) => [
      ...(withSpec ? [html`${link(root, href.spec(r.spec), r.spec)}<br><span class="muted">${r.trigger}</span>`] : []),
      html`${r.what.startsWith('lookup') ? r.what : 'send'}<br><code>${r.method} ${r.path}</code>${r.idempotencyKey ? html`<br><span class="muted">idempotency key</span> <code>${r.idempotencyKey}</code>` : ''}`,
      code(r.when),
      ms(r.timeoutMs),
      String(r.retries),
      html`${r.onError === 'deny' ? html`<span class="tag warn">deny</span>` : html`<span class="tag">continue</span>`}${r.denyMessage ? html`<br><span class="muted">${r.denyMessage}</span>` : ''}`,
      r.stores.length === 0 ? html`<span class="muted">—</span>` : html`<ul class="plain">${r.stores.map((s) => html`<li><code>${s}</code></li>`)}</ul>`,
    ]),
  );
}

function systemsPage(d: CatalogData): string {
  const root = '';
  const body = html`<h1>Systems</h1>
<p class="lead">The external systems the specs call. Secrets are shown by name only.</p>
${table(
  ['system', 'owner', 'hosts', 'auth', 'timeout', 'retries', 'called by'],
  d.systems.map((s) => [
    link(root, href.system(s.name), s.name),
    ownerLink(root, s.owner),
    join(s.hosts.map((h) => html`<code>${h}</code>`), html`<br>`),
    s.auth,
    ms(s.timeoutMs),
    String(s.retries),
    join([...new Set(s.requests.map((r) => r.spec))].map((x) => link(root, href.spec(x), x)), ', '),
  ]),
)}`;
  return page({ title: 'Systems', section: 'systems', root, body });
}

function systemPage(s: SystemInfo): string {
  const root = '../';
  const body = html`<h1>system <code>${s.name}</code></h1>
<dl class="facts">
<dt>owner</dt><dd>${ownerLink(root, s.owner)}</dd>
<dt>base URL</dt><dd><code>${s.baseUrl}</code></dd>
<dt>hosts</dt><dd>${s.hosts.length === 0 ? html`<span class="muted">behind a secret</span>` : join(s.hosts.map((h) => html`<code>${h}</code>`), ', ')}</dd>
${s.routingBy ? html`<dt>routed by</dt><dd><code>${s.routingBy}</code></dd>` : ''}
<dt>auth</dt><dd>${s.auth}</dd>
<dt>secret names</dt><dd>${s.secrets.length === 0 ? html`<span class="muted">none</span>` : join(s.secrets.map((x) => html`<code>${x}</code>`), ', ')}</dd>
<dt>timeout</dt><dd>${ms(s.timeoutMs)} <span class="muted">per call, unless a request sets its own</span></dd>
<dt>retries</dt><dd>${String(s.retries)} <span class="muted">(network errors, 408, 429 and 5xx; GET/PUT/DELETE or with an idempotency key)</span></dd>
</dl>
<p>${link(root, `lineage.html#system=${encodeURIComponent(s.name)}`, 'Show in the lineage graph')}</p>
<h2>Called by</h2>
${requestRows(root, s.requests, true)}`;
  return page({ title: `system ${s.name}`, section: 'systems', root, body });
}

function triggersPage(d: CatalogData): string {
  const root = '';
  const body = html`<h1>Triggers</h1>
<p class="lead">Auth0 runs a trigger's Actions one after the other; they share its 20 s.</p>
${table(
  ['trigger', 'Actions', 'deadlines together'],
  d.triggers.map((t) => [link(root, href.trigger(t.id), t.id), String(t.actions.length), t.actions.length === 0 ? html`<span class="muted">—</span>` : `${ms(t.deadlineMs)} of 20 s`]),
)}`;
  return page({ title: 'Triggers', section: 'triggers', root, body });
}

function triggerPage(t: TriggerInfo): string {
  const root = '../';
  const rows = t.actions.map((a, i) => [
    String(i + 1),
    html`<code>${a.name}</code>${a.external ? html`<br><span class="muted">not built by mapc (kept bound)</span>` : ''}`,
    a.deadlineMs === undefined ? html`<span class="muted">—</span>` : html`<svg class="bar" width="120" height="8" aria-hidden="true"><rect width="120" height="8" fill="#e3e7ee"></rect><rect width="${Math.max(1, Math.round(Math.min(1, a.deadlineShare ?? 0) * 120))}" height="8" fill="#2456c7"></rect></svg> ${ms(a.deadlineMs)} (${pct(a.deadlineShare ?? 0)} of 20 s)`,
    a.bytes === undefined ? html`<span class="muted">—</span>` : html`${kb(a.bytes)} <span class="muted">(${pct(a.sizeShare ?? 0)} of 100 kB)</span>`,
    join(a.specs.map((s) => html`${link(root, href.spec(s.name), s.name)} <span class="muted">${s.owner}</span>`), html`<br>`),
    join(a.systems.map((s) => link(root, href.system(s), s)), ', '),
    join(a.secrets.map((s) => html`<code>${s}</code>`), ', '),
  ]);
  const body = html`<h1>trigger <code>${t.id}</code></h1>
<p class="lead">The Actions bound to this trigger, in the order Auth0 runs them. ${link(root, `lineage.html#trigger=${encodeURIComponent(t.id)}`, 'Show in the lineage graph')}</p>
${table(['#', 'Action', 'deadline share', 'size', 'specs', 'systems', 'secret names'], rows)}`;
  return page({ title: `trigger ${t.id}`, section: 'triggers', root, body });
}

function ownersPage(d: CatalogData): string {
  const root = '';
  const body = html`<h1>Owners</h1>
<p class="lead">Each team, what it owns and what its specs touch. The files are those <code>mapc owners</code> assigns it.</p>
${table(
  ['owner', 'owns', 'specs', 'systems'],
  d.owners.map((o) => [link(root, href.owner(o.name), o.name), String(o.owns.length), String(o.specs.length), String(o.systems.length)]),
)}`;
  return page({ title: 'Owners', section: 'owners', root, body });
}

function ownerPage(o: OwnerInfo): string {
  const root = '../';
  const list = (items: readonly string[], to: (s: string) => string, asCode = false): Html =>
    items.length === 0 ? html`<p class="muted">None.</p>` : html`<ul class="plain">${items.map((x) => html`<li>${link(root, to(x), asCode ? html`<code>${x}</code>` : x)}</li>`)}</ul>`;
  const body = html`<h1>owner <code>${o.name}</code></h1>
<p>${link(root, `lineage.html#owner=${encodeURIComponent(o.name)}`, 'Show in the lineage graph')}</p>
<h2>Owns (registry)</h2>
${list(o.owns, href.attribute, true)}
<h2>Owns (systems)</h2>
${list(o.systems, href.system)}
<h2>Specs</h2>
${list(o.specs, href.spec)}
<h2>Files (<code>mapc owners</code>)</h2>
${o.codeowners.length === 0 ? html`<p class="muted">None.</p>` : html`<ul class="plain codeowners">${o.codeowners.map((p) => html`<li><code>${p}</code></li>`)}</ul>`}
<h2>Its specs write</h2>
${list(o.writes, href.attribute, true)}
<h2>Its specs call</h2>
${list(o.calls, href.system)}`;
  return page({ title: `owner ${o.name}`, section: 'owners', root, body });
}

function specsPage(d: CatalogData): string {
  const root = '';
  const body = html`<h1>Specs</h1>
${table(
  ['spec', 'owner', 'trigger', 'Action', 'description'],
  d.specs.map((s) => [link(root, href.spec(s.name), s.name), ownerLink(root, s.owner), link(root, href.trigger(s.trigger), s.trigger), html`<code>${s.action}</code>`, s.description ?? '']),
)}`;
  return page({ title: 'Specs', section: 'specs', root, body });
}

function specPage(s: SpecInfo): string {
  const root = '../';
  const body = html`<h1>spec <code>${s.name}</code></h1>
<p class="lead">${s.description ?? ''}</p>
<dl class="facts">
<dt>owner</dt><dd>${ownerLink(root, s.owner)}</dd>
<dt>trigger</dt><dd>${link(root, href.trigger(s.trigger), s.trigger)}</dd>
<dt>Action</dt><dd><code>${s.action}</code></dd>
<dt>file</dt><dd><code>${s.file}</code></dd>
<dt>on error</dt><dd>${s.onError === 'deny' ? html`<span class="tag warn">deny</span>` : html`<span class="tag">continue</span>`}</dd>
${s.uses.length > 0 ? html`<dt>uses</dt><dd>${join(s.uses.map((u) => html`<code>${u}</code>`), ', ')}</dd>` : ''}
</dl>
<h2>Lookups</h2>
${requestRows(root, s.lookups, false)}
<h2>Fields</h2>
${table(
  ['target', 'from', 'transform', 'default', 'when', 'owner'],
  s.fields.map((f) => [
    html`${link(root, href.attribute(f.to), html`<code>${f.to}</code>`)}${f.phase === 'continue' ? html`<br><span class="tag">after redirect</span>` : ''}${f.description ? html`<br><span class="muted">${f.description}</span>` : ''}`,
    code(f.from),
    code(f.transforms),
    code(f.default),
    code(f.when),
    ownerLink(root, f.owner),
  ]),
)}
<h2>Access rules</h2>
${table(
  ['#', 'when', 'does', 'owner'],
  s.access.map((a, i) => [html`${String(i + 1)}${a.phase === 'continue' ? html`<br><span class="tag">after redirect</span>` : ''}`, html`${code(a.when)}${a.description ? html`<br><span class="muted">${a.description}</span>` : ''}`, a.action, ownerLink(root, a.owner)]),
)}
<h2>Sends</h2>
${requestRows(root, s.sends, false)}`;
  return page({ title: `spec ${s.name}`, section: 'specs', root, body });
}

/** Every page by path relative to the catalog folder. */
export function renderPages(d: CatalogData): Map<string, string> {
  const files = new Map<string, string>();
  files.set('index.html', indexPage(d));
  files.set('attributes.html', attributesPage(d));
  files.set('lineage.html', lineagePage(d));
  files.set('systems.html', systemsPage(d));
  files.set('triggers.html', triggersPage(d));
  files.set('owners.html', ownersPage(d));
  files.set('specs.html', specsPage(d));
  for (const a of d.attributes) files.set(href.attribute(a.key), attributePage(d, a));
  for (const s of d.systems) files.set(href.system(s.name), systemPage(s));
  for (const t of d.triggers) files.set(href.trigger(t.id), triggerPage(t));
  for (const o of d.owners) files.set(href.owner(o.name), ownerPage(o));
  for (const s of d.specs) files.set(href.spec(s.name), specPage(s));
  return files;
}
