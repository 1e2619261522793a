import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';

export interface Fault {
  status: number;
  retryAfter?: string;
  /** Answer this many matching requests with the fault (they never reach the service), then forward. */
  times: number;
  matches: (method: string, path: string) => boolean;
}

/**
 * An HTTP proxy in front of the real service that answers chosen requests with 429/503 before forwarding
 * the rest, so the client's retries meet a real service behind a failing hop. Records every request.
 */
export class FaultProxy {
  readonly seen: { method: string; path: string; headers: IncomingHttpHeaders; faulted: boolean }[] = [];
  private faults: Fault[] = [];
  private server?: Server;
  url = '';

  constructor(private readonly target: string) {}

  inject(fault: Fault): void {
    this.faults.push(fault);
  }

  reset(): void {
    this.faults = [];
    this.seen.length = 0;
  }

  async start(): Promise<void> {
    this.server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (c: Buffer) => chunks.push(c));
      request.on('end', () => {
        const method = request.method ?? 'GET';
        const path = request.url ?? '/';
        const fault = this.faults.find((f) => f.times > 0 && f.matches(method, path.split('?')[0]));
        this.seen.push({ method, path, headers: request.headers, faulted: Boolean(fault) });
        if (fault) {
          fault.times--;
          const headers: Record<string, string> = { 'content-type': 'application/json', ...(fault.retryAfter ? { 'retry-after': fault.retryAfter } : {}) };
          response.writeHead(fault.status, headers).end(JSON.stringify({ error: { message: `injected ${fault.status}` } }));
          return;
        }
        void this.forward(method, path, request.headers, Buffer.concat(chunks), response);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private async forward(method: string, path: string, incoming: IncomingHttpHeaders, body: Buffer, response: import('node:http').ServerResponse): Promise<void> {
    const headers = Object.fromEntries(Object.entries(incoming).filter(([name, value]) => typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name))) as Record<string, string>;
    const answer = await fetch(`${this.target}${path}`, { method, headers, body: body.length > 0 ? body : undefined });
    const out: Record<string, string> = {};
    answer.headers.forEach((value, name) => {
      if (!['content-encoding', 'content-length', 'transfer-encoding', 'connection'].includes(name)) out[name] = value;
    });
    response.writeHead(answer.status, out).end(Buffer.from(await answer.arrayBuffer()));
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}
