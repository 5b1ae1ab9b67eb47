import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One GET the fake stream received: what the library presented. */
export interface StreamRequest {
  authorization: string | undefined;
  lastEventId: string | undefined;
}

export interface FakeEvents {
  url: string;
  /** Sends an event (EVENTS.md shape) to every open stream and keeps it for replay; returns its id. */
  publish(type: string, subject?: Record<string, unknown>): string;
  /** Sends raw SSE text to every open stream (for malformed events). */
  sendRaw(text: string): void;
  /** Drops every open stream and answers new ones 503 until restore(). Published events are kept for replay. */
  cut(): void;
  /** Keeps the streams open but stops writing to them, heartbeats included, until restore(). */
  silence(): void;
  restore(): void;
  /** The next `count` stream requests are answered 401 (an expired or refused token). */
  refuseTokens(count: number): void;
  requests: StreamRequest[];
  openStreams(): number;
  close(): Promise<void>;
}

/**
 * A stand-in for Gatehouse's `GET /events` until Gatehouse has it (issue 17, part 2): Server-Sent
 * Events in the EVENTS.md vocabulary, numeric increasing ids, replay after `Last-Event-ID`, and a
 * heartbeat comment every `heartbeatMs`. It checks only that a bearer token is presented.
 */
export async function startFakeEvents({ heartbeatMs = 200 } = {}): Promise<FakeEvents> {
  const log: { id: number; text: string }[] = [];
  const streams = new Set<ServerResponse>();
  const sockets = new Set<Socket>();
  const requests: StreamRequest[] = [];
  let state: 'open' | 'cut' | 'silent' = 'open';
  let refusals = 0;

  const write = (text: string) => {
    if (state !== 'open') return;
    for (const stream of streams) stream.write(text);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const lastEventId = req.headers['last-event-id'];
    requests.push({ authorization: req.headers.authorization, lastEventId: typeof lastEventId === 'string' ? lastEventId : undefined });
    if (state === 'cut') {
      res.writeHead(503, { 'Content-Type': 'application/json' }).end('{"statusCode":503}');
      return;
    }
    if (!req.headers.authorization?.startsWith('Bearer ') || refusals > 0) {
      refusals = Math.max(0, refusals - 1);
      res.writeHead(401, { 'Content-Type': 'application/json', 'WWW-Authenticate': 'Bearer error="invalid_token"' }).end('{"statusCode":401}');
      return;
    }
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
    res.write(': connected\n\n');
    const after = Number(lastEventId ?? Number.POSITIVE_INFINITY);
    for (const event of log) if (event.id > after) res.write(event.text);
    streams.add(res);
    req.on('close', () => streams.delete(res));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const heartbeat = setInterval(() => write(': heartbeat\n\n'), heartbeatMs);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/events`,
    publish(type, subject = {}) {
      const id = log.length + 1;
      const data = JSON.stringify({ id: String(id), type, at: Math.floor(Date.now() / 1000), ...subject });
      const text = `id: ${id}\nevent: ${type}\ndata: ${data}\n\n`;
      log.push({ id, text });
      write(text);
      return String(id);
    },
    sendRaw: write,
    cut() {
      state = 'cut';
      for (const socket of sockets) socket.destroy();
    },
    silence() {
      state = 'silent';
    },
    restore() {
      state = 'open';
    },
    refuseTokens(count) {
      refusals = count;
    },
    requests,
    openStreams: () => streams.size,
    async close() {
      clearInterval(heartbeat);
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
