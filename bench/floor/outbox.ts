import { PoolClient } from 'pg';
import { INSERT_STREAM_EVENTS } from '../../src/delivery/delivery-outbox.sql';

/**
 * What src/delivery/delivery-outbox.service.ts adds to a v2 write transaction (mark as read), with the
 * app's own statement, so the floor pays for the same durable rows as the app. (The v3 and v2 creates'
 * delivery rows are inside the create statements themselves, which the floor shares.)
 */
export const floorOutbox = {
  async publishUserEvents(client: PoolClient, events: { userId: string; type: string; messageId: string }[]): Promise<void> {
    await client.query(INSERT_STREAM_EVENTS, [events.map((e) => e.userId), events.map((e) => e.type), events.map((e) => e.messageId)]);
  },
};
