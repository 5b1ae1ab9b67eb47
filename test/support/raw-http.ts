import { connect } from 'node:net';
import { expect } from 'vitest';

/**
 * HTTP at the byte level, for requests that supertest and fetch refuse to
 * make or quietly repair: invalid UTF-8 bodies, NUL in the request line,
 * oversized headers, chunked bodies without a length. One request per
 * connection (`Connection: close`); the answer is read until the server
 * closes.
 */
export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  text: string;
}

export interface RawRequest {
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Send the body with `Transfer-Encoding: chunked` instead of a Content-Length. */
  chunked?: boolean;
}

/** Builds the request bytes; header values are written as latin1, so bytes 0x80–0xFF go through as they are. */
export function requestBytes(baseUrl: string, request: RawRequest): Buffer {
  const { host } = new URL(baseUrl);
  const body = request.body === undefined ? undefined : Buffer.isBuffer(request.body) ? request.body : Buffer.from(request.body, 'utf8');
  const headers: Record<string, string> = { Host: host, Connection: 'close', ...request.headers };
  if (body && request.chunked) headers['Transfer-Encoding'] = 'chunked';
  else if (body) headers['Content-Length'] = String(body.length);
  const head = `${request.method} ${request.path} HTTP/1.1\r\n${Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}\r\n`)
    .join('')}\r\n`;
  const parts: Buffer[] = [Buffer.from(head, 'latin1')];
  if (body && request.chunked) {
    for (let offset = 0; offset < body.length; offset += 8192) {
      const chunk = body.subarray(offset, offset + 8192);
      parts.push(Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from('\r\n'));
    }
    parts.push(Buffer.from('0\r\n\r\n'));
  } else if (body) {
    parts.push(body);
  }
  return Buffer.concat(parts);
}

export function send(baseUrl: string, request: RawRequest): Promise<RawResponse> {
  return sendBytes(baseUrl, requestBytes(baseUrl, request));
}

/** Writes `bytes` to a fresh connection and parses whatever HTTP/1.1 response comes back. */
export function sendBytes(baseUrl: string, bytes: Buffer): Promise<RawResponse> {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    const received: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error('no response within 10 s')));
    socket.on('data', (data) => received.push(data));
    // A server that refuses a request may close before reading all of it; what it wrote still counts.
    socket.on('error', (error) => (received.length ? undefined : reject(error)));
    socket.on('close', () => {
      if (!received.length) {
        reject(new Error('connection closed without a response'));
        return;
      }
      try {
        resolve(parseResponse(Buffer.concat(received)));
      } catch (error) {
        reject(error);
      }
    });
    // Not end(): a server may drop a request whose client half-closes. `Connection: close` ends it.
    socket.write(bytes);
  });
}

function parseResponse(raw: Buffer): RawResponse {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`not an HTTP response: ${JSON.stringify(raw.subarray(0, 200).toString('latin1'))}`);
  const [statusLine, ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1]);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = raw.subarray(end + 4);
  if (headers['transfer-encoding']?.includes('chunked')) body = dechunk(body);
  else if (headers['content-length'] !== undefined) body = body.subarray(0, Number(headers['content-length']));
  return { status, headers, body, text: body.toString('utf8') };
}

function dechunk(data: Buffer): Buffer {
  const chunks: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = data.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = parseInt(data.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!size) break;
    chunks.push(data.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(chunks);
}

/** What must never reach a client: stack frames, source paths, SQL, driver messages. */
export const INTERNALS: readonly [string, RegExp][] = [
  ['a stack frame', /\bat (?:[\w$.<>[\]]+ \()?(?:file:\/\/)?[^\s()'"]*:\d+:\d+/],
  ['a file path', /\/work\/|node_modules|\.ts:|\.js:\d/],
  ['SQL', /\bSELECT\b|\bINSERT INTO\b|\bUPDATE\s+"?\w+"?\s+SET\b|\bDELETE FROM\b/],
  ['a driver message', /SQLITE_|QueryFailedError|duplicate key|violates|syntax error at|relation "/],
];

/** The names of the internals that `text` gives away (empty when none). */
export function leaksIn(text: string): string[] {
  return INTERNALS.filter(([, pattern]) => pattern.test(text)).map(([name]) => name);
}

/**
 * An error answer a client can rely on: the expected status (or any 4xx),
 * a JSON object for a body, and nothing internal in it.
 */
export function expectCleanError(res: RawResponse, status?: number | readonly number[], label = ''): Record<string, unknown> {
  const context = `${label} → ${res.status} ${res.text.slice(0, 300)}`;
  if (status === undefined) {
    expect(res.status, context).toBeGreaterThanOrEqual(400);
    expect(res.status, context).toBeLessThan(500);
  } else {
    expect([status].flat(), context).toContain(res.status);
  }
  expect(res.headers['content-type'], context).toMatch(/^application\/json\b/);
  const body: unknown = JSON.parse(res.text);
  expect(body, context).toBeTypeOf('object');
  expect(body, context).not.toBeNull();
  expect(leaksIn(res.text), context).toEqual([]);
  return body as Record<string, unknown>;
}

/** RFC 6749 §5.2: `{ error, error_description }` with the given code, never cached. */
export function expectOAuthError(res: RawResponse, status: number | readonly number[], error: string, label = ''): void {
  const body = expectCleanError(res, status, label);
  expect(body, label).toMatchObject({ error, error_description: expect.any(String) });
  expect(res.headers['cache-control'], label).toBe('no-store');
}
