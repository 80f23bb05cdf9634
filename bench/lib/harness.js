'use strict';
/**
 * Runs generated and hand-written Actions side by side in this process, with the compiled
 * mapc from dist/ (built by `npm install` / `npm run build:ts`): the same loader
 * (compiler/emulator/load.ts: `fetch` routed from the systems' real base URLs to stubs), the
 * same Auth0-like `api` (auth0-api.ts) and the same events (events.ts) for both, so the only
 * difference measured is the Action's own code. Stub systems run in child processes
 * (stub-server.js) so their CPU is not counted here.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const readline = require('node:readline');

const ROOT = path.join(__dirname, '..', '..');
const dist = (p) => require(path.join(ROOT, 'dist', p));

const { compile } = dist('compiler/pipeline.js');
const { loadAction } = dist('compiler/emulator/load.js');
const { createApi } = dist('compiler/emulator/auth0-api.js');
const { deepMerge } = dist('compiler/emulator/events.js');
const { defaultEvent } = dist('compiler/triggers/index.js');

/** A fresh temp folder, removed by `cleanup()`. */
const temps = [];
function tempDir(tag) {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `mapc-bench-${tag}-`));
  temps.push(d);
  return d;
}
function cleanup() {
  for (const d of temps.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/** Compiles a project folder with the real pipeline; throws with the diagnostics if it does not build. */
async function compileProject(projectDir) {
  const { result, diagnostics } = await compile({ projectDir, cwd: path.dirname(projectDir) });
  if (!result) {
    const { formatText } = dist('compiler/diagnostics/format.js');
    throw new Error(`bench project ${projectDir} did not build:\n${formatText(diagnostics, { color: false, frames: false })}`);
  }
  return result;
}

/** Starts a stub-server child; resolves to `{ url, close }`. */
function startStub(config) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(__dirname, 'stub-server.js'), JSON.stringify(config)], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    child.on('error', reject);
    const rl = readline.createInterface({ input: child.stdout });
    rl.once('line', (line) => {
      const { port } = JSON.parse(line);
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise((done) => {
            child.once('exit', () => done());
            child.stdin.end();
          }),
      });
    });
  });
}

/** Routes every base URL of `action` (static ones; the bench projects use no routing) to `stubUrl`. */
function routesTo(action, stubUrl) {
  return action.systems.filter((s) => s.baseUrl.kind === 'static').map((s) => ({ base: s.baseUrl.url, stub: stubUrl }));
}

/**
 * Loads a post-login Action's code; returns `run(event)` (one execution with a fresh api,
 * resolving to the api record) and `logs` (cleared with `clearLogs`).
 */
function loadPostLogin(code, routes) {
  const loaded = loadAction(code, routes);
  const handler = loaded.exports.onExecutePostLogin;
  if (typeof handler !== 'function') throw new Error('code does not export onExecutePostLogin');
  return {
    handler,
    async run(event) {
      const { api, record } = createApi('post-login', event);
      await handler(event, api);
      return record;
    },
    clearLogs: () => {
      loaded.logs.length = 0;
      loaded.fetched.length = 0;
    },
    refused: loaded.refused,
  };
}

/** A post-login event: the default one with `over` merged and `secrets` set. */
function postLoginEvent(over, secrets) {
  return { ...deepMerge(defaultEvent('post-login'), over), secrets };
}

const newApi = (event) => createApi('post-login', event);

module.exports = { ROOT, dist, tempDir, cleanup, compileProject, startStub, routesTo, loadPostLogin, postLoginEvent, newApi };
