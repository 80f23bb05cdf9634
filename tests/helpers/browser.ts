/**
 * Headless Chromium for the browser tests: Debian's package, installed where missing by
 * scripts/ensure-chromium.js (idempotent; a clear message when it cannot), driven by
 * puppeteer-core pointed at that binary (puppeteer-core downloads no browser).
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { REPO } from './compiled';

/** The Chromium binary, installed first if missing; throws with the script's message when it cannot be. */
export function ensureChromium(): string {
  const r = spawnSync(process.execPath, [path.join(REPO, 'scripts', 'ensure-chromium.js')], { encoding: 'utf8', timeout: 15 * 60 * 1000 });
  if (r.status !== 0) throw new Error(r.stderr.trim() || `scripts/ensure-chromium.js failed (${r.error?.message ?? `exit ${r.status}`})`);
  return r.stdout.trim();
}

/** A headless Chromium with a fixed window and font rendering (for screenshots that compare across runs). */
export async function launchChromium(): Promise<Browser> {
  return puppeteer.launch({
    executablePath: ensureChromium(),
    headless: true,
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    args: ['--no-sandbox', '--disable-gpu', '--font-render-hinting=none', '--force-color-profile=srgb', '--hide-scrollbars', '--disable-lcd-text', '--window-size=1280,900'],
  });
}
