'use strict';
/**
 * Table 6: `mapc backfill` offline (issue #17): a dry run over a gzipped NDJSON users file as a
 * process, for growing numbers of users, with a spec of one lookup (a stub system in a child
 * process, answering at once) and three metadata fields. Users computed per second come from the
 * difference to a run over one user (the process start, the compile and the bundle are the fixed
 * cost); peak RSS shows that memory stays flat: the file is streamed and at most a window of users
 * is in flight. No network beyond 127.0.0.1, nothing written anywhere but the changeset file.
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');
const h = require('../lib/harness');
const { summary, fmt, table } = require('../lib/stats');

const TIME = '/usr/bin/time';

const MAPC_YAML = `version: 1
systems:
  crm:
    base_url: { secret: CRM_BASE_URL }
    auth: { bearer: CRM_API_KEY }
    timeout: 2s
    owner: team-crm
`;
const SPEC = `version: 1
name: tier-sync
owner: team-crm
trigger: post-login
lookups:
  contact:
    system: crm
    method: GET
    path: /contacts/{{user.user_id}}
fields:
  - to: app_metadata.tier
    from: contact.tier
  - to: app_metadata.crm.segment
    from: lower(contact.segment)
  - to: user_metadata.greeting
    from: { template: "Hi {{user.given_name}}" }
`;

/** Writes `count` users as gzipped NDJSON, streamed in blocks (the benchmark never holds them all either). */
function writeUsers(file, count) {
  const gz = zlib.createGzip();
  const out = fs.createWriteStream(file);
  gz.pipe(out);
  return new Promise((resolve, reject) => {
    out.on('finish', resolve);
    out.on('error', reject);
    let n = 1;
    const more = () => {
      while (n <= count) {
        let block = '';
        for (let i = 0; i < 500 && n <= count; i++, n++) {
          block += JSON.stringify({ user_id: `auth0|${n}`, email: `user${n}@example.com`, given_name: `U${n}`, app_metadata: { keep: n, tier: n % 2 ? 'gold' : 'silver' }, user_metadata: { keep: 'k' } }) + '\n';
        }
        if (!gz.write(block)) return gz.once('drain', more);
      }
      gz.end();
    };
    more();
  });
}

function runOnce(cwd, usersFile, env) {
  const mapc = path.join(h.ROOT, 'bin', 'mapc.js');
  const args = ['backfill', '--spec', 'tier-sync', '--users', usersFile, '--out', path.join(cwd, 'changes.ndjson'), '-f', 'json', '--concurrency', '8'];
  const rssFile = path.join(cwd, 'maxrss.txt');
  fs.rmSync(rssFile, { force: true });
  const useTime = fs.existsSync(TIME);
  const t0 = performance.now();
  const r = useTime
    ? spawnSync(TIME, ['-f', 'MAXRSS %M', process.execPath, mapc, ...args], { cwd, encoding: 'utf8', env })
    : spawnSync(process.execPath, ['--require', path.join(__dirname, '..', 'lib', 'maxrss.js'), mapc, ...args], { cwd, encoding: 'utf8', env: { ...env, MAPC_BENCH_MAXRSS: rssFile } });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`mapc backfill failed (exit ${r.status}):\n${r.stderr.slice(-2000)}`);
  const s = JSON.parse(r.stdout);
  const rssKb = useTime ? Number(/MAXRSS (\d+)/.exec(r.stderr)[1]) : Number(fs.readFileSync(rssFile, 'utf8').trim());
  return { ms, rssKb, read: s.read };
}

async function backfill({ runs = 3, sizes = [1, 10_000, 30_000, 100_000] } = {}) {
  const stub = await h.startStub({ delayMs: 0, rules: [{ match: '/contacts/', body: { tier: 'gold', segment: 'RETAIL' } }] });
  const rows = [];
  let ref;
  try {
    const dir = h.tempDir('backfill');
    fs.mkdirSync(path.join(dir, 'mappings'));
    fs.writeFileSync(path.join(dir, 'mappings', 'mapc.yaml'), MAPC_YAML);
    fs.writeFileSync(path.join(dir, 'mappings', 'tier-sync.yaml'), SPEC);
    const env = { PATH: process.env.PATH, CRM_BASE_URL: stub.url, CRM_API_KEY: 'bench-key', MAPC_NO_CACHE: '1' };
    const results = [];
    for (const n of sizes) {
      const file = path.join(dir, `users-${n}.ndjson.gz`);
      await writeUsers(file, n);
      const ms = [];
      const rss = [];
      for (let i = 0; i < runs; i++) {
        const r = runOnce(dir, file, env);
        if (r.read !== n) throw new Error(`backfill read ${r.read} of ${n} users`);
        ms.push(r.ms);
        rss.push(r.rssKb / 1024);
      }
      results.push({ n, ms: summary(ms), rss: summary(rss), bytes: fs.statSync(file).size });
    }
    const base = results[0];
    // Memory is compared with the first run of many users: the one-user run has not grown V8's heap yet.
    ref = results[1] ?? base;
    for (const r of results) {
      const perSec = r.n > base.n ? ((r.n - base.n) / (r.ms.median - base.ms.median)) * 1000 : undefined;
      rows.push([
        r.n.toLocaleString('en-US'),
        `${(r.bytes / 1024 / 1024).toFixed(1)} MB`,
        `${fmt({ median: r.ms.median / 1000, min: r.ms.min / 1000, max: r.ms.max / 1000 }, 2)} s`,
        perSec === undefined ? '(fixed cost)' : Math.round(perSec).toLocaleString('en-US'),
        `${fmt(r.rss, 0)} MB`,
        r === base ? '—' : `${(r.rss.median / ref.rss.median).toFixed(2)}×`,
      ]);
    }
  } finally {
    await stub.close();
  }
  return {
    title: `6. Backfill offline: \`mapc backfill --users\` dry run as a process, one lookup (stub, no delay) and three metadata fields per user (median (min–max) of ${runs} runs; peak RSS from ${fs.existsSync(TIME) ? '/usr/bin/time' : 'process.resourceUsage().maxRSS'})`,
    markdown:
      table(['users', 'file (gzip)', 'wall time', 'users computed / s', 'peak RSS', `RSS vs ${ref.n.toLocaleString('en-US')} users`], rows) +
      '\n\nUsers per second: (users − 1) / (wall time − wall time of the one-user run), so the process start, compile and bundle are left out. ' +
      'Memory flat in the number of users: the file is streamed and at most `--concurrency` + a write window of users are in flight. ' +
      'Against a real system the lookups\' latency decides: about `--concurrency` / latency users per second (8 at 50 ms: 160/s).',
  };
}

module.exports = { backfill };
