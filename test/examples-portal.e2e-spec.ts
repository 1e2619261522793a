import { readFileSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Browser } from 'playwright-core';
import { createUser, UserFixture } from './factories';
import { describeWithChromium, launchChromium } from './support/chromium';
import { startTestApp, TestApp } from './support/test-app';

jest.setTimeout(60_000);

const suite = 'examples/portal-sse.html in headless Chromium, served from another origin';

/** Serves the snippet as a portal would: from its own origin, which the service lists in CORS_ORIGINS. */
function servePortal(): Promise<Server> {
  const html = readFileSync(join(__dirname, '..', 'examples', 'portal-sse.html'));
  const server = createServer((_request, response) => response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

describeWithChromium(suite)(suite, () => {
  let portal: Server;
  let portalUrl: string;
  let app: TestApp;
  let browser: Browser;
  let service: UserFixture;
  let alice: UserFixture;

  const send = (topic: string) =>
    app.request('POST', '/v2/messages', {
      body: { receiver: { id: alice.id }, source: 'Jobs', topic, severity: 'info', returnCode: 'OK' },
      headers: { authorization: `BimPlus ${service.token}` },
    });

  beforeAll(async () => {
    portal = await servePortal();
    portalUrl = `http://127.0.0.1:${(portal.address() as AddressInfo).port}`;
    app = await startTestApp({ CORS_ORIGINS: portalUrl });
    [service, alice] = await Promise.all([createUser(app, 'service'), createUser(app)]);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    portal?.close();
  });

  it('shows the unread count, pops up a message from the stream, and marks it read when clicked', async () => {
    expect((await send('already there')).status).toBe(201);
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));

    await page.goto(`${portalUrl}/?base=${encodeURIComponent(app.baseUrl)}&token=${alice.token}`);
    await page.locator('#unread', { hasText: /^1$/ }).waitFor();

    await page.locator('#status', { hasText: 'live' }).waitFor();

    expect((await send('Render finished')).status).toBe(201);
    const popup = page.locator('.popup', { hasText: 'Render finished: OK (Jobs)' });
    await popup.waitFor();
    await page.locator('#unread', { hasText: /^2$/ }).waitFor();

    await popup.click();
    await popup.waitFor({ state: 'detached' });
    const count = await app.request('GET', '/v2/user/me/messages/unreadcount', { headers: { authorization: `BimPlus ${alice.token}` } });
    expect(count.body.browser).toBe(1);
    expect(problems).toEqual([]);
  });

  it('says so when the token is refused', async () => {
    const page = await browser.newPage();
    await page.goto(`${portalUrl}/?base=${encodeURIComponent(app.baseUrl)}&token=not-a-token`);
    await page.locator('#unread', { hasText: 'Invalid' }).waitFor();
    await page.locator('#status', { hasText: 'stream closed' }).waitFor();
  });
});
