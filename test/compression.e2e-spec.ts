import { request as httpRequest } from 'node:http';
import { gunzipSync, inflateSync } from 'node:zlib';
import { createAccount, createCase, createUser } from './factories';
import { SseClient } from './support/sse-client';
import { startTestApp, TestApp } from './support/test-app';

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A GET whose body comes as sent on the wire: fetch would inflate it and hide the encoding. */
function rawGet(baseUrl: string, path: string, headers: Record<string, string>): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${baseUrl}${path}`, { headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('compressed answers', () => {
  let app: TestApp;
  let listPath: string;

  beforeAll(async () => {
    app = await startTestApp();
    const partner = await createAccount(app, 'partner');
    const provider = await createAccount(app, 'provider');
    const kase = await createCase(app, partner, provider);
    for (let i = 0; i < 20; i++) {
      const res = await app.request('POST', `/api/v3/case-messages/create?accessToken=${partner.token}`, {
        body: { guid: kase.guid, type: 'serviceComment', content: `message ${i} with some text to make the list long` },
      });
      expect(res.status).toBe(200);
    }
    listPath = `/api/v3/case-messages?guid=${kase.guid}&accessToken=${partner.token}`;
  });
  afterAll(async () => {
    await app.close();
  });

  it.each([
    ['gzip', gunzipSync],
    ['deflate', inflateSync],
  ])('answers a list over 1 KiB with %s when the client asks, the same JSON once inflated', async (encoding, inflate) => {
    const plain = await rawGet(app.baseUrl, listPath, {});
    const packed = await rawGet(app.baseUrl, listPath, { 'accept-encoding': encoding });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(1024);
    expect(packed.status).toBe(200);
    expect(packed.headers['content-encoding']).toBe(encoding);
    expect(packed.headers.vary).toMatch(/accept-encoding/i);
    expect(packed.body.length).toBeLessThan(plain.body.length / 2);
    expect(JSON.parse(inflate(packed.body).toString('utf8'))).toEqual(JSON.parse(plain.body.toString('utf8')));
  });

  it('prefers gzip when a client offers several encodings, and leaves small answers as they are', async () => {
    const packed = await rawGet(app.baseUrl, listPath, { 'accept-encoding': 'gzip, deflate, br' });
    expect(packed.headers['content-encoding']).toBe('gzip');
    const small = await rawGet(app.baseUrl, '/health/live', { 'accept-encoding': 'gzip' });
    expect(small.status).toBe(200);
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.body.toString('utf8'))).toEqual({ status: 'ok' });
  });

  it('never compresses the SSE stream, so an event reaches the client at once', async () => {
    const user = await createUser(app);
    const stream = await SseClient.open(`${app.baseUrl}/v2/user/me/messages/stream`, { authorization: `BimPlus ${user.token}`, 'accept-encoding': 'gzip, deflate' });
    try {
      expect(stream.status).toBe(200);
      expect(stream.headers?.get('content-encoding')).toBeNull();
      const sent = await app.request('POST', '/v2/messages', {
        headers: { authorization: `BimPlus ${user.token}` },
        body: { receiver: { id: user.id }, source: 'S', topic: 'T', severity: 'Info', returnCode: 'R', unreadEmail: false },
      });
      expect(sent.status).toBe(201);
      await stream.waitFor((events) => events.some((e) => e.event === 'message'));
      expect(stream.events.find((e) => e.event === 'message')?.data).toContain(sent.body.id);
    } finally {
      await stream.close();
    }
  });
});
