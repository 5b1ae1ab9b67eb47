import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP relay in front of a service (PostgreSQL, Redis) that a test can cut
 * and restore, like a network partition: `cut()` drops every connection and
 * stops listening, `open(link.port)` listens again on the same port.
 */
export class TcpLink {
  private readonly sockets = new Set<Socket>();
  private server: Server | null = null;
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  /** A link to the service named by a URL (`redis://…`, `postgres://…`). */
  static to(url: string, defaultPort: number): TcpLink {
    const parsed = new URL(url);
    return new TcpLink({ host: parsed.hostname, port: Number(parsed.port || defaultPort) });
  }

  async open(port = 0): Promise<void> {
    this.server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    this.port = (this.server.address() as { port: number }).port;
  }

  async cut(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
    this.server = null;
  }
}
