import { PoolClient } from 'pg';
import { INSERT_NEW_MESSAGE_DELIVERIES, INSERT_STREAM_EVENTS } from '../../src/delivery/delivery-outbox.sql';

/**
 * What src/delivery/delivery-outbox.service.ts adds to a v2 write transaction, with the app's own
 * statements, so the floor pays for the same durable delivery rows as the app. (The v3 create's webhook
 * row is inside the create statement itself, which the floor shares.)
 */
export const floorOutbox = {
  async announceNewMessage(client: PoolClient, messageId: string, recipients: { userId: string; address: string }[], channels: { email: boolean; push: boolean }): Promise<void> {
    if (recipients.length === 0 || (!channels.email && !channels.push)) return;
    await client.query(INSERT_NEW_MESSAGE_DELIVERIES, [messageId, recipients.map((r) => r.userId), recipients.map((r) => r.address), channels.email, channels.push]);
  },

  async publishUserEvents(client: PoolClient, events: { userId: string; type: string; messageId: string }[]): Promise<void> {
    await client.query(INSERT_STREAM_EVENTS, [events.map((e) => e.userId), events.map((e) => e.type), events.map((e) => e.messageId)]);
  },
};
