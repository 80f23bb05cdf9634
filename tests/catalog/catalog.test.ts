/**
 * `mapc catalog` without a browser (#20): the data and pages of the sample organisation, the
 * same bytes on every build, escaping of every user string, the owners pages against
 * `mapc owners`, and the CLI's diagnostics and atomic writing. The browser checks are in
 * browser.test.ts.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderCatalog, catalogData, CATALOG_MARKER, escapeHtml, html, type CatalogData } from '../../compiler/catalog';
import { renderCodeowners } from '../../compiler/diff';
import type { Compiled } from '../../compiler/pipeline';
import { compileFiles, compileOrThrow, REPO, tempProject } from '../helpers/compiled';
import { runMapc } from '../helpers/cli';
import { HOSTILE, HOSTILE_PROJECT } from './hostile';

let sample: Compiled;
let data: CatalogData;

beforeAll(async () => {
  sample = await compileOrThrow('mappings');
  data = catalogData(sample);
}, 60_000);

function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const abs = path.join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else out.set(path.relative(dir, abs).split(path.sep).join('/'), fs.readFileSync(abs, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

describe('the catalog data of the sample organisation', () => {
  it('has a page for every attribute of the registry and every target a spec writes', () => {
    const files = renderCatalog(sample);
    for (const attr of sample.loaded.project.attributes) expect(files.has(`attributes/${attr.target.value}.html`), attr.target.value).toBe(true);
    for (const w of sample.resolved.writes) expect(files.has(`attributes/${w.text.value}.html`), w.text.value).toBe(true);
    expect(data.attributes.map((a) => a.key)).toEqual([...data.attributes.map((a) => a.key)].sort());
  });

  it('traces id_token.subscription_tier to its lookup and its fallback source', () => {
    const a = data.attributes.find((x) => x.key === 'id_token.subscription_tier')!;
    expect(a.claim).toBe('https://acme.example/subscription_tier');
    const login = a.writers.find((w) => w.phase === 'login')!;
    expect(login.spec).toBe('subscription-enrichment');
    expect(login.default).toBe('"standard"');
    expect(login.sources.map((s) => [s.role, s.kind, s.text])).toEqual([
      ['value', 'lookup', 'lookup subscription'],
      ['fallback', 'attribute', 'user.app_metadata.subscription_tier'],
    ]);
    expect(login.sources[0]!.detail).toBe('subscription.tier from billing GET /users/{{user.user_id}}/subscription');
    // In the graph: billing → lookup → computation → claim → ID token, and the registry key as the fallback.
    const edges = data.graph.edges.map((e) => `${e.from} -${e.role}-> ${e.to}`);
    expect(edges).toContain('system:billing -value-> lookup:subscription-enrichment.subscription');
    expect(edges).toContain(`lookup:subscription-enrichment.subscription -value-> ${login.node}`);
    expect(edges).toContain(`attribute:app_metadata.subscription_tier -fallback-> ${login.node}`);
    expect(edges).toContain(`${login.node} -value-> attribute:id_token.subscription_tier`);
    expect(edges).toContain('attribute:id_token.subscription_tier -value-> token:id_token');
  });

  it('says which attributes user-editable data can reach (the trust analysis)', () => {
    const trust = Object.fromEntries(data.attributes.map((a) => [a.key, a.trust.userEditable]));
    expect(trust['app_metadata.subscription_tier']).toBe(false);
    expect(trust['id_token.subscription_tier']).toBe(false);
    expect(trust['user_metadata.marketing_consent']).toBe(true);
    // id_token.beta_tester is written from user_metadata.beta_tester: the analysis names it.
    const beta = data.attributes.find((a) => a.key === 'id_token.beta_tester')!;
    expect(beta.trust.userEditable).toBe(true);
    expect(beta.writers[0]!.untrusted?.text).toContain('user.user_metadata.beta_tester');
  });

  it('lists readers: access rules and fields that read a metadata key', () => {
    const tier = data.attributes.find((a) => a.key === 'app_metadata.subscription_tier')!;
    const where = tier.readers.map((r) => `${r.spec} ${r.where}`);
    expect(where).toContain('subscription-enrichment access rule #1 (deny)');
    expect(where).toContain('subscription-enrichment field id_token.subscription_tier');
    expect(where).toContain('subscription-enrichment lookup subscription (request)');
  });

  it('describes systems with hosts, auth, secret names, timeouts, retries and the requests that call them', () => {
    const billing = data.systems.find((s) => s.name === 'billing')!;
    expect(billing).toMatchObject({ hosts: ['billing.acme.example'], auth: 'API key in header X-Api-Key', secrets: ['BILLING_API_KEY'], timeoutMs: 1000, retries: 0, owner: 'team-billing' });
    expect(billing.requests.map((r) => [r.spec, r.what, r.onError])).toEqual([['subscription-enrichment', 'lookup subscription', 'continue']]);
    const risk = data.systems.find((s) => s.name === 'risk')!;
    expect(risk.requests[0]).toMatchObject({ onError: 'deny', timeoutMs: 800, retries: 1, denyMessage: 'We could not verify this sign-in. Please try again in a few minutes.' });
    const orders = data.systems.find((s) => s.name === 'orders')!;
    expect(orders.routingBy).toBe('user.app_metadata.region');
    expect(orders.hosts).toEqual(['eu.orders.acme.example', 'us.orders.acme.example']);
  });

  it('lists each trigger\'s Actions in binding order with deadline share and size', () => {
    const postLogin = data.triggers.find((t) => t.id === 'post-login')!;
    expect(postLogin.actions.map((a) => a.name)).toEqual(sample.program.bindings.find((b) => b.trigger === 'post-login')!.actions);
    const a = postLogin.actions[0]!;
    expect(a.deadlineMs).toBe(8000);
    expect(a.deadlineShare).toBeCloseTo(0.4);
    expect(a.bytes).toBe(Buffer.byteLength(sample.code.get(a.name)!, 'utf8'));
  });

  it('gives every team the files `mapc owners` assigns it', async () => {
    const owners = await runMapc(['owners'], REPO);
    expect(owners.code).toBe(0);
    const d = catalogData(sample, { codeowners: owners.stdout });
    const lines = owners.stdout.split('\n').filter((l) => l.startsWith('/'));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const [file, handle] = line.split(/\s+/);
      const team = d.owners.find((o) => `@${o.name}` === handle)!;
      expect(team.codeowners, line).toContain(file);
    }
    expect(d.owners.flatMap((o) => o.codeowners).length).toBe(lines.length);
    expect(d.owners.find((o) => o.name === 'team-billing')).toMatchObject({ owns: expect.arrayContaining(['app_metadata.subscription_tier']), systems: ['billing'], specs: ['subscription-enrichment'] });
  });
});

describe('determinism', () => {
  it('the same project gives the same bytes, built twice from scratch', async () => {
    const again = await compileOrThrow('mappings');
    const codeowners = renderCodeowners(sample.loaded, REPO, { root: REPO });
    const a = renderCatalog(sample, { codeowners });
    const b = renderCatalog(again, { codeowners });
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [k, v] of a) expect(b.get(k), k).toBe(v);
    // No timestamps, no absolute paths.
    for (const [k, v] of a) {
      expect(v.includes(REPO), k).toBe(false);
      expect(/\b20\d\d-\d\d-\d\dT/.test(v), k).toBe(false);
    }
  }, 60_000);
});

describe('escaping', () => {
  it('html`` escapes every hole that is not already markup', () => {
    expect(html`<p title="${'"><x>'}">${'<b>&'}</p>`.text).toBe('<p title="&quot;&gt;&lt;x&gt;">&lt;b&gt;&amp;</p>');
    expect(escapeHtml(`'`)).toBe('&#39;');
  });

  it('a description, deny message or literal holding markup is inert text on every page', async () => {
    const { result, diagnostics } = await compileFiles(HOSTILE_PROJECT);
    expect(result, diagnostics.map((d) => d.message).join('\n')).not.toBeNull();
    const files = renderCatalog(result!);
    let seen = 0;
    for (const [name, text] of files) {
      if (!name.endsWith('.html')) continue;
      // The only script is the lineage page's own, allowed by hash.
      expect(text.match(/<script>/g)?.length ?? 0, name).toBe(name === 'lineage.html' ? 1 : 0);
      expect(text.includes('<img'), name).toBe(false);
      expect(text.includes('window.__pwned = 1</script>'), name).toBe(false);
      if (text.includes('&lt;script&gt;window.__pwned = 1&lt;/script&gt;')) seen++;
    }
    // Shown (escaped) on the spec page, the attribute pages and the overview of specs.
    expect(seen).toBeGreaterThanOrEqual(3);
  });
});

describe('mapc catalog (CLI)', () => {
  it('writes the site and mapc-catalog.json; a second build replaces it with the same bytes', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapc-catalog-'));
    const out = path.join(dir, 'site');
    const first = await runMapc(['catalog', '-p', 'mappings', '-o', out], REPO);
    expect(first.stderr).toMatch(/^mapc: wrote the catalog \(\d+ pages\) to .*site\/; open .*index\.html\n$/);
    expect(first.code).toBe(0);
    const a = tree(out);
    expect(a.has('index.html')).toBe(true);
    expect(a.has(CATALOG_MARKER)).toBe(true);
    const second = await runMapc(['catalog', '-p', 'mappings', '-o', out], REPO);
    expect(second.code).toBe(0);
    expect(tree(out)).toEqual(a);
    // Nothing left beside it (staging folders).
    expect(fs.readdirSync(dir)).toEqual(['site']);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('refuses to replace a folder that is not a catalog (MAPC0803)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mapc-catalog-'));
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    const r = await runMapc(['catalog', '-p', path.join(REPO, 'mappings'), '-o', dir], REPO);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('MAPC0803');
    expect(r.stderr).toContain('mapc-catalog.json');
    expect(fs.readdirSync(dir)).toEqual(['notes.txt']);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('no project: a diagnostic, exit 1, no stack trace, nothing written', async () => {
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'mapc-catalog-'));
    const r = await runMapc(['catalog', '-p', 'nowhere', '-o', 'out'], cwd);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error MAPC\d{4}:/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(fs.existsSync(path.join(cwd, 'out'))).toBe(false);
  });

  it('a bad spec: file:line:col, code, message and hint, like build', async () => {
    const cwd = tempProject({
      ...HOSTILE_PROJECT,
      'mappings/evil.yaml': HOSTILE_PROJECT['mappings/evil.yaml']!.replace('from: contact.tier\n', 'from: contct.tier\n'),
    });
    const r = await runMapc(['catalog', '-o', 'out'], cwd);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/mappings\/evil\.yaml:\d+:\d+: error MAPC\d{4}: .*contct/);
    expect(r.stderr).toMatch(/hint|did you mean/i);
    expect(fs.existsSync(path.join(cwd, 'out'))).toBe(false);
    const json = await runMapc(['catalog', '-o', 'out', '-f', 'json'], cwd);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual(expect.anything());
  });

  it('without -p, the catalog goes beside the found project', async () => {
    const cwd = tempProject(HOSTILE_PROJECT);
    fs.mkdirSync(path.join(cwd, 'mappings', 'deep'));
    const r = await runMapc(['catalog'], path.join(cwd, 'mappings', 'deep'));
    expect(r.code, r.stderr).toBe(0);
    expect(fs.existsSync(path.join(cwd, 'catalog', 'index.html'))).toBe(true);
  }, 60_000);
});

describe('mapc diff --format html', () => {
  it('one self-contained page: the report, and the changed nodes of the graph highlighted', async () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mapc-catalog-diff-'));
    fs.cpSync(path.join(REPO, 'mappings'), base, { recursive: true });
    const spec = path.join(base, 'subscription-enrichment.yaml');
    fs.writeFileSync(spec, fs.readFileSync(spec, 'utf8').replace('default: standard', 'default: trial'));
    const r = await runMapc(['diff', '--base-dir', base, '-f', 'html'], REPO);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^<!DOCTYPE html>/);
    const changed = [...r.stdout.matchAll(/class="node [^"]*\b(changed|added)\b[^"]*" id="n\d+" data-id="([^"]*)"/g)].map((m) => `${m[1]} ${m[2]}`);
    expect(changed).toEqual(['changed attribute:id_token.subscription_tier', expect.stringMatching(/^changed transform:subscription-enrichment:login:id_token\.subscription_tier:/)]);
    expect(r.stdout).toContain('default: <code>&quot;trial&quot;</code> → <code>&quot;standard&quot;</code>');
    // Not a catalog page: no links that would lead nowhere.
    expect(r.stdout).not.toMatch(/<a href=/);
    fs.rmSync(base, { recursive: true, force: true });
  }, 60_000);
});

describe('every cookbook project', () => {
  const projects = fs
    .readdirSync(path.join(REPO, 'examples', 'cookbook'))
    .filter((d) => fs.existsSync(path.join(REPO, 'examples', 'cookbook', d, 'mappings', 'mapc.yaml')))
    .sort();

  it.each(projects)('%s: renders, and every internal link of every page names a file of the catalog', async (name) => {
    const compiled = await compileOrThrow(path.join('examples', 'cookbook', name, 'mappings'));
    const files = renderCatalog(compiled);
    for (const [file, text] of files) {
      if (!file.endsWith('.html')) continue;
      for (const m of text.matchAll(/<a href="([^"]*)"/g)) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), m[1]!.replace(/&amp;/g, '&').split('#')[0]!));
        expect(files.has(target), `${name}: ${file} → ${m[1]}`).toBe(true);
      }
    }
    for (const attr of compiled.loaded.project.attributes) expect(files.has(`attributes/${attr.target.value}.html`)).toBe(true);
  }, 60_000);
});
