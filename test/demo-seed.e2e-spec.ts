import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { DemoSet, formatDemoSet, seedDemoData } from '../src/demo-seed';
import { startTestApp, TestApp } from './support/test-app';

describe('demo set', () => {
  let app: TestApp;
  let demo: DemoSet;
  beforeAll(async () => {
    app = await startTestApp();
    const created = await seedDemoData(app.running.app);
    if (!created) throw new Error('no demo set on an empty database');
    demo = created;
  });
  afterAll(async () => {
    await app.close();
  });

  const v3 = (path: string, token: string) => app.request('GET', `${path}${path.includes('?') ? '&' : '?'}accessToken=${token}`);
  const v2 = (path: string, token: string) => app.request('GET', path, { headers: { authorization: `BimPlus ${token}` } });

  it('puts messages both ways on the case, readable with the printed tokens', async () => {
    for (const token of [demo.partnerToken, demo.providerToken]) {
      const res = await v3(`/api/v3/case-messages?guid=${demo.caseGuid}`, token);
      expect(res.status).toBe(200);
      expect(res.body.map((m: { senderType: string }) => m.senderType)).toEqual(['partner', 'provider', 'partner', 'provider']);
    }
    const list = (await v3(`/api/v3/case-messages?guid=${demo.caseGuid}`, demo.partnerToken)).body;
    expect(list[1].parentMessageId).toBe(list[0].id);
    // Each side's feed holds what the other side sent, unconfirmed.
    const providerFeed = await v3('/api/v3/case-messages/feed?unconfirmed=true', demo.providerToken);
    expect(providerFeed.body.map((m: { externalId: string }) => m.externalId)).toEqual(['demo-1', 'demo-3']);
    const partnerFeed = await v3('/api/v3/case-messages/feed?unconfirmed=true', demo.partnerToken);
    expect(partnerFeed.body.map((m: { externalId: string }) => m.externalId)).toEqual(['demo-2', 'demo-4']);
  });

  it('gives the demo user unread messages from the service user, one through its group', async () => {
    const inbox = await v2('/v2/user/me/messages', demo.userToken);
    expect(inbox.status).toBe(200);
    expect(inbox.body).toHaveLength(demo.userMessages);
    expect(inbox.body.map((m: { topic: string }) => m.topic).sort()).toEqual(['IFC_JOB', 'MAINTENANCE', 'SKETCHUP_JOB']);
    for (const message of inbox.body) expect(message).toMatchObject({ sender: { id: demo.serviceUserId }, unreadBrowserNotification: true, unreadEmail: true });
    const unread = await v2('/v2/user/me/messages/unreadcount', demo.userToken);
    expect(unread.body).toEqual({ browser: demo.userMessages, email: demo.userMessages });
    const group = inbox.body.find((m: { topic: string }) => m.topic === 'MAINTENANCE');
    expect(group.receiver).toMatchObject({ id: demo.groupId });
  });

  it('prints curl lines whose calls answer with the demo data', async () => {
    const text = formatDemoSet(demo, app.baseUrl);
    const urls = [...text.matchAll(/curl '([^']+)'/g)].map((m) => m[1]);
    expect(urls).toHaveLength(2);
    for (const url of urls) {
      const res = await fetch(url);
      expect([url, res.status]).toEqual([url, 200]);
      expect(((await res.json()) as unknown[]).length).toBeGreaterThan(0);
    }
    const bimplus = /curl -H 'Authorization: BimPlus (\w+)' (\S+)/.exec(text);
    expect(bimplus?.[1]).toBe(demo.userToken);
    const inbox = await fetch(bimplus![2], { headers: { authorization: `BimPlus ${bimplus![1]}` } });
    expect(((await inbox.json()) as unknown[]).length).toBe(demo.userMessages);
  });

  it('prints each party\'s id beside its token, and all of them as one export line for the docs\' commands', async () => {
    const text = formatDemoSet(demo, app.baseUrl);
    expect(text).toContain(`partner:       account ${demo.partnerAccountId}, token ${demo.partnerToken}`);
    expect(text).toContain(`provider:      account ${demo.providerAccountId}, token ${demo.providerToken}`);
    expect(text).toContain(`user:          ${demo.userId}, token ${demo.userToken}`);
    const line = text.split('\n').find((l) => l.startsWith('export '));
    const { stdout } = await promisify(execFile)('bash', ['-c', `${line}; env`], { env: {} });
    const shell = Object.fromEntries(stdout.trim().split('\n').map((l) => l.split('=') as [string, string]));
    expect(shell).toMatchObject({
      PARTNER: String(demo.partnerAccountId),
      PROVIDER: String(demo.providerAccountId),
      CASE_GUID: demo.caseGuid,
      PARTNER_TOKEN: demo.partnerToken,
      PROVIDER_TOKEN: demo.providerToken,
      USER_ID: demo.userId,
      USER_TOKEN: demo.userToken,
      SERVICE_ID: demo.serviceUserId,
      SERVICE_TOKEN: demo.serviceToken,
      GROUP_ID: demo.groupId,
    });
    // The printed ids are the accounts the printed tokens act as.
    const list = (await v3(`/api/v3/case-messages?guid=${demo.caseGuid}`, demo.partnerToken)).body;
    const senders = Object.fromEntries(list.map((m: { senderType: string; senderAccountId: number }) => [m.senderType, m.senderAccountId]));
    expect(senders).toEqual({ partner: demo.partnerAccountId, provider: demo.providerAccountId });
  });

  it('creates nothing on a second start with the same database', async () => {
    expect(await seedDemoData(app.running.app)).toBeUndefined();
    const list = await v3(`/api/v3/case-messages?guid=${demo.caseGuid}`, demo.partnerToken);
    expect(list.body).toHaveLength(4);
    expect((await v2('/v2/user/me/messages', demo.userToken)).body).toHaveLength(demo.userMessages);
  });
});
