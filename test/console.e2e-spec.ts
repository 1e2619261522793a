import { randomUUID } from 'node:crypto';
import { Browser, Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { createAccount, createCase, createGroup, createUser } from './factories';
import { describeWithChromium, launchChromium } from './support/chromium';
import { ADMIN_TOKEN, startTestApp, TestApp } from './support/test-app';

jest.setTimeout(60_000);

const suite = 'the operator console in headless Chromium';

describeWithChromium(suite)(suite, () => {
  let app: TestApp;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];
  /** A property of the page's focused element, read in the browser (this file is compiled without the DOM types). */
  const focused = (property: 'id' | 'textContent') =>
    page.evaluate((name) => (globalThis as unknown as { document: { activeElement: Record<string, string | null> | null } }).document.activeElement?.[name], property);

  beforeAll(async () => {
    // No workers: a failed delivery retried from the console stays pending where the test can see it.
    app = await startTestApp({ WORKERS_ENABLED: 'false' });
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('pageerror', (error) => problems.push(error.message));
  });
  afterAll(async () => {
    await browser?.close();
    await app.close();
  });

  /**
   * Filters the audit log by target and waits for the filtered rows: every console write reloads the
   * unfiltered log, so a row seen right after clicking may still be the old list's.
   */
  const showAudit = async (target: string) => {
    await page.getByRole('tab', { name: 'Audit log' }).click();
    await page.getByLabel('Target').fill(target);
    const filtered = page.waitForResponse((res) => res.url().includes('/admin/audit?') && new URL(res.url()).searchParams.get('target') === target);
    await page.getByRole('button', { name: 'Show' }).click();
    await filtered;
    await page.waitForFunction((wanted) => {
      const cells = Array.from((globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> } }).document.querySelectorAll("#audit tr td:nth-child(4)"));
      return cells.length > 0 && cells.every((cell) => cell.textContent === wanted);
    }, target);
  };

  /** A <dl> of the page as { term: definition }. */
  const definitions = async (selector: string): Promise<Record<string, string>> => {
    const terms = await page.locator(`${selector} dt`).allTextContents();
    const values = await page.locator(`${selector} dd`).allTextContents();
    return Object.fromEntries(terms.map((term, i) => [term, values[i]]));
  };

  it('is served with a strict Content-Security-Policy and no inline script', async () => {
    const res = await app.request('GET', '/admin/console');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(res.headers.get('content-security-policy')).not.toContain('unsafe-inline');
    expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(res.text).not.toMatch(/\son[a-z]+=/);
  });

  it('serves its script modules as JavaScript and nothing else from the folder', async () => {
    const core = await app.request('GET', '/admin/console/console-core.js');
    expect(core.status).toBe(200);
    expect(core.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(core.text).toContain('export async function api');
    expect((await app.request('GET', '/admin/console/inbox.js')).status).toBe(404);
    expect((await app.request('GET', '/admin/console/console.html')).status).toBe(404);
  });

  it('refuses a wrong token with the API message, then logs in and shows the overview', async () => {
    await page.goto(`${app.baseUrl}/admin/console`);
    // Reached by label, as a screen reader would.
    await page.getByLabel('Admin token').fill('wrong-token-wrong-token');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.locator('#message', { hasText: 'Invalid admin token' }).waitFor();
    expect(await page.getByLabel('Admin token').isVisible()).toBe(true);
    await page.getByLabel('Admin token').fill(ADMIN_TOKEN);
    await page.keyboard.press('Enter');
    await page.locator('#overview dt', { hasText: 'Accounts' }).waitFor();
    expect(await page.locator('#chart rect').count()).toBe(12);
  });

  it('switches screens with the arrow keys, only the chosen panel showing', async () => {
    await page.getByRole('tab', { name: 'Overview' }).click();
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('tab', { name: 'Accounts' }).getAttribute('aria-selected')).toBe('true');
    expect(await focused('id')).toBe('accounts-tab');
    expect(await page.locator('#accounts-panel').isVisible()).toBe(true);
    expect(await page.locator('#overview-panel').isVisible()).toBe(false);
    await page.keyboard.press('End');
    expect(await page.getByRole('tab', { name: 'Audit log' }).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowRight');
    expect(await page.getByRole('tab', { name: 'Overview' }).getAttribute('aria-selected')).toBe('true');
    expect(await page.locator('[role="tab"][tabindex="0"]').count()).toBe(1);
  });

  it('finds an account, issues and revokes a token, deactivates it, and shows each in the audit log', async () => {
    const name = `Console ${randomUUID().slice(0, 8)}`;
    const account = await createAccount(app, 'partner', name);
    await page.getByRole('tab', { name: 'Accounts' }).click();
    await page.getByLabel('Name contains').fill(name);
    await page.getByRole('button', { name: 'Find' }).click();
    const accountRow = page.locator('#accounts tr', { hasText: name });
    await accountRow.waitFor();

    await accountRow.getByRole('button', { name: 'Tokens' }).click();
    await page.locator('#account-tokens tr', { hasText: account.tokenId }).waitFor();
    await page.getByRole('button', { name: 'Issue a token' }).click();
    const issued = await page.locator('#account-issued-token', { hasText: 'shown once' }).textContent();
    const token = /([0-9a-f]{64})$/.exec(issued ?? '')?.[1];
    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect((await app.request('GET', `/api/v3/case-messages/feed?accessToken=${token}`)).status).toBe(200);

    await page.locator('#account-tokens tr', { hasText: account.tokenId }).getByRole('button', { name: 'Revoke' }).click();
    await page.locator('#message', { hasText: `Token ${account.tokenId} revoked` }).waitFor();
    expect((await app.request('GET', `/api/v3/case-messages/feed?accessToken=${account.token}`)).status).toBe(401);

    await accountRow.getByRole('button', { name: 'Deactivate' }).click();
    await page.locator('#accounts tr', { hasText: name }).getByRole('button', { name: 'Reactivate' }).waitFor();
    expect(await app.request('GET', `/api/v3/case-messages/feed?accessToken=${token}`)).toMatchObject({ status: 401, body: { error: { message: 'Account deactivated' } } });

    await showAudit(`account:${account.id}`);
    expect(await page.locator('#audit tr td:nth-child(3)').allTextContents()).toEqual(['accounts:deactivate', 'accounts:token', 'accounts:token', 'accounts:create']);
  });

  it("shows an account's webhooks, sets the default one and adds and deletes a subscription", async () => {
    const name = `Hooks ${randomUUID().slice(0, 8)}`;
    const account = await createAccount(app, 'provider', name);
    await page.getByRole('tab', { name: 'Accounts' }).click();
    await page.getByLabel('Name contains').fill(name);
    await page.getByRole('button', { name: 'Find' }).click();
    await page.locator('#accounts tr', { hasText: name }).getByRole('button', { name: 'Webhooks' }).click();
    await page.locator('#webhooks-title', { hasText: `Webhooks of ${name}` }).waitFor();
    expect(await page.locator('#webhooks tr').count()).toBe(0);

    // The API's 400 for a secret too short to sign with, word for word.
    const refused = await app.admin('PUT', `/admin/accounts/${account.id}/webhook`, { url: 'http://127.0.0.1:9/hooks', secret: 'short' });
    expect(refused.status).toBe(400);
    await page.getByLabel('Default webhook URL').fill('http://127.0.0.1:9/hooks');
    await page.getByLabel('Default webhook secret').fill('short');
    await page.getByRole('button', { name: 'Set default webhook' }).click();
    await page.locator('#message', { hasText: refused.body.error.message }).waitFor();
    expect(await page.locator('#message').textContent()).toBe(refused.body.error.message);

    await page.getByLabel('Default webhook secret').fill('a-secret-long-enough-to-sign');
    await page.getByRole('button', { name: 'Set default webhook' }).click();
    await page.locator('#message', { hasText: `Default webhook of account ${account.id} set to http://127.0.0.1:9/hooks` }).waitFor();
    expect(await page.locator('#webhooks tr td:nth-child(5)').allTextContents()).toEqual(['yes']);
    expect((await app.admin('GET', `/admin/accounts/${account.id}`)).body.webhookUrl).toBe('http://127.0.0.1:9/hooks');

    await page.getByLabel('message.created').uncheck();
    await page.getByLabel('message.confirmed').check();
    await page.getByLabel('Subscription URL').fill('http://127.0.0.1:9/confirmed');
    await page.getByLabel('Subscription secret').fill('another-secret-long-enough');
    await page.getByLabel('Method').selectOption('PUT');
    await page.getByLabel('Headers').fill('X-Api-Key: backoffice-key');
    await page.getByRole('button', { name: 'Add subscription' }).click();
    await page.locator('#webhooks tr', { hasText: 'http://127.0.0.1:9/confirmed' }).waitFor();
    const listed = (await app.admin('GET', `/admin/accounts/${account.id}/webhooks`)).body;
    expect(listed).toHaveLength(2);
    const added = listed.find((w: { isDefault: boolean }) => !w.isDefault);
    expect(added).toMatchObject({ events: ['message.confirmed'], transport: 'http', method: 'PUT', headers: { 'X-Api-Key': 'backoffice-key' }, url: 'http://127.0.0.1:9/confirmed' });

    await page.locator('#webhooks tr', { hasText: 'http://127.0.0.1:9/confirmed' }).getByRole('button', { name: 'Delete' }).click();
    await page.locator('#message', { hasText: `Webhook ${added.id} deleted` }).waitFor();
    expect(await page.locator('#webhooks tr').count()).toBe(1);
    expect((await app.admin('GET', `/admin/webhooks/${added.id}`)).status).toBe(404);
  });

  it("finds a case by account, shows the API's 400 for a bad target and forwards it to another provider", async () => {
    const partner = await createAccount(app, 'partner');
    const provider = await createAccount(app, 'provider');
    const other = await createAccount(app, 'provider');
    const kase = await createCase(app, partner, provider);
    await page.getByRole('tab', { name: 'Cases' }).click();
    await page.getByLabel('Partner or provider account id').fill(String(partner.id));
    await page.getByRole('button', { name: 'Find cases' }).click();
    await page.locator('#cases tr', { hasText: kase.guid }).getByRole('button', { name: 'Open', exact: true }).click();
    await page.locator('#case-title', { hasText: `Case ${kase.guid}` }).waitFor();

    const forward = async (accountId: number) => {
      await page.getByLabel('Forward to provider account id').fill(String(accountId));
      await page.getByRole('button', { name: 'Forward' }).click();
    };
    await forward(partner.id);
    await page.locator('#message', { hasText: `providerAccountId: account ${partner.id} is not a provider account` }).waitFor();
    await forward(provider.id);
    await page.locator('#message', { hasText: `providerAccountId: account ${provider.id} is already the case's provider` }).waitFor();
    expect((await app.admin('GET', `/admin/cases/${kase.guid}`)).body.providerAccountId).toBe(provider.id);

    await forward(other.id);
    await page.locator('#message', { hasText: `Case ${kase.guid} forwarded to account ${other.id}` }).waitFor();
    expect((await app.admin('GET', `/admin/cases/${kase.guid}`)).body.providerAccountId).toBe(other.id);
    expect((await definitions('#case-details'))['Provider account']).toBe(String(other.id));
    expect(await page.locator('#cases tr', { hasText: kase.guid }).locator('td:nth-child(4)').textContent()).toBe(String(other.id));
  });

  it('opens a case by its guid and shows the API message for an unknown one', async () => {
    const kase = await createCase(app, await createAccount(app, 'partner'), await createAccount(app, 'provider'));
    await page.getByRole('tab', { name: 'Cases' }).click();
    await page.getByLabel('Case guid').fill(randomUUID());
    await page.getByRole('button', { name: 'Open case' }).click();
    await page.locator('#message', { hasText: 'Case not found' }).waitFor();
    await page.getByLabel('Case guid').fill(kase.guid.toUpperCase());
    await page.getByRole('button', { name: 'Open case' }).click();
    await page.locator('#case-title', { hasText: `Case ${kase.guid}` }).waitFor();
    expect(await definitions('#case-details')).toMatchObject({ Id: String(kase.id), Guid: kase.guid });
  });

  it('pages through cases with the Link header of the API', async () => {
    const partner = await createAccount(app, 'partner');
    const provider = await createAccount(app, 'provider');
    for (let i = 0; i < 51; i++) await createCase(app, partner, provider);
    await page.getByRole('tab', { name: 'Cases' }).click();
    await page.getByLabel('Partner or provider account id').fill(String(partner.id));
    await page.getByRole('button', { name: 'Find cases' }).click();
    await page.getByRole('button', { name: 'More cases' }).click();
    await page.locator('#cases tr:nth-child(51)').waitFor();
    expect(await page.locator('#cases tr').count()).toBe(51);
    expect(await page.getByRole('button', { name: 'More cases' }).isVisible()).toBe(false);
    expect(new Set(await page.locator('#cases tr td:nth-child(3)').allTextContents())).toEqual(new Set([String(partner.id)]));
  });

  it('finds a user, revokes a token, deactivates, and erases only after the confirmation, showing the report', async () => {
    const user = await createUser(app);
    await page.getByRole('tab', { name: 'Users' }).click();
    await page.getByLabel('E-mail address or name').fill(user.email);
    await page.getByRole('button', { name: 'Find users' }).click();
    const userRow = page.locator('#users tr', { hasText: user.email });
    await userRow.getByRole('button', { name: 'Tokens' }).click();
    await page.locator('#user-tokens tr', { hasText: user.tokenId }).getByRole('button', { name: 'Revoke' }).click();
    await page.locator('#message', { hasText: `Token ${user.tokenId} revoked` }).waitFor();
    const inbox = (secret: string | undefined) => app.request('GET', `/v2/user/${user.id}/messages`, { headers: { authorization: `BimPlus ${secret}` } });
    expect((await inbox(user.token)).status).toBe(401);
    await page.getByRole('button', { name: 'Issue a token' }).click();
    const issued = await page.locator('#user-issued-token', { hasText: 'shown once' }).textContent();
    const token = /([0-9a-f]{64})$/.exec(issued ?? '')?.[1];
    expect((await inbox(token)).status).toBe(200);

    await userRow.getByRole('button', { name: 'Deactivate' }).click();
    await page.locator('#users tr', { hasText: user.email }).getByRole('button', { name: 'Reactivate' }).waitFor();
    expect((await app.admin('GET', `/admin/users/${user.id}`)).body.status).toBe('deactivated');
    expect(await inbox(token)).toMatchObject({ status: 401, body: { error: { message: 'User deactivated' } } });

    await userRow.getByRole('button', { name: 'Erase' }).click();
    const confirm = page.getByRole('button', { name: `Confirm erasure of ${user.id}` });
    await confirm.waitFor();
    expect(await focused('textContent')).toBe(`Confirm erasure of ${user.id}`);
    expect((await app.admin('GET', `/admin/users/${user.id}`)).status).toBe(200);
    await page.keyboard.press('Enter');
    await page.locator('#erasure-title', { hasText: `Erasure report for ${user.id}` }).waitFor();
    await page.locator('#message', { hasText: `User ${user.id} erased` }).waitFor();
    expect(await definitions('#erasure-report')).toMatchObject({ Erased: 'yes', Tokens: '2', 'Group memberships': '0', 'E-mail deliveries': '0' });
    expect(await page.locator('#users tr', { hasText: user.email }).count()).toBe(0);
    expect((await app.admin('GET', `/admin/users/${user.id}`)).status).toBe(404);
  });

  it('cancels an erasure: the user stays', async () => {
    const user = await createUser(app);
    await page.getByRole('tab', { name: 'Users' }).click();
    await page.getByLabel('E-mail address or name').fill(user.email);
    await page.getByRole('button', { name: 'Find users' }).click();
    await page.locator('#users tr', { hasText: user.email }).getByRole('button', { name: 'Erase' }).click();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: `Confirm erasure of ${user.id}` }).waitFor({ state: 'detached' });
    expect((await app.admin('GET', `/admin/users/${user.id}`)).status).toBe(200);
  });

  it('renames a group and deletes it after the confirmation', async () => {
    const name = `Group ${randomUUID().slice(0, 8)}`;
    const group = await createGroup(app, [await createUser(app)], name);
    await page.getByRole('tab', { name: 'Groups' }).click();
    await page.locator('#groups tr', { hasText: name }).getByRole('button', { name: 'Open', exact: true }).click();
    await page.locator('#group-title', { hasText: `Group ${name}` }).waitFor();
    expect(await page.getByLabel('Group name').inputValue()).toBe(name);

    await page.getByLabel('Group name').fill(`${name} renamed`);
    await page.getByLabel('Description').fill('Second-level support');
    await page.getByRole('button', { name: 'Save group' }).click();
    await page.locator('#message', { hasText: `Group ${group.id} saved` }).waitFor();
    expect((await app.admin('GET', `/admin/groups/${group.id}`)).body).toMatchObject({ name: `${name} renamed`, description: 'Second-level support', memberIds: group.memberIds });
    await page.locator('#groups tr', { hasText: `${name} renamed` }).waitFor();

    await page.getByRole('button', { name: 'Delete group' }).click();
    expect((await app.admin('GET', `/admin/groups/${group.id}`)).status).toBe(200);
    await page.getByRole('button', { name: `Confirm deletion of ${name} renamed` }).click();
    await page.locator('#message', { hasText: `Group ${group.id} deleted` }).waitFor();
    expect((await app.admin('GET', `/admin/groups/${group.id}`)).status).toBe(404);
    expect(await page.locator('#groups tr', { hasText: name }).count()).toBe(0);
  });

  it('retries a failed delivery', async () => {
    const user = await createUser(app);
    const [failed] = await app.running.app
      .get(DataSource)
      .query(`INSERT INTO deliveries (kind, status, message_id, user_id, address, attempts, last_error) VALUES ('email', 'failed', $1, $2, $3, 8, 'mailbox full') RETURNING id::text AS id`, [
        randomUUID(),
        user.id,
        user.email,
      ]);
    await page.getByRole('tab', { name: 'Deliveries' }).click();
    await page.getByRole('button', { name: 'Reload' }).click();
    const deliveryRow = page.locator('#deliveries tr', { hasText: 'mailbox full' });
    await deliveryRow.getByRole('button', { name: 'Retry' }).click();
    await page.locator('#message', { hasText: `Delivery ${failed.id} queued again` }).waitFor();
    expect((await app.admin('GET', `/admin/deliveries/${failed.id}`)).body.status).toBe('pending');
    await showAudit(`delivery:${failed.id}`);
    expect(await page.locator('#audit tr td:nth-child(3)').allTextContents()).toEqual(['deliveries:retry']);
  });

  it("opens a failed delivery's attempt log", async () => {
    const user = await createUser(app);
    const db = app.running.app.get(DataSource);
    const [failed] = await db.query(
      `INSERT INTO deliveries (kind, status, message_id, user_id, address, attempts, last_error) VALUES ('email', 'failed', $1, $2, $3, 2, 'mailbox unavailable') RETURNING id::text AS id`,
      [randomUUID(), user.id, user.email],
    );
    await db.query(
      `INSERT INTO delivery_attempts (delivery_id, attempt, ok, status_code, latency_ms, error) VALUES ($1, 1, false, 451, 120, 'try again later'), ($1, 2, false, 550, 80, 'mailbox unavailable')`,
      [failed.id],
    );
    await page.getByRole('tab', { name: 'Deliveries' }).click();
    await page.getByLabel('Delivery status').selectOption('failed');
    await page.getByRole('button', { name: 'Reload' }).click();
    await page.locator('#deliveries tr', { hasText: 'mailbox unavailable' }).getByRole('button', { name: 'Attempts' }).click();
    await page.locator('#delivery-title', { hasText: `Delivery ${failed.id}` }).waitFor();
    const cells = async (n: number) => page.locator(`#attempts tr td:nth-child(${n})`).allTextContents();
    expect(await cells(1)).toEqual(['1', '2']);
    expect(await cells(2)).toEqual(['no', 'no']);
    expect(await cells(3)).toEqual(['451', '550']);
    expect(await cells(4)).toEqual(['120', '80']);
    expect(await cells(5)).toEqual(['try again later', 'mailbox unavailable']);
    expect(await page.locator('#attempts-empty').isVisible()).toBe(false);
    expect(await definitions('#delivery-details')).toMatchObject({ Status: 'failed', Recipient: user.email, Attempts: '2', 'Last error': 'mailbox unavailable' });

    await page.getByRole('button', { name: 'Retry this delivery' }).click();
    await page.locator('#message', { hasText: `Delivery ${failed.id} queued again` }).waitFor();
    await page.locator('#delivery-details dd', { hasText: 'pending' }).waitFor();
    expect(await page.locator('#attempts tr').count()).toBe(2);
    expect((await app.admin('GET', `/admin/deliveries/${failed.id}`)).body.status).toBe('pending');
  });

  it('pages through deliveries of one status, newest first', async () => {
    await app.running.app
      .get(DataSource)
      .query(`INSERT INTO deliveries (kind, status, message_id, address) SELECT 'email', 'cancelled', gen_random_uuid()::text, 'paging@example.com' FROM generate_series(1, 51)`);
    await page.getByRole('tab', { name: 'Deliveries' }).click();
    await page.getByLabel('Delivery status').selectOption('cancelled');
    await page.getByRole('button', { name: 'Reload' }).click();
    await page.getByRole('button', { name: 'More deliveries' }).click();
    await page.locator('#deliveries tr:nth-child(51)').waitFor();
    const ids = (await page.locator('#deliveries tr td:nth-child(1)').allTextContents()).map(Number);
    expect(ids).toHaveLength(51);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(await page.getByRole('button', { name: 'More deliveries' }).isVisible()).toBe(false);
  });

  it('raised no script error in the page', () => {
    expect(problems).toEqual([]);
  });
});
