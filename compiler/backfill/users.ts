/**
 * Exported users, one JSON object a line (Auth0's export-job format, NDJSON), gzipped or not,
 * read as a stream: the file is never held whole, and reading waits while the consumer is busy
 * (async iteration of the stream keeps Node's backpressure).
 */
import * as fs from 'node:fs';
import { createGunzip } from 'node:zlib';
import { Transform, type Readable } from 'node:stream';

export type UserLine =
  | { readonly line: number; readonly user: Record<string, unknown> }
  /** Not a JSON object with a string `user_id`; `problem` names why without quoting the line (it holds personal data). */
  | { readonly line: number; readonly problem: string };

/** Bytes read so far of the raw (possibly compressed) input, for progress. */
export interface ReadCounter {
  bytes: number;
}

/** Counts the bytes passing through (progress), without changing them. */
function counting(counter: ReadCounter): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, cb) {
      counter.bytes += chunk.length;
      cb(null, chunk);
    },
  });
}

/** Opens a users file; gzip is recognised by its magic bytes, whatever the name. */
export function openUsersFile(file: string, counter: ReadCounter): Readable {
  const fd = fs.openSync(file, 'r');
  const head = Buffer.alloc(2);
  const n = fs.readSync(fd, head, 0, 2, 0);
  const raw = fs.createReadStream('', { fd, start: 0 });
  const counted = raw.pipe(counting(counter));
  raw.on('error', (e) => counted.destroy(e));
  if (!(n === 2 && head[0] === 0x1f && head[1] === 0x8b)) return counted;
  const gunzip = createGunzip();
  counted.on('error', (e) => gunzip.destroy(e));
  return counted.pipe(gunzip);
}

/** An export job's download: gzipped NDJSON, as Auth0's export jobs write it. */
export function openDownload(stream: Readable, counter: ReadCounter): Readable {
  const counted = stream.pipe(counting(counter));
  stream.on('error', (e) => counted.destroy(e));
  const gunzip = createGunzip();
  counted.on('error', (e) => gunzip.destroy(e));
  return counted.pipe(gunzip);
}

/** The users of an NDJSON stream, in order; blank lines are skipped. */
export async function* readUsers(input: Readable): AsyncGenerator<UserLine> {
  let rest = '';
  let line = 0;
  const parse = (text: string): UserLine | null => {
    line++;
    const t = text.trim();
    if (t === '') return null;
    let v: unknown;
    try {
      v = JSON.parse(t);
    } catch {
      return { line, problem: 'is not valid JSON' };
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return { line, problem: 'is not a JSON object' };
    const id = (v as Record<string, unknown>)['user_id'];
    if (typeof id !== 'string' || id === '') return { line, problem: 'has no user_id' };
    return { line, user: v as Record<string, unknown> };
  };
  input.setEncoding('utf8');
  for await (const chunk of input as AsyncIterable<string>) {
    rest += chunk;
    let nl = rest.indexOf('\n');
    let start = 0;
    while (nl >= 0) {
      const u = parse(rest.slice(start, nl));
      if (u) yield u;
      start = nl + 1;
      nl = rest.indexOf('\n', start);
    }
    rest = rest.slice(start);
  }
  const last = parse(rest);
  if (last) yield last;
}
