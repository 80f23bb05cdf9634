/**
 * A stub of the GitHub REST API's issue comments, on 127.0.0.1 only: list (paged, with Link
 * headers as GitHub sends them), create, update. It records every request and checks the
 * token on each; `fail` makes the next requests answer an error as GitHub words it.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubComment {
  id: number;
  body: string;
  html_url: string;
  user: { login: string; type: string };
}

export interface StubRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: unknown;
}

export class StubGitHub {
  readonly requests: StubRequest[] = [];
  /** Comments by pull-request number. */
  readonly comments = new Map<number, StubComment[]>();
  /** When set, every request is answered with this status and message. */
  fail: { status: number; message: string } | null = null;
  /** Extra text for the Link header of list pages (to point a page elsewhere). */
  linkOverride: ((page: number) => string | null) | null = null;
  private nextId = 1000;
  private server: http.Server | null = null;
  url = '';

  constructor(
    readonly repo: string,
    readonly token: string,
  ) {}

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    const { port } = this.server.address() as AddressInfo;
    this.url = `http://127.0.0.1:${port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    if (this.server) await new Promise<void>((resolve) => this.server!.close(() => resolve()));
    this.server = null;
  }

  /** `n` comments by other people on pull request `pr` (before the action's). */
  seed(pr: number, bodies: readonly string[]): void {
    const list = this.comments.get(pr) ?? [];
    for (const body of bodies) list.push(this.comment(body, 'someone', 'User'));
    this.comments.set(pr, list);
  }

  /** The requests other than listing. */
  writes(): StubRequest[] {
    return this.requests.filter((r) => r.method !== 'GET');
  }

  private comment(body: string, login: string, type: string): StubComment {
    const id = this.nextId++;
    return { id, body, html_url: `https://github.com/${this.repo}/pull/1#issuecomment-${id}`, user: { login, type } };
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const url = new URL(req.url ?? '/', this.url);
    let body: unknown = undefined;
    try {
      body = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      body = raw;
    }
    this.requests.push({ method: req.method ?? '', path: url.pathname + url.search, authorization: req.headers.authorization, body });
    const send = (status: number, json: unknown, headers: Record<string, string> = {}) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
      res.end(JSON.stringify(json));
    };
    if (this.fail) return send(this.fail.status, { message: this.fail.message, documentation_url: 'https://docs.github.com/rest' });
    if (req.headers.authorization !== `Bearer ${this.token}`) return send(401, { message: 'Bad credentials' });
    const prefix = `/repos/${this.repo}/issues`;
    const list = new RegExp(`^${prefix}/(\\d+)/comments$`).exec(url.pathname);
    const one = new RegExp(`^${prefix}/comments/(\\d+)$`).exec(url.pathname);
    if (list && req.method === 'GET') {
      const pr = Number(list[1]);
      const all = this.comments.get(pr) ?? [];
      const per = Math.min(Number(url.searchParams.get('per_page') ?? 30), 100);
      const page = Number(url.searchParams.get('page') ?? 1);
      const last = Math.max(1, Math.ceil(all.length / per));
      const at = (p: number) => `<${this.url}${url.pathname}?per_page=${per}&page=${p}>`;
      const links = [page < last ? `${at(page + 1)}; rel="next"` : null, `${at(last)}; rel="last"`, page > 1 ? `${at(1)}; rel="first"` : null]
        .filter((x) => x !== null)
        .join(', ');
      const override = this.linkOverride ? this.linkOverride(page) : null;
      return send(200, all.slice((page - 1) * per, page * per), { link: override ?? links });
    }
    if (list && req.method === 'POST') {
      const pr = Number(list[1]);
      const c = this.comment((body as { body: string }).body, 'github-actions[bot]', 'Bot');
      this.comments.set(pr, [...(this.comments.get(pr) ?? []), c]);
      return send(201, c);
    }
    if (one && req.method === 'PATCH') {
      for (const cs of this.comments.values()) {
        const c = cs.find((x) => x.id === Number(one[1]));
        if (c) {
          c.body = (body as { body: string }).body;
          return send(200, c);
        }
      }
      return send(404, { message: 'Not Found' });
    }
    return send(404, { message: 'Not Found' });
  }
}
