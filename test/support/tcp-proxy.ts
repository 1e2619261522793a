import { createServer, Server, Socket, connect } from 'node:net';

/**
 * A TCP proxy in front of PostgreSQL that a test can cut and restore, to simulate the database
 * going away without touching the shared server.
 */
export class TcpProxy {
  private server?: Server;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(port = 0): Promise<number> {
    this.server = createServer((client) => {
      const upstream = connect(this.targetPort, this.targetHost);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(port, '127.0.0.1', resolve);
    });
    this.port = (this.server!.address() as { port: number }).port;
    return this.port;
  }

  /** Stops listening and kills every open connection. */
  async cut(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    this.server = undefined;
  }

  /** Listens again on the same port. */
  async restore(): Promise<void> {
    if (!this.server) await this.start(this.port);
  }
}

/** A proxy in front of the server named by DATABASE_URL, started. */
export async function startDatabaseProxy(): Promise<TcpProxy> {
  const target = new URL(process.env.DATABASE_URL as string);
  const proxy = new TcpProxy(target.hostname, Number(target.port || 5432));
  await proxy.start();
  return proxy;
}

/** Rewrites a database URL so it goes through `proxy` (for startTestApp's rewriteDatabaseUrl). */
export function throughProxy(proxy: TcpProxy): (url: string) => string {
  return (url) => {
    const u = new URL(url);
    u.hostname = '127.0.0.1';
    u.port = String(proxy.port);
    return u.toString();
  };
}
