import { Client } from 'pg';
import { STREAM_EVENTS_CHANNEL, StreamEventsRepository } from './stream-events.repository';
import { StreamBus } from './stream-bus';

const RECONNECT_MS = 1000;

/**
 * The stream bus over PostgreSQL LISTEN/NOTIFY (PUSH_BUS=postgres). NOTIFY goes through the pool: it is sent
 * when its one-statement transaction commits, which a pooler in transaction mode passes on. LISTEN needs a
 * session of its own, so it holds one connection outside the pool, on DATABASE_DIRECT_URL when that is set.
 */
export class PostgresStreamBus extends StreamBus {
  private client?: Client;
  private closed = false;
  private reconnectTimer?: NodeJS.Timeout;

  constructor(
    private readonly listenUrl: string,
    private readonly events: StreamEventsRepository,
  ) {
    super();
  }

  /** Keeps one LISTEN connection open, reconnecting after errors. */
  subscribe(onWake: () => void): void {
    void this.connect(onWake);
  }

  protected send(): Promise<void> {
    return this.events.notify();
  }

  protected async disconnect(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    await this.client?.end().catch(() => undefined);
  }

  private async connect(onWake: () => void): Promise<void> {
    if (this.closed) return;
    const client = new Client({ connectionString: this.listenUrl, application_name: 'messaging-service-stream-listener' });
    client.on('notification', () => onWake());
    client.on('error', (error) => this.logger.warn(`stream listener lost: ${error.message}`));
    client.on('end', () => this.scheduleReconnect(client, onWake));
    try {
      await client.connect();
      await client.query(`LISTEN ${STREAM_EVENTS_CHANNEL}`);
      this.client = client;
      onWake();
    } catch (error) {
      this.logger.warn(`stream listener cannot connect: ${(error as Error).message}`);
      await client.end().catch(() => undefined);
      this.scheduleReconnect(client, onWake);
    }
  }

  private scheduleReconnect(client: Client, onWake: () => void): void {
    if (this.client === client) this.client = undefined;
    if (this.closed || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect(onWake);
    }, RECONNECT_MS);
  }
}
