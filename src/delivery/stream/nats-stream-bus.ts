import { connect, Events, NatsConnection } from 'nats';
import { StreamBus } from './stream-bus';

/** The subject the wake-ups go on; a deployment sharing its NATS with another only wakes the other's relays for nothing. */
export const STREAM_WAKE_SUBJECT = 'messaging-service.user-stream-events';

/**
 * The stream bus over NATS core publish/subscribe (PUSH_BUS=nats): takes the fan-out off PostgreSQL when NOTIFY
 * becomes the bottleneck. The client reconnects for ever (waiting for a server that is not up at start); each
 * reconnect wakes the relay, which catches up from the table.
 */
export class NatsStreamBus extends StreamBus {
  private connection?: Promise<NatsConnection | undefined>;

  constructor(private readonly servers: string) {
    super();
  }

  subscribe(onWake: () => void): void {
    this.connection = connect({ servers: this.servers.split(','), name: 'messaging-service', waitOnFirstConnect: true, maxReconnectAttempts: -1, reconnectTimeWait: 1000 })
      .then((nc) => {
        nc.subscribe(STREAM_WAKE_SUBJECT, { callback: () => onWake() });
        void this.watch(nc, onWake);
        onWake();
        return nc;
      })
      .catch((error: Error) => {
        this.logger.warn(`stream bus cannot connect to NATS: ${error.message}`);
        return undefined;
      });
  }

  protected async send(): Promise<void> {
    const nc = await this.connection;
    nc?.publish(STREAM_WAKE_SUBJECT);
  }

  protected async disconnect(): Promise<void> {
    const nc = await this.connection;
    await nc?.close().catch(() => undefined);
  }

  private async watch(nc: NatsConnection, onWake: () => void): Promise<void> {
    for await (const status of nc.status()) {
      if (status.type === Events.Reconnect) onWake();
      if (status.type === Events.Disconnect) this.logger.warn('stream bus lost NATS, reconnecting');
    }
  }
}
