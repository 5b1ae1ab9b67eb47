import { createParser, type EventSourceMessage } from 'eventsource-parser';

/** An open text/event-stream response, read message by message. */
export interface SseConnection {
  status: number;
  headers: Headers;
  /** Every message so far (comments are counted apart), in order. */
  messages: EventSourceMessage[];
  comments: number;
  retry: number | null;
  /** True once the server has ended the stream. */
  ended: () => boolean;
  /** Resolves when `count` messages have arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<EventSourceMessage[]>;
  /** Resolves when the server ends the stream. */
  waitForEnd(timeoutMs?: number): Promise<void>;
  until(what: string, check: () => boolean, timeoutMs?: number): Promise<void>;
  close(): void;
}

/** GET an SSE endpoint with fetch and parse what arrives; a non-200 answer is returned with its JSON body. */
export async function openSse(url: string, headers: Record<string, string>): Promise<SseConnection | { status: number; body: unknown }> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  if (response.status !== 200) return { status: response.status, body: await response.json() };
  const connection: SseConnection = {
    status: response.status,
    headers: response.headers,
    messages: [],
    comments: 0,
    retry: null,
    ended: () => done,
    waitFor: (count, timeoutMs = 5_000) =>
      connection.until(`${count} events`, () => connection.messages.length >= count, timeoutMs).then(() => connection.messages.slice(0, count)),
    waitForEnd: (timeoutMs = 5_000) => connection.until('the end of the stream', () => done, timeoutMs),
    async until(what, check, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; got ${connection.messages.length} events (ended: ${String(done)})`);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    close: () => abort.abort(),
  };
  let done = false;
  const parser = createParser({
    onEvent: (message) => connection.messages.push(message),
    onRetry: (ms) => (connection.retry = ms),
    onComment: () => connection.comments++,
  });
  void (async () => {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) parser.feed(decoder.decode(chunk, { stream: true }));
    } catch {
      // Aborted by close(), or cut by the server: either way the stream is over.
    }
    done = true;
  })();
  return connection;
}

export function isStream(value: SseConnection | { status: number; body: unknown }): value is SseConnection {
  return 'messages' in value;
}
