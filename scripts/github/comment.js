#!/usr/bin/env node
'use strict';
/**
 * Posts a markdown file as one comment of the current pull request, or updates the comment it
 * posted before: `node scripts/github/comment.js <body.md>` (the GitHub Action's comment step;
 * docs/ci.md). No dependencies: Node 20's fetch and the REST API.
 *
 * The comment is found by a hidden marker at the start of its body, `<!-- mapc-diff -->`
 * (`<!-- mapc-diff:KEY -->` with MAPC_COMMENT_KEY=KEY), among all the pull request's comments,
 * page by page. The first one found is updated (left alone when its body is already the same);
 * without one a comment is created. An empty file still updates the comment, to say so.
 *
 * Environment, as GitHub Actions sets it: GITHUB_TOKEN (required; never printed),
 * GITHUB_REPOSITORY (owner/name), GITHUB_EVENT_PATH (the pull request's number is read from
 * the event), GITHUB_API_URL (default https://api.github.com), GITHUB_OUTPUT (comment-url and
 * comment-id are written to it when set).
 *
 * Exit 0 when the comment is posted, updated or already up to date, and when a pull request
 * from a fork is refused (its token is read-only: a warning, not a failure); 1 when GitHub
 * refuses or fails; 2 for a problem of the set-up (a variable missing, no pull request, the
 * file unreadable).
 */
const fs = require('node:fs');

const MAX_BODY = 65536; // GitHub refuses longer comment bodies
const MAX_PAGES = 100; // of 100 comments each
const TIMEOUT_MS = 30_000;

class Failure extends Error {
  /** @param {string} message @param {number} exit */
  constructor(message, exit) {
    super(message);
    this.exit = exit;
  }
}
const setup = (message) => new Failure(message, 2);

/** The hidden marker that identifies the comment. */
function markerFor(key) {
  if (key === undefined || key === '') return '<!-- mapc-diff -->';
  if (!/^[A-Za-z0-9._/-]+$/.test(key) || key.includes('--')) {
    throw setup(`MAPC_COMMENT_KEY ${JSON.stringify(key)} may hold only letters, digits and . _ / - (and no "--")`);
  }
  return `<!-- mapc-diff:${key} -->`;
}

/** The comment's body: the marker, then the file (cut to GitHub's limit at a line). */
function bodyFor(marker, text) {
  const content = text.trim() === '' ? '**mapc diff**: no changes to the specs.' : text.replace(/\s+$/, '');
  const full = `${marker}\n${content}\n`;
  if (full.length <= MAX_BODY) return full;
  const note = '\n\n… cut to fit a GitHub comment: the whole report is in the job log and its summary.\n';
  const room = MAX_BODY - marker.length - 1 - note.length;
  const cut = content.slice(0, room);
  const line = cut.lastIndexOf('\n');
  return `${marker}\n${line > 0 ? cut.slice(0, line) : cut}${note}`;
}

/** The pull request of the event: its number, and whether it comes from a fork. */
function pullRequestOf(eventPath) {
  if (!eventPath) throw setup('GITHUB_EVENT_PATH is not set: run this in a GitHub Actions job');
  let event;
  try {
    event = JSON.parse(fs.readFileSync(eventPath, 'utf8'));
  } catch (err) {
    throw setup(`cannot read the event at GITHUB_EVENT_PATH (${eventPath}): ${err.message}`);
  }
  const pr = event && event.pull_request;
  const number = pr && pr.number !== undefined ? pr.number : undefined;
  if (!Number.isInteger(number) || number < 1) {
    throw setup('the event is not a pull request (no pull_request.number): the comment is posted on pull_request events only');
  }
  const head = pr.head && pr.head.repo && pr.head.repo.full_name;
  const base = pr.base && pr.base.repo && pr.base.repo.full_name;
  return { number, fork: typeof head === 'string' && typeof base === 'string' && head !== base };
}

/** What a refusal of GitHub's means for the user. */
function advice(status) {
  switch (status) {
    case 401:
      return 'the token was refused (bad or expired credentials): check the github-token input';
    case 403:
      return 'the token may not write comments: give the job `permissions: pull-requests: write` (or pass a github-token that can)';
    case 404:
      return 'the repository or pull request was not found, or the token cannot see it';
    case 422:
      return 'GitHub did not accept the comment';
    default:
      return status >= 500 ? 'GitHub had a problem: run the job again' : 'unexpected answer';
  }
}

/** A client of the REST API at `apiUrl` with `token`; requests and pages stay on that origin. */
function client(apiUrl, token) {
  let origin;
  try {
    origin = new URL(apiUrl).origin;
  } catch {
    throw setup(`GITHUB_API_URL is not a URL: ${JSON.stringify(apiUrl)}`);
  }
  const base = apiUrl.replace(/\/+$/, '');
  async function request(method, url, body) {
    const target = url.startsWith('/') ? base + url : url;
    if (new URL(target).origin !== origin) throw new Failure(`refusing to send the token to ${new URL(target).origin} (not GITHUB_API_URL)`, 1);
    const shown = `${method} ${new URL(target).pathname}`;
    let res;
    try {
      res = await fetch(target, {
        method,
        headers: {
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${token}`,
          'user-agent': 'mapc-github-action',
          'x-github-api-version': '2022-11-28',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (err) {
      const why = err && err.name === 'TimeoutError' ? `no answer in ${TIMEOUT_MS / 1000} s` : (err && err.cause && (err.cause.code || err.cause.message)) || (err && err.message) || String(err);
      throw new Failure(`cannot reach GitHub (${shown} at ${origin}): ${why}`, 1);
    }
    const text = await res.text();
    let json;
    try {
      json = text === '' ? null : JSON.parse(text);
    } catch {
      json = null;
    }
    if (!res.ok) {
      const said = json && typeof json.message === 'string' ? `: ${json.message}` : '';
      const failure = new Failure(`GitHub answered ${res.status} to ${shown}${said}. ${advice(res.status)}.`, 1);
      failure.status = res.status;
      throw failure;
    }
    return { json, link: res.headers.get('link') };
  }
  return { request };
}

/** The URL of the `rel="next"` page in a Link header (RFC 8288), or null. */
function nextLink(link) {
  if (!link) return null;
  for (const part of link.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (!m) continue;
    for (const param of m[2].split(';')) {
      const rel = /^\s*rel\s*=\s*"?([^"]*)"?\s*$/i.exec(param);
      if (rel && rel[1].trim().split(/\s+/).includes('next')) return m[1];
    }
  }
  return null;
}

/** A workflow command's message, escaped as the runner expects (one line). */
const escapeData = (s) => String(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

async function main(argv, env, log) {
  const file = argv[0];
  if (file === undefined || argv.length > 1) throw setup('usage: node scripts/github/comment.js <body.md>');
  const token = env.GITHUB_TOKEN;
  if (!token) throw setup('GITHUB_TOKEN is not set: pass the github-token input (default: the job token)');
  const repository = env.GITHUB_REPOSITORY;
  if (!repository || !/^[^/\s]+\/[^/\s]+$/.test(repository)) throw setup(`GITHUB_REPOSITORY must be owner/name, not ${JSON.stringify(repository ?? '')}`);
  const marker = markerFor(env.MAPC_COMMENT_KEY);
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw setup(`cannot read ${file}: ${err.message}`);
  }
  const pr = pullRequestOf(env.GITHUB_EVENT_PATH);
  const body = bodyFor(marker, text);
  const api = client(env.GITHUB_API_URL || 'https://api.github.com', token);
  const [owner, name] = repository.split('/').map(encodeURIComponent);
  const issue = `/repos/${owner}/${name}/issues/${pr.number}`;

  let done;
  try {
    let found = null;
    let extra = 0;
    let url = `${issue}/comments?per_page=100`;
    for (let page = 1; url !== null; page++) {
      if (page > MAX_PAGES) throw new Failure(`more than ${MAX_PAGES * 100} comments on pull request #${pr.number}: stopped looking for the mapc comment`, 1);
      const { json, link } = await api.request('GET', url);
      if (!Array.isArray(json)) throw new Failure(`GitHub answered GET ${issue}/comments with something other than a list`, 1);
      for (const c of json) {
        if (!c || typeof c.body !== 'string' || !c.body.startsWith(marker)) continue;
        if (found === null) found = c;
        else extra++;
      }
      url = nextLink(link);
    }
    if (extra > 0) log(`mapc: ${extra + 1} comments carry ${marker}; updating the first`);
    if (found !== null && found.body === body) {
      done = { verb: 'unchanged', comment: found };
    } else if (found !== null) {
      const { json } = await api.request('PATCH', `/repos/${owner}/${name}/issues/comments/${encodeURIComponent(String(found.id))}`, { body });
      done = { verb: 'updated', comment: json || found };
    } else {
      const { json } = await api.request('POST', `${issue}/comments`, { body });
      done = { verb: 'posted', comment: json || {} };
    }
  } catch (err) {
    if (err instanceof Failure && err.status === 403 && pr.fork) {
      log(`::warning title=mapc diff comment::${escapeData(`not posted: the token of a pull request from a fork is read-only (${err.message})`)}`);
      return 0;
    }
    throw err;
  }
  const url = done.comment.html_url || '';
  const where = url ? `: ${url}` : '';
  log(done.verb === 'unchanged' ? `mapc: the diff comment on pull request #${pr.number} is up to date${where}` : `mapc: ${done.verb} the diff comment on pull request #${pr.number}${where}`);
  if (env.GITHUB_OUTPUT) {
    fs.appendFileSync(env.GITHUB_OUTPUT, `comment-url=${String(url).replace(/[\r\n]/g, '')}\ncomment-id=${String(done.comment.id ?? '').replace(/[\r\n]/g, '')}\n`);
  }
  return 0;
}

if (require.main === module) {
  main(process.argv.slice(2), process.env, (line) => process.stdout.write(line + '\n')).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      if (err instanceof Failure) {
        process.stderr.write(`::error title=mapc diff comment::${escapeData(err.message)}\n`);
        process.exitCode = err.exit;
      } else {
        process.stderr.write(`::error title=mapc diff comment::${escapeData(`internal error: ${err && err.message ? err.message : String(err)}`)}\n`);
        process.exitCode = 3;
      }
    },
  );
}

module.exports = { main, bodyFor, markerFor, nextLink };
