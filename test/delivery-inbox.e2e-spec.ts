import { Browser } from 'playwright-core';
import { createUser, UserFixture } from './factories';
import { describeWithChromium, launchChromium } from './support/chromium';
import { startTestApp, TestApp } from './support/test-app';

jest.setTimeout(60_000);

const suite = 'Delivery: the /inbox reference page in headless Chromium';

describeWithChromium(suite)(suite, () => {
  let app: TestApp;
  let browser: Browser;
  let service: UserFixture;
  let alice: UserFixture;

  beforeAll(async () => {
    app = await startTestApp();
    [service, alice] = await Promise.all([createUser(app, 'service'), createUser(app)]);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app.close();
  });

  it('shows the inbox, pops up a new message from the stream, and marks it read through the API', async () => {
    const old = await app.request('POST', '/v2/messages', {
      body: { receiver: { id: alice.id }, source: 'Jobs', topic: 'already there', severity: 'info', returnCode: 'OK' },
      headers: { authorization: `BimPlus ${service.token}` },
    });
    expect(old.status).toBe(201);
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));

    const response = await page.goto(`${app.baseUrl}/inbox`);
    expect(response?.status()).toBe(200);
    await page.fill('#token', alice.token);
    await page.click('button[type=submit]');
    await page.waitForSelector(`li[data-id="${old.body.id}"]`);
    // A locator, not waitForFunction: Playwright evaluates waitForFunction's predicate with eval() in the
    // page, which the page's own CSP (no 'unsafe-eval') may refuse; selectors run in Playwright's own world.
    await page.locator('#status', { hasText: /^Connected/ }).waitFor();

    const created = await app.request('POST', '/v2/messages', {
      body: { receiver: { id: alice.id }, source: 'Jobs', topic: 'Render <finished>', severity: 'error', returnCode: 'OK' },
      headers: { authorization: `BimPlus ${service.token}` },
    });
    expect(created.status).toBe(201);
    const popup = await page.waitForSelector(`.popup[data-id="${created.body.id}"]`);
    expect(await popup.textContent()).toBe('[Error] Render <finished> — Jobs');
    const item = `li[data-id="${created.body.id}"]`;
    expect(await page.getAttribute(item, 'class')).toBe('unread');

    await page.click(`${item} button.mark-read`);
    await page.waitForSelector(`${item}:not(.unread)`);
    const read = await app.request('GET', `/v2/messages/${created.body.id}`, { headers: { authorization: `BimPlus ${alice.token}` } });
    expect(read.status).toBe(200);
    expect(read.body.unreadBrowserNotification).toBe(false);
    expect(problems).toEqual([]);
  });
});
