/**
 * Runs the real Auth0 Deploy CLI (the auth0-deploy-cli devDependency) as a child process
 * against the fake Management API: trusted through NODE_EXTRA_CA_CERTS (TLS verification stays
 * on), with the network guard preloaded, no proxy and no inherited environment (--no-env).
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO } from '../helpers/compiled';

const CLI_PACKAGE = path.join(REPO, 'node_modules', 'auth0-deploy-cli', 'package.json');
const PRELOAD = path.join(__dirname, 'preload.cjs');

/** The CLI entry point, read from its package.json `bin` so a layout change fails loudly. */
export function cliEntry(): string {
  const pkg = JSON.parse(fs.readFileSync(CLI_PACKAGE, 'utf8')) as { bin: Record<string, string>; version: string };
  return path.join(path.dirname(CLI_PACKAGE), pkg.bin['a0deploy']!);
}

export interface DeployRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Lines of the network guard log: `allow 127.0.0.1:<port>`, `refuse <host>:<port>`. */
  readonly net: string[];
}

export interface DeployOptions {
  /** tenant.yaml or a directory-format folder. */
  readonly input: string;
  /** `127.0.0.1:<port>` of the fake. */
  readonly domain: string;
  readonly caFile: string;
  readonly mappings: Record<string, string>;
  /** Use this config file as is (e.g. made by examples/deploy/make-config.js) instead of writing one. */
  readonly configFile?: string;
  /** Where config.json and the guard log go. */
  readonly workDir: string;
  /** Extra config keys (e.g. AUTH0_DRY_RUN). */
  readonly config?: Record<string, unknown>;
  readonly args?: readonly string[];
  /** The child is killed after this long (default 100 s), so a hung CLI cannot outlive its test. */
  readonly timeoutMs?: number;
}

/** `a0deploy import -c <config.json> -i <input> --no-env`, resolved when the child exits. */
export async function runImport(o: DeployOptions): Promise<DeployRun> {
  const configFile = o.configFile ?? path.join(o.workDir, 'config.json');
  const netLog = path.join(o.workDir, `net-${Date.now()}-${Math.random().toString(36).slice(2)}.log`);
  if (o.configFile === undefined) writeConfig(configFile, o);
  // A minimal environment: nothing from the developer's shell (tokens, proxies) reaches the CLI.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'] ?? '',
    HOME: o.workDir,
    NODE_EXTRA_CA_CERTS: o.caFile,
    MAPC_NET_GUARD_LOG: netLog,
    MAPC_DEPLOY_TRIM_SCHEMA: '1',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
  };
  const child = spawn(
    process.execPath,
    ['--require', PRELOAD, cliEntry(), 'import', '-c', configFile, '-i', o.input, '--no-env', ...(o.args ?? [])],
    { cwd: o.workDir, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const timer = setTimeout(() => {
    stderr += `\n[test] a0deploy killed after ${o.timeoutMs ?? 100_000} ms\n`;
    child.kill('SIGKILL');
  }, o.timeoutMs ?? 100_000);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (c) => resolve(c));
  }).finally(() => clearTimeout(timer));
  const net = fs.existsSync(netLog) ? fs.readFileSync(netLog, 'utf8').split('\n').filter((l) => l !== '') : [];
  return { code, stdout, stderr, net };
}

/** The config a test import uses: the fake's domain, only actions and triggers, no deletes. */
function writeConfig(file: string, o: DeployOptions): void {
  fs.writeFileSync(
    file,
    JSON.stringify(
      {
        AUTH0_DOMAIN: o.domain,
        AUTH0_CLIENT_ID: 'fake-client-id',
        AUTH0_CLIENT_SECRET: 'fake-client-secret',
        AUTH0_INCLUDED_ONLY: ['actions', 'triggers'],
        AUTH0_KEYWORD_REPLACE_MAPPINGS: o.mappings,
        AUTH0_ALLOW_DELETE: false,
        ...o.config,
      },
      null,
      2,
    ),
  );
}
