import { Injectable, Logger } from '@nestjs/common';
import { Client } from 'pg';
import { EnvironmentVariables } from '../../config/env.validation';
import { STREAM_EVENTS_CHANNEL, StreamEventsRepository } from './stream-events.repository';

const RECONNECT_MS = 1000;
/** Commits within this window share one NOTIFY. */
const NOTIFY_BATCH_MS = 25;

/**
 * Cross-instance wake-up for the stream relays over LISTEN/NOTIFY. The NOTIFY is sent outside the
 * message transactions, after they commit, at most once per NOTIFY_BATCH_MS: a NOTIFY inside every
 * write transaction would serialise commits. The payload is empty; relays read the events from the
 * table. LISTEN holds a connection of its own, outside TypeORM's pool. On the embedded database (one
 * process, whose socket server does not pass notifications between connections) this is a no-op and
 * the in-process signal is the whole fan-out.
 */
@Injectable()
export class StreamNotifier {
  private readonly logger = new Logger(StreamNotifier.name);
  /** The server's URL; undefined on the embedded database. */
  private readonly url: string | undefined;
  private client?: Client;
  private closed = false;
  private notifyTimer?: NodeJS.Timeout;
  private reconnectTimer?: NodeJS.Timeout;

  constructor(
    env: EnvironmentVariables,
    private readonly events: StreamEventsRepository,
  ) {
    this.url = env.DATABASE_URL;
  }

  notifyOthers(): void {
    if (this.url === undefined || this.notifyTimer) return;
    this.notifyTimer = setTimeout(() => {
      this.notifyTimer = undefined;
      this.events.notify().catch((error: Error) => this.logger.warn(`NOTIFY failed: ${error.message}`));
    }, NOTIFY_BATCH_MS);
  }

  /** Keeps one LISTEN connection open, reconnecting after errors; `onWake` also runs after each reconnect to catch up. */
  listen(onWake: () => void): void {
    if (this.url === undefined) return;
    void this.connect(this.url, onWake);
  }

  private async connect(url: string, onWake: () => void): Promise<void> {
    if (this.closed) return;
    const client = new Client({ connectionString: url, application_name: 'messaging-service-stream-listener' });
    client.on('notification', () => onWake());
    client.on('error', (error) => this.logger.warn(`stream listener lost: ${error.message}`));
    client.on('end', () => this.scheduleReconnect(url, client, onWake));
    try {
      await client.connect();
      await client.query(`LISTEN ${STREAM_EVENTS_CHANNEL}`);
      this.client = client;
      onWake();
    } catch (error) {
      this.logger.warn(`stream listener cannot connect: ${(error as Error).message}`);
      await client.end().catch(() => undefined);
      this.scheduleReconnect(url, client, onWake);
    }
  }

  private scheduleReconnect(url: string, client: Client, onWake: () => void): void {
    if (this.client === client) this.client = undefined;
    if (this.closed || this.reconnectTimer) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      void this.connect(url, onWake);
    }, RECONNECT_MS);
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.notifyTimer);
    clearTimeout(this.reconnectTimer);
    await this.client?.end().catch(() => undefined);
  }
}
