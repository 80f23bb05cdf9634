/**
 * The catalog of the sample organisation in headless Chromium (#20), from file:// as a user
 * opens it: every attribute of the registry has a page, the lineage of
 * id_token.subscription_tier shows its lookup and its fallback source, every internal link of
 * every page resolves (SVG node links included), no page logs a console error or fails a
 * request, the owner/system filter works offline, hostile strings stay inert, and a screenshot
 * matches the reviewed golden image (tests/catalog/golden/, UPDATE_GOLDEN=1 rewrites it).
 *
 * Chromium is Debian's package, installed by scripts/ensure-chromium.js where missing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL, fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'puppeteer-core';
import { PNG } from 'pngjs';
import pixelmatch from 'pixelmatch';
import { launchChromium } from '../helpers/browser';
import { REPO, tempProject } from '../helpers/compiled';
import { runMapc } from '../helpers/cli';
import { HOSTILE_PROJECT } from './hostile';

const GOLDEN = path.join(REPO, 'tests', 'catalog', 'golden', 'id_token.subscription_tier.png');
/** At most this share of pixels may differ (anti-aliasing, font hinting), each by pixelmatch's colour threshold. */
const MAX_DIFF_SHARE = 0.01;

let browser: Browser;
let tmp: string;
let site: string;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mapc-catalog-browser-'));
  site = path.join(tmp, 'catalog');
  const built = await runMapc(['catalog', '-p', 'mappings', '-o', site], REPO);
  if (built.code !== 0) throw new Error(`mapc catalog failed:\n${built.stderr}`);
  browser = await launchChromium();
}, 15 * 60_000);

afterAll(async () => {
  await browser?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

interface Visit {
  readonly page: Page;
  readonly problems: string[];
}

/** Opens `file` (relative to `root`) in a fresh tab, recording console errors, page errors and failed requests. */
async function open(root: string, file: string): Promise<Visit> {
  const page = await browser.newPage();
  await page.setViewport({ width: 1280, height: 900, deviceScaleFactor: 1 });
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warn') problems.push(`${file}: console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`${file}: page error: ${String(e)}`));
  page.on('requestfailed', (r) => problems.push(`${file}: request failed: ${r.url()}`));
  page.on('request', (r) => {
    if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) problems.push(`${file}: network request: ${r.url()}`);
  });
  await page.goto(pathToFileURL(path.join(root, file)).href, { waitUntil: 'load' });
  return { page, problems };
}

function htmlFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const abs = path.join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.name.endsWith('.html')) out.push(path.relative(dir, abs).split(path.sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

describe('the catalog in Chromium', () => {
  it('crawls from index.html: every internal link resolves, every page is reached, no console errors', async () => {
    const seen = new Set<string>(['index.html']);
    const queue = ['index.html'];
    const problems: string[] = [];
    const broken: string[] = [];
    while (queue.length > 0) {
      const file = queue.shift()!;
      const visit = await open(site, file);
      // Every <a> (HTML and SVG), by its written href resolved against the page.
      const links = await visit.page.$$eval('a', (as) => as.map((a) => a.getAttribute('href') ?? '').filter((h) => h !== ''));
      const base = visit.page.url();
      for (const h of links) {
        const url = new URL(h, base);
        expect(url.protocol, `${file}: link ${h} leaves the catalog`).toBe('file:');
        const target = path.relative(site, fileURLToPath(url)).split(path.sep).join('/');
        if (target.startsWith('..') || !fs.existsSync(path.join(site, target))) {
          broken.push(`${file} → ${h}`);
          continue;
        }
        if (url.hash !== '' && url.hash !== '#' && !/^#(owner|system|trigger)=/.test(url.hash)) {
          // An anchor must exist on the target page.
          const id = decodeURIComponent(url.hash.slice(1));
          expect(fs.readFileSync(path.join(site, target), 'utf8').includes(`id="${id}"`), `${file} → ${h}`).toBe(true);
        }
        if (!seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      }
      problems.push(...visit.problems);
      await visit.page.close();
    }
    expect(broken).toEqual([]);
    expect(problems).toEqual([]);
    expect([...seen].filter((f) => f.endsWith('.html')).sort()).toEqual(htmlFiles(site));
  }, 120_000);

  it('every attribute of the registry has a page, titled with its key', async () => {
    const mapc = fs.readFileSync(path.join(REPO, 'mappings', 'mapc.yaml'), 'utf8');
    const keys = [...mapc.matchAll(/^ {2}((?:app|user)_metadata\.[a-z_]+):/gm)].map((m) => m[1]!);
    expect(keys.length).toBeGreaterThanOrEqual(7);
    for (const key of keys) {
      const visit = await open(site, `attributes/${key}.html`);
      expect(await visit.page.$eval('h1', (h) => h.textContent)).toBe(key);
      expect(await visit.page.$$eval('svg.lineage g.node.focus', (ns) => ns.map((n) => n.getAttribute('data-id')))).toEqual([`attribute:${key}`]);
      expect(visit.problems).toEqual([]);
      await visit.page.close();
    }
  }, 60_000);

  it('the lineage of id_token.subscription_tier shows its lookup and the fallback source, and its nodes link to their pages', async () => {
    const visit = await open(site, 'attributes/id_token.subscription_tier.html');
    const { page } = visit;
    const labels = await page.$$eval('svg.lineage g.node text', (ts) => ts.map((t) => t.textContent));
    expect(labels).toEqual(expect.arrayContaining(['system billing', 'lookup subscription', 'app_metadata.subscription_tier', 'id_token.subscription_tier', 'ID token']));
    // The registry key feeds the claim's computation as a fallback (dashed), the lookup as its value.
    const edges = await page.$$eval('svg.lineage path.edge', (es) => {
      const id = (n: string | null) => document.getElementById(n ?? '')?.getAttribute('data-id');
      return es.map((e) => `${id(e.getAttribute('data-from'))} ${e.getAttribute('class')} ${id(e.getAttribute('data-to'))}`);
    });
    expect(edges.some((e) => /^attribute:app_metadata\.subscription_tier edge role-fallback transform:subscription-enrichment:login:id_token\.subscription_tier:/.test(e))).toBe(true);
    expect(edges.some((e) => /^lookup:subscription-enrichment\.subscription edge role-value transform:subscription-enrichment:login:id_token\.subscription_tier:/.test(e))).toBe(true);
    // The sources as text too.
    const sources = await page.$eval('main', (m) => m.textContent ?? '');
    expect(sources).toContain('lookup subscription');
    expect(sources).toContain('fallback');
    expect(sources).toContain('user.app_metadata.subscription_tier');
    // Clicking the registry key's node opens its page.
    await Promise.all([page.waitForNavigation(), page.click('svg.lineage g.node[data-id="attribute:app_metadata.subscription_tier"] a')]);
    expect(page.url()).toMatch(/\/attributes\/app_metadata\.subscription_tier\.html$/);
    expect(await page.$eval('h1', (h) => h.textContent)).toBe('app_metadata.subscription_tier');
    expect(visit.problems).toEqual([]);
    await page.close();
  }, 60_000);

  it('the lineage page filters by owner, by system and by trigger, offline', async () => {
    const visit = await open(site, 'lineage.html');
    const { page } = visit;
    const dimmed = () => page.$$eval('svg.lineage g.node', (ns) => Object.fromEntries(ns.map((n) => [n.getAttribute('data-id'), n.classList.contains('dim')])));
    const all = await dimmed();
    expect(Object.values(all).every((d) => !d)).toBe(true);
    await page.select('#f-owner', 'team-billing');
    let now = await dimmed();
    expect(now['lookup:subscription-enrichment.subscription']).toBe(false);
    expect(now['attribute:id_token.subscription_tier']).toBe(false);
    expect(now['system:risk']).toBe(true);
    expect(await page.$eval('#f-status', (s) => s.textContent)).toMatch(/^Showing \d+ of \d+ nodes/);
    await page.select('#f-owner', '');
    await page.select('#f-system', 'risk');
    now = await dimmed();
    expect(now['system:risk']).toBe(false);
    expect(now['lookup:subscription-enrichment.subscription']).toBe(true);
    await page.select('#f-system', '');
    await page.select('#f-trigger', 'pre-user-registration');
    now = await dimmed();
    expect(now['attribute:user_metadata.marketing_consent']).toBe(false);
    expect(now['event:request.body.marketing_consent']).toBe(false);
    expect(now['lookup:subscription-enrichment.subscription']).toBe(true);
    await page.select('#f-trigger', '');
    // A link with the filter in its hash (owner pages use it) opens filtered.
    await page.goto(`${pathToFileURL(path.join(site, 'lineage.html')).href}#owner=team-crm`);
    await page.reload();
    expect(await page.$eval('#f-owner', (s) => (s as HTMLSelectElement).value)).toBe('team-crm');
    expect(visit.problems).toEqual([]);
    await page.close();
  }, 60_000);

  it('hostile strings in specs stay text: nothing runs, nothing loads', async () => {
    const cwd = tempProject(HOSTILE_PROJECT);
    const out = path.join(cwd, 'catalog');
    const r = await runMapc(['catalog', '-o', out], cwd);
    expect(r.code, r.stderr).toBe(0);
    for (const file of ['specs/evil.html', 'attributes/app_metadata.tier.html', 'attributes/id_token.tier.html', 'specs.html', 'lineage.html']) {
      const visit = await open(out, file);
      expect(await visit.page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), file).toBeUndefined();
      expect(await visit.page.$$eval('main img, main script', (xs) => xs.length), file).toBe(0);
      expect(visit.problems, file).toEqual([]);
      await visit.page.close();
    }
    expect(fs.readFileSync(path.join(out, 'specs', 'evil.html'), 'utf8')).toContain('&lt;script&gt;window.__pwned = 1&lt;/script&gt;');
    fs.rmSync(cwd, { recursive: true, force: true });
  }, 60_000);

  it('mapc diff --format html opens without errors and shows the changed nodes', async () => {
    const base = path.join(tmp, 'base');
    fs.cpSync(path.join(REPO, 'mappings'), base, { recursive: true });
    const spec = path.join(base, 'subscription-enrichment.yaml');
    fs.writeFileSync(spec, fs.readFileSync(spec, 'utf8').replace('default: standard', 'default: trial'));
    const r = await runMapc(['diff', '--base-dir', base, '-f', 'html'], REPO);
    expect(r.code, r.stderr).toBe(0);
    fs.writeFileSync(path.join(tmp, 'diff.html'), r.stdout);
    const visit = await open(tmp, 'diff.html');
    expect(await visit.page.$$eval('svg.lineage g.node.changed', (ns) => ns.map((n) => n.getAttribute('data-id')!.split(':').slice(0, 2).join(':')))).toEqual([
      'attribute:id_token.subscription_tier',
      'transform:subscription-enrichment',
    ]);
    expect(visit.problems).toEqual([]);
    await visit.page.close();
  }, 60_000);

  it('looks like the reviewed golden image (attribute page of id_token.subscription_tier)', async () => {
    const visit = await open(site, 'attributes/id_token.subscription_tier.html');
    const shot = Buffer.from(await visit.page.screenshot({ type: 'png', clip: { x: 0, y: 0, width: 1280, height: 900 } }));
    await visit.page.close();
    if (process.env['UPDATE_GOLDEN'] === '1') {
      fs.mkdirSync(path.dirname(GOLDEN), { recursive: true });
      fs.writeFileSync(GOLDEN, shot);
      // The docs show the same picture.
      fs.writeFileSync(path.join(REPO, 'docs', 'catalog-attribute.png'), shot);
    }
    expect(fs.existsSync(GOLDEN), 'no golden image: run UPDATE_GOLDEN=1 npx vitest run tests/catalog/browser.test.ts and review it').toBe(true);
    const want = PNG.sync.read(fs.readFileSync(GOLDEN));
    const got = PNG.sync.read(shot);
    expect([got.width, got.height]).toEqual([want.width, want.height]);
    const diff = new PNG({ width: want.width, height: want.height });
    const differing = pixelmatch(want.data, got.data, diff.data, want.width, want.height, { threshold: 0.1 });
    if (differing / (want.width * want.height) > MAX_DIFF_SHARE) {
      const where = path.join(os.tmpdir(), 'mapc-catalog-screenshot');
      fs.mkdirSync(where, { recursive: true });
      fs.writeFileSync(path.join(where, 'actual.png'), shot);
      fs.writeFileSync(path.join(where, 'diff.png'), PNG.sync.write(diff));
      expect.fail(`${differing} pixels (${((differing / (want.width * want.height)) * 100).toFixed(2)}%) differ from the golden image; see ${where}/actual.png and diff.png (UPDATE_GOLDEN=1 rewrites the golden after review)`);
    }
  }, 60_000);
});
