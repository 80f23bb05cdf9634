'use strict';
/**
 * A stub system for the benchmarks, run as a child process so that its work is not counted in
 * the CPU of the process that runs the Actions. Listens on 127.0.0.1 (ephemeral port), answers
 * every request after `delayMs` with the JSON body of the first rule whose `match` (a
 * substring of the path) fits, else `{}`. Prints `{"port":N}` on its first stdout line.
 * argv[2]: JSON `{ delayMs, rules: [{ match, body }] }`. Ends when its parent closes stdin.
 */
const http = require('node:http');

const config = JSON.parse(process.argv[2] || '{}');
const delayMs = Number(config.delayMs) || 0;
const rules = (config.rules || []).map((r) => ({ match: String(r.match), body: JSON.stringify(r.body) }));

const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const rule = rules.find((r) => (req.url || '').includes(r.match));
    const body = rule ? rule.body : '{}';
    const answer = () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    };
    if (delayMs > 0) setTimeout(answer, delayMs);
    else answer();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n');
});
process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
process.stdin.resume();
