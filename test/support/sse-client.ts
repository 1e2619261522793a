/** One parsed Server-Sent Event. */
export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

/** A minimal SSE client over fetch, recording events (and heartbeat comments) as they arrive. */
export class SseClient {
  readonly events: SseEvent[] = [];
  /** As EventSource keeps it: set by every `id:` line, also of a frame without data (which dispatches nothing). */
  lastEventId?: string;
  comments = 0;
  status = 0;
  /** True once the server ended the stream. */
  ended = false;
  private readonly controller = new AbortController();
  private done?: Promise<void>;

  static async open(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
    const client = new SseClient();
    const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: client.controller.signal });
    client.status = response.status;
    client.headers = response.headers;
    if (response.ok && response.body) {
      client.done = client
        .read(response.body)
        .catch(() => undefined)
        .finally(() => {
          client.ended = true;
        });
    }
    else client.body = await response.text();
    return client;
  }

  headers?: Headers;
  body?: string;

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        this.parse(buffer.slice(0, end));
        buffer = buffer.slice(end + 2);
      }
    }
  }

  private parse(frame: string): void {
    const event: SseEvent = { event: 'message', data: '' };
    let hasData = false;
    for (const line of frame.split('\n')) {
      if (line.startsWith(':')) this.comments += 1;
      else if (line.startsWith('id: ')) {
        event.id = line.slice(4);
        this.lastEventId = event.id;
      }
      else if (line.startsWith('event: ')) event.event = line.slice(7);
      else if (line.startsWith('data: ')) {
        event.data += line.slice(6);
        hasData = true;
      }
    }
    if (hasData) this.events.push(event);
  }

  async waitFor(predicate: (events: SseEvent[]) => boolean, timeoutMs = 10_000): Promise<SseEvent[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.events)) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for SSE events; got ${JSON.stringify(this.events)}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    return this.events;
  }

  /** Resolves when the server ends the stream; rejects after `timeoutMs`. */
  async waitUntilEnded(timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended) {
      if (Date.now() > deadline) throw new Error('timed out waiting for the server to end the stream');
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async close(): Promise<void> {
    this.controller.abort();
    await this.done;
  }
}
