'use strict';
/**
 * One cold start, in a fresh process (bench/sections/cpu.js spawns it): `require()` of an
 * Action file and its first `onExecutePostLogin` call on the event given as JSON, with the
 * emulator's Auth0-like api (loaded before the clock starts). Prints one line
 * `COLD {"requireMs":…,"firstCallMs":…}` (the Action's own log lines may come before it).
 */
const path = require('node:path');
const [file, eventJson] = process.argv.slice(2);
const { createApi } = require(path.join(__dirname, '..', '..', 'dist', 'compiler', 'emulator', 'auth0-api.js'));
const event = JSON.parse(eventJson);
const { api } = createApi('post-login', event);

(async () => {
  const t0 = process.hrtime.bigint();
  const action = require(file);
  const t1 = process.hrtime.bigint();
  await action.onExecutePostLogin(event, api);
  const t2 = process.hrtime.bigint();
  const ms = (a, b) => Number(b - a) / 1e6;
  process.stdout.write(`\nCOLD ${JSON.stringify({ requireMs: ms(t0, t1), firstCallMs: ms(t1, t2) })}\n`);
})().catch((err) => {
  process.stderr.write(`cold start failed: ${err && err.stack ? err.stack : err}\n`);
  process.exitCode = 1;
});
