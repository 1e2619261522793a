import { UserMessageResponseDto } from '../../src/user-messages/dto/user-message-response.dto';
import { HttpResult, startTestApp, TestApp } from '../support/test-app';
import { createUser, UserFixture } from './index';

/** Every key of a v2 message, sorted: an answer carries exactly these. */
export const MESSAGE_KEYS = [
  'additionalData',
  'correlationId',
  'id',
  'receiver',
  'receiverType',
  'returnCode',
  'sender',
  'severity',
  'source',
  'timestamp',
  'topic',
  'unreadBrowserNotification',
  'unreadEmail',
];

/** Calls the API with `user`'s BimPlus token, or with no token at all for `undefined`. */
export type CallAs = (user: UserFixture | undefined, method: string, path: string, body?: unknown, headers?: Record<string, string>) => Promise<HttpResult>;

/** Sends a v2 message from `from`, the required fields filled in unless `body` names them. */
export type Send = (from: UserFixture, body: Record<string, unknown>) => Promise<UserMessageResponseDto>;

export interface UserMessagesApp {
  app: TestApp;
  alice: UserFixture;
  bob: UserFixture;
  carol: UserFixture;
  service: UserFixture;
  as: CallAs;
  send: Send;
}

function userMessagesClient(app: TestApp): { as: CallAs; send: Send } {
  const as: CallAs = (user, method, path, body, headers = {}) =>
    app.request(method, path, { body, headers: { ...(user ? { authorization: `BimPlus ${user.token}` } : {}), ...headers } });
  const send: Send = async (from, body) => {
    const res = await as(from, 'POST', '/v2/messages', { source: 'ServiceName', topic: 'SKETCHUP_JOB', severity: 'Info', returnCode: 'OK', ...body });
    // A failed set-up send names itself here instead of surfacing later as an unrelated assertion.
    if (res.status !== 201) throw new Error(`send failed: ${res.status} ${res.text}`);
    return res.body;
  };
  return { as, send };
}

/** Starts the app on its own database with three plain users and one service user. */
export async function startUserMessagesApp(): Promise<UserMessagesApp> {
  const app = await startTestApp();
  try {
    const [alice, bob, carol, service] = await Promise.all([createUser(app), createUser(app), createUser(app), createUser(app, 'service')]);
    return { app, alice, bob, carol, service, ...userMessagesClient(app) };
  } catch (error) {
    // The spec never receives the app to close, and an open app keeps Jest from exiting.
    await app.close();
    throw error;
  }
}
