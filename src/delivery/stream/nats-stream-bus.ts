import { connect, Events, NatsConnection } from 'nats';
import { setTimeout as sleep } from 'node:timers/promises';
import { StreamBus } from './stream-bus';

/** The subject the wake-ups go on; a deployment sharing its NATS with another only wakes the other's relays for nothing. */
export const STREAM_WAKE_SUBJECT = 'messaging-service.user-stream-events';

/** Between attempts to reach a NATS server that is not up at start; streams poll the table meanwhile. */
const FIRST_CONNECT_RETRY_MS = 1000;

/**
 * The stream bus over NATS core publish/subscribe (PUSH_BUS=nats): takes the fan-out off PostgreSQL when NOTIFY
 * becomes the bottleneck. Until a server answers the first time, it tries again every second (saying so once)
 * and gives up when the instance closes; once connected, the client reconnects for ever. Each (re)connect wakes
 * the relay, which catches up from the table.
 */
export class NatsStreamBus extends StreamBus {
  private connection?: Promise<NatsConnection | undefined>;
  private closing = false;

  constructor(private readonly servers: string) {
    super();
  }

  subscribe(onWake: () => void): void {
    this.connection = this.connectWhenUp().then((nc) => {
      if (!nc) return undefined;
      nc.subscribe(STREAM_WAKE_SUBJECT, { callback: () => onWake() });
      void this.watch(nc, onWake);
      onWake();
      return nc;
    });
  }

  protected async send(): Promise<void> {
    const nc = await this.connection;
    nc?.publish(STREAM_WAKE_SUBJECT);
  }

  protected async disconnect(): Promise<void> {
    this.closing = true;
    const nc = await this.connection;
    await nc?.close().catch(() => undefined);
  }

  /** The first connection, or undefined when the instance closed before any server answered. */
  private async connectWhenUp(): Promise<NatsConnection | undefined> {
    for (let attempt = 0; !this.closing; attempt++) {
      try {
        const nc = await connect({ servers: this.servers.split(','), name: 'messaging-service', timeout: 2000, maxReconnectAttempts: -1, reconnectTimeWait: 1000 });
        if (attempt > 0) this.logger.log('stream bus reached NATS');
        if (!this.closing) return nc;
        await nc.close().catch(() => undefined);
      } catch (error) {
        if (attempt === 0) this.logger.warn(`stream bus cannot reach NATS (${(error as Error).message}); retrying every second, streams poll meanwhile`);
        await sleep(FIRST_CONNECT_RETRY_MS);
      }
    }
    return undefined;
  }

  private async watch(nc: NatsConnection, onWake: () => void): Promise<void> {
    for await (const status of nc.status()) {
      if (status.type === Events.Reconnect) onWake();
      if (status.type === Events.Disconnect) this.logger.warn('stream bus lost NATS, reconnecting');
    }
  }
}
