import { randomUUID } from 'node:crypto';
import { createGroup, createUser, UserFixture } from './factories';
import { HttpResult, startTestApp, TestApp } from './support/test-app';

const CORRELATION = 'de96f4ae-79fd-4d83-99e9-07cec7a80906';

describe('user messages v2: filter and paging', () => {
  let app: TestApp;
  let alice: UserFixture;
  let bob: UserFixture;
  let carol: UserFixture;
  let service: UserFixture;
  let group: { id: string };
  // m1..m7 as alice sees them (m6 is not hers), oldest first.
  const m: Record<string, any> = {};

  const as = (user: UserFixture, method: string, path: string, body?: unknown): Promise<HttpResult> =>
    app.request(method, path, { body, headers: { authorization: `BimPlus ${user.token}` } });
  const send = async (from: UserFixture, body: Record<string, unknown>) => {
    const res = await as(from, 'POST', '/v2/messages', { topic: 'T', severity: 'Info', returnCode: 'OK', ...body });
    if (res.status !== 201) throw new Error(`send failed: ${res.status} ${res.text}`);
    return res.body;
  };
  /** The ids alice gets for a raw (already URL-encoded) filter, newest first. */
  const filtered = async (encodedFilter: string): Promise<string[]> => {
    const res = await as(alice, 'GET', `/v2/messages?filter=${encodedFilter}`);
    if (res.status !== 200) throw new Error(`filter ${encodedFilter} failed: ${res.status} ${res.text}`);
    return res.body.map((message: any) => message.id);
  };
  const ids = (...names: string[]) => names.map((name) => m[name].id);

  beforeAll(async () => {
    app = await startTestApp();
    [alice, bob, carol, service] = await Promise.all([createUser(app), createUser(app), createUser(app), createUser(app, 'service')]);
    group = await createGroup(app, [alice, carol]);
    m.m1 = await send(bob, { receiver: { id: alice.id }, source: 'IssueService', topic: 'ISSUE_DELETED', returnCode: 'ISSUE_DELETED', unreadEmail: false });
    m.m2 = await send(bob, { receiver: { id: alice.id }, source: 'IssueService', topic: 'ISSUE_UPDATED', returnCode: 'ISSUE_UPDATED', unreadEmail: false, unreadBrowserNotification: false, correlationId: CORRELATION });
    m.m3 = await send(carol, { receiver: { id: alice.id, email: 'customer@bimplus.net' }, source: 'IssueService', topic: 'ISSUE_DELETED', returnCode: 'ISSUE_DELETED', severity: 'Warn', unreadBrowserNotification: false });
    m.m4 = await send(alice, { receiver: { id: bob.id }, source: 'ImportService', severity: 'Error' });
    m.m5 = await send(service, { sender: null, receiver: { id: alice.id }, source: 'other', severity: 'error', unreadEmail: false, unreadBrowserNotification: false });
    m.m6 = await send(bob, { receiver: { id: carol.id }, source: 'IssueService' });
    m.m7 = await send(bob, { receiver: { id: group.id }, source: 'GroupService', severity: 'warning' });
  });
  afterAll(async () => {
    await app.close();
  });

  it('shows everything visible (received and sent) without a filter, newest first', async () => {
    const all = ids('m7', 'm5', 'm4', 'm3', 'm2', 'm1');
    expect(await filtered('')).toEqual(all);
    const res = await as(alice, 'GET', '/v2/messages');
    expect(res.body.map((x: any) => x.id)).toEqual(all);
    expect(res.headers.get('link')).toBeNull();
  });

  it('answers the seed example (%26 separates clauses)', async () => {
    const res = await as(alice, 'GET', '/v2/messages?filter=unread=true%26receiver.email=customer@bimplus.net%26source=IssueService');
    expect(res.status).toBe(200);
    expect(res.body).toEqual([{ ...m.m3, unreadEmail: true, unreadBrowserNotification: false }]);
    expect(res.body[0].receiver).toEqual({ id: alice.id, email: 'customer@bimplus.net' });
  });

  it.each([
    ['id', () => `id=${m.m2.id}`, ['m2']],
    ['id !=', () => `id!=${m.m2.id.toUpperCase()}`, ['m7', 'm5', 'm4', 'm3', 'm1']],
    ['sender.id', () => `sender.id=${bob.id}`, ['m7', 'm2', 'm1']],
    ['sender.id null', () => 'SENDER.ID=null', ['m5']],
    ['sender.id not null', () => 'sender.id!=null', ['m7', 'm4', 'm3', 'm2', 'm1']],
    ['sender.email (case-insensitive)', () => `sender.email=${encodeURIComponent(bob.email.toUpperCase())}`, ['m7', 'm2', 'm1']],
    ['sender.email !=', () => `sender.email!=${encodeURIComponent(bob.email)}`, ['m5', 'm4', 'm3']],
    ['receiver.id', () => `receiver.id=${alice.id}`, ['m5', 'm3', 'm2', 'm1']],
    ['receiver.id group', () => `Receiver.Id=${group.id}`, ['m7']],
    ['receiver.email null', () => 'receiver.email=null', ['m7']],
    ['receiver.email', () => 'receiver.email=CUSTOMER@bimplus.net', ['m3']],
    ['source', () => 'source=IssueService', ['m3', 'm2', 'm1']],
    ['source is case-sensitive', () => 'source=issueservice', []],
    ['source < (byte order)', () => 'source<J', ['m7', 'm4', 'm3', 'm2', 'm1']],
    ['source > Z (lower case sorts after upper case)', () => 'source>Z', ['m5']],
    ['source >=', () => 'source>=IssueService', ['m5', 'm3', 'm2', 'm1']],
    ['source <=', () => 'source<=GroupService', ['m7']],
    ['topic', () => 'topic=ISSUE_DELETED', ['m3', 'm1']],
    ['topic !=', () => 'topic!=ISSUE_DELETED', ['m7', 'm5', 'm4', 'm2']],
    ['severity (alias)', () => 'severity=warn', ['m7', 'm3']],
    ['severity >= Warning', () => 'severity>=WARNING', ['m7', 'm5', 'm4', 'm3']],
    ['severity < Warning', () => 'severity<Warning', ['m2', 'm1']],
    ['severity > Warning', () => 'severity>Warning', ['m5', 'm4']],
    ['severity <= Info', () => 'severity<=Info', ['m2', 'm1']],
    ['severity !=', () => 'severity!=Info', ['m7', 'm5', 'm4', 'm3']],
    ['returnCode', () => 'returncode=ISSUE_UPDATED', ['m2']],
    ['returnCode >', () => 'RETURNCODE>ISSUE_DELETED', ['m7', 'm5', 'm4', 'm2']],
    ['correlationId', () => `correlationId=${CORRELATION}`, ['m2']],
    ['correlationId null', () => 'correlationId=null', ['m7', 'm5', 'm4', 'm3', 'm1']],
    ['correlationId != keeps missing ones', () => `correlationId!=${CORRELATION}`, ['m7', 'm5', 'm4', 'm3', 'm1']],
    ['unreadEmail (own flags, sender sees the recipient\'s)', () => 'unreadEmail=true', ['m7', 'm4', 'm3']],
    ['unreadEmail false', () => 'unreademail=false', ['m5', 'm2', 'm1']],
    ['unreadBrowserNotification', () => 'unreadBrowserNotification=false', ['m5', 'm3', 'm2']],
    ['unreadBrowserNotification !=', () => 'unreadBrowserNotification!=false', ['m7', 'm4', 'm1']],
    ['unread (either flag)', () => 'unread=true', ['m7', 'm4', 'm3', 'm1']],
    ['unread false', () => 'unread=false', ['m5', 'm2']],
    ['combined clauses', () => 'source=IssueService%26unread=true%26severity=Info', ['m1']],
    ['combined, none match', () => 'source=IssueService%26severity=Error', []],
    ['empty clauses are skipped', () => '%26%26topic=ISSUE_UPDATED%26', ['m2']],
  ])('filters by %s', async (_name, filter, expected) => {
    expect(await filtered(filter())).toEqual(ids(...expected));
  });

  it('compares stored e-mails case-insensitively, whatever case they were stored in', async () => {
    const senderEmail = `Sender.Mixed.${randomUUID().slice(0, 8)}@Example.COM`;
    const [writer, other, reader] = await Promise.all([createUser(app, 'user', undefined, senderEmail), createUser(app), createUser(app)]);
    const toMixed = await send(other, { receiver: { id: reader.id, email: 'Mixed.Case@Example.COM' }, source: 'mixed' });
    const fromMixed = await send(service, { sender: { id: writer.id }, receiver: { id: reader.id }, source: 'mixed' });
    const lowerSender = senderEmail.toLowerCase();
    const search = async (filter: string) => {
      const res = await as(reader, 'GET', `/v2/messages?filter=${filter}`);
      expect(res.status).toBe(200);
      return res.body.map((x: any) => x.id);
    };
    expect(await search('receiver.email=mixed.case@example.com')).toEqual([toMixed.id]);
    expect(await search('receiver.email=MIXED.CASE@EXAMPLE.COM')).toEqual([toMixed.id]);
    expect(await search(`sender.email=${lowerSender}`)).toEqual([fromMixed.id]);
    expect(await search(`sender.email=${senderEmail.toUpperCase()}`)).toEqual([fromMixed.id]);
    expect(await search(`source=mixed%26sender.email!=${lowerSender}`)).toEqual([toMixed.id]);
    expect(await search('source=mixed%26receiver.email!=mixed.case@example.com')).toEqual([fromMixed.id]);
  });

  it("gives a sender unread=false once the recipient has read both channels, and unread=true before", async () => {
    const [writer, reader] = await Promise.all([createUser(app), createUser(app)]);
    const read = await send(writer, { receiver: { id: reader.id }, source: 'read-later' });
    const unread = await send(writer, { receiver: { id: reader.id }, source: 'read-later' });
    const search = async (filter: string) => {
      const res = await as(writer, 'GET', `/v2/messages?filter=source=read-later%26${filter}`);
      expect(res.status).toBe(200);
      return res.body.map((x: any) => x.id);
    };
    expect(await search('unread=false')).toEqual([]);
    expect((await search('unread=true')).sort()).toEqual([unread.id, read.id].sort());
    for (const route of ['markasreademail', 'markasreadbrowser']) {
      expect((await as(reader, 'POST', `/v2/messages/${read.id}/${route}`)).status).toBe(200);
    }
    expect(await search('unread=false')).toEqual([read.id]);
    expect(await search('unread=true')).toEqual([unread.id]);
    expect(await search('unread!=true')).toEqual([read.id]);
  });

  it('gives the sender of a message to one user that user\'s two flags, each on its own', async () => {
    const [writer, reader] = await Promise.all([createUser(app), createUser(app)]);
    const emailOnly = await send(writer, { receiver: { id: reader.id }, source: 'one-flag', unreadBrowserNotification: false });
    const popupOnly = await send(writer, { receiver: { id: reader.id }, source: 'one-flag', unreadEmail: false });
    const flags = async (filter: string) => {
      const res = await as(writer, 'GET', `/v2/messages?filter=source=one-flag%26${filter}`);
      expect(res.status).toBe(200);
      return res.body.map((x: any) => ({ id: x.id, unreadEmail: x.unreadEmail, unreadBrowserNotification: x.unreadBrowserNotification }));
    };
    expect(await flags('unread=true')).toEqual([
      { id: popupOnly.id, unreadEmail: false, unreadBrowserNotification: true },
      { id: emailOnly.id, unreadEmail: true, unreadBrowserNotification: false },
    ]);
    expect((await flags('unreadEmail=true')).map((x: any) => x.id)).toEqual([emailOnly.id]);
    expect((await flags('unreadBrowserNotification=true')).map((x: any) => x.id)).toEqual([popupOnly.id]);

    expect((await as(reader, 'POST', `/v2/messages/${emailOnly.id}/markasreademail`)).status).toBe(200);
    expect(await flags('unread=true')).toEqual([{ id: popupOnly.id, unreadEmail: false, unreadBrowserNotification: true }]);
    expect(await flags('unread=false')).toEqual([{ id: emailOnly.id, unreadEmail: false, unreadBrowserNotification: false }]);
  });

  it('compares timestamps at millisecond precision', async () => {
    const all = [m.m7, m.m5, m.m4, m.m3, m.m2, m.m1];
    const at = m.m3.timestamp as string;
    expect(await filtered(`timestamp=${at}`)).toEqual(all.filter((x) => x.timestamp === at).map((x) => x.id));
    expect(await filtered(`timestamp>=${at}`)).toEqual(all.filter((x) => x.timestamp >= at).map((x) => x.id));
    expect(await filtered(`timestamp<${at}`)).toEqual(all.filter((x) => x.timestamp < at).map((x) => x.id));
    expect(await filtered(`timestamp<=${at}`)).toContain(m.m3.id);
    expect(await filtered(`timestamp>${at}`)).not.toContain(m.m3.id);
    expect(await filtered(`timestamp!=${at}`)).not.toContain(m.m3.id);
    expect(await filtered('timestamp<2000-01-01')).toEqual([]);
    expect(await filtered(`timestamp>=2000-01-01T00:00:00%2B02:00`)).toHaveLength(6);
  });

  it('never shows another user\'s messages', async () => {
    expect(await filtered(`id=${m.m6.id}`)).toEqual([]);
    expect(await filtered(`receiver.id=${carol.id}`)).toEqual([]);
    const carols = await as(carol, 'GET', `/v2/messages?filter=id=${m.m6.id}`);
    expect(carols.body.map((x: any) => x.id)).toEqual([m.m6.id]);
  });

  it('shows a message its sender also received as a group member once, with the sender\'s own flags', async () => {
    const [dora, eve] = await Promise.all([createUser(app), createUser(app)]);
    const team = await createGroup(app, [dora, eve]);
    const sent = await send(dora, { receiver: { id: team.id }, source: 'TeamService', unreadEmail: false });
    await as(eve, 'POST', `/v2/messages/${sent.id}/markasreadbrowser`);
    for (const query of ['/v2/messages', '/v2/messages?filter=source=TeamService', '/v2/messages?filter=unread=true%26source=TeamService']) {
      const res = await as(dora, 'GET', query);
      expect(res.body.map((x: any) => ({ id: x.id, unreadEmail: x.unreadEmail, unreadBrowserNotification: x.unreadBrowserNotification }))).toEqual([
        { id: sent.id, unreadEmail: false, unreadBrowserNotification: true },
      ]);
    }
  });

  it('shows a group sender the group\'s flags', async () => {
    const res = await as(bob, 'GET', `/v2/messages?filter=receiver.id=${group.id}`);
    expect(res.body).toEqual([{ ...m.m7, unreadEmail: true, unreadBrowserNotification: true }]);
    // Members disagree: any member with the popup unread keeps the group's browser flag true, whichever
    // member's row the database meets first (an update moves a row's version to the end of the table, so
    // the other member's row is touched after the reader's).
    for (const [reader, other] of [[alice, carol], [carol, alice]]) {
      expect((await as(reader, 'POST', `/v2/messages/${m.m7.id}/markasreadbrowser`)).status).toBe(200);
      expect((await as(other, 'POST', `/v2/messages/${m.m7.id}/markasreademail`)).status).toBe(200);
      expect((await as(other, 'POST', `/v2/messages/${m.m7.id}/markasunreademail`)).status).toBe(200);
      for (const query of [`receiver.id=${group.id}`, `receiver.id=${group.id}%26unreadBrowserNotification=true`, `receiver.id=${group.id}%26unread=true`]) {
        const mixed = await as(bob, 'GET', `/v2/messages?filter=${query}`);
        expect(mixed.body).toEqual([{ ...m.m7, unreadEmail: true, unreadBrowserNotification: true }]);
      }
      expect((await as(reader, 'POST', `/v2/messages/${m.m7.id}/markasunreadbrowser`)).status).toBe(200);
    }
    expect((await as(alice, 'POST', `/v2/messages/${m.m7.id}/markasreadbrowser`)).status).toBe(200);
    expect((await as(carol, 'POST', `/v2/messages/${m.m7.id}/markasreadbrowser`)).status).toBe(200);
    const after = await as(bob, 'GET', `/v2/messages?filter=receiver.id=${group.id}%26unreadBrowserNotification=false`);
    expect(after.body.map((x: any) => x.id)).toEqual([m.m7.id]);
    expect((await as(alice, 'POST', `/v2/messages/${m.m7.id}/markasunreadbrowser`)).status).toBe(200);
    expect((await as(carol, 'POST', `/v2/messages/${m.m7.id}/markasunreadbrowser`)).status).toBe(200);
  });

  it.each([
    ['foo=1', 'Invalid filter clause "foo=1": unknown property "foo"'],
    ['source~x', 'Invalid filter clause "source~x": expected an operator (=, !=, <, <=, >, >=) after "source"'],
    ['unread=maybe', 'Invalid filter clause "unread=maybe": unread must be true or false'],
    ['unread>true', 'Invalid filter clause "unread>true": only = and != apply to unread'],
    ['id=42', 'Invalid filter clause "id=42": id must be a GUID'],
    ['timestamp>soon', 'Invalid filter clause "timestamp>soon": timestamp must be an ISO 8601 date-time such as 2014-05-09T09:54:17.123Z'],
    // year 10000 once in UTC (was a 500: PostgreSQL cannot read it)
    ['timestamp>9999-12-31T23:59:59.999-23:59', 'Invalid filter clause "timestamp>9999-12-31T23:59:59.999-23:59": timestamp must be an ISO 8601 date-time such as 2014-05-09T09:54:17.123Z'],
    ['severity=Fatal', 'Invalid filter clause "severity=Fatal": severity must be one of [Info, Warning, Error]'],
    ['source=a%26bogus', 'Invalid filter clause "bogus": unknown property "bogus"'],
  ])('rejects the bad clause %s with a 400 naming it', async (filter, message) => {
    const res = await as(alice, 'GET', `/v2/messages?filter=${filter}`);
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: { message } });
  });

  it('bounds the filter and rejects hostile input', async () => {
    const long = await as(alice, 'GET', `/v2/messages?filter=source=${'x'.repeat(5000)}`);
    expect(long.status).toBe(400);
    expect(long.body.error.message).toBe('filter must be at most 4096 characters');
    const many = await as(alice, 'GET', `/v2/messages?filter=${Array.from({ length: 51 }, () => 'unread=true').join('%26')}`);
    expect(many.status).toBe(400);
    expect(many.body.error.message).toBe('filter must have at most 50 clauses');
    const nul = await as(alice, 'GET', '/v2/messages?filter=source=a%00b');
    expect(nul.status).toBe(400);
    const twice = await as(alice, 'GET', '/v2/messages?filter=unread=true&filter=unread=false');
    expect(twice.status).toBe(400);
    const injection = await as(alice, 'GET', `/v2/messages?filter=source=${encodeURIComponent("x'; DROP TABLE user_messages; --")}`);
    expect(injection.status).toBe(200);
    expect(injection.body).toEqual([]);
    expect(await filtered('source=IssueService')).toHaveLength(3);
  });

  describe('paging', () => {
    let reader: UserFixture;
    let created: string[];

    beforeAll(async () => {
      reader = await createUser(app);
      created = [];
      for (let i = 0; i < 250; i++) created.push((await send(service, { receiver: { id: reader.id }, source: 'paging', topic: `n${i}` })).id);
    });

    /** Follows Link headers from the first page; returns every page's ids. */
    const walk = async (first: string, user: UserFixture = reader): Promise<{ pages: string[][]; all: any[] }> => {
      const pages: string[][] = [];
      const all: any[] = [];
      let next: string | undefined = first;
      while (next) {
        const res = await as(user, 'GET', next);
        expect(res.status).toBe(200);
        pages.push(res.body.map((x: any) => x.id));
        all.push(...res.body);
        const link = res.headers.get('link');
        next = link ? /^<([^>]+)>; rel="next"$/.exec(link)?.[1] : undefined;
        if (link) expect(next).toBeDefined();
        if (pages.length > 10) throw new Error('paging does not end');
      }
      return { pages, all };
    };
    const newestFirst = (a: any, b: any) => (a.timestamp === b.timestamp ? (a.id < b.id ? 1 : -1) : a.timestamp < b.timestamp ? 1 : -1);

    it('walks the inbox 100 at a time, every message exactly once, in order', async () => {
      const { pages, all } = await walk('/v2/user/me/messages?limit=100');
      expect(pages.map((p) => p.length)).toEqual([100, 100, 50]);
      expect(new Set(all.map((x) => x.id)).size).toBe(250);
      expect([...all.map((x) => x.id)].sort()).toEqual([...created].sort());
      expect(all.map((x) => x.id)).toEqual([...all].sort(newestFirst).map((x) => x.id));
      // Created one after another, so newest first is the reverse of creation (ties broken by id).
      expect(all[0].id === created[249] || all[0].timestamp === all[1].timestamp).toBe(true);
    });

    it('defaults to 100 per page', async () => {
      const res = await as(reader, 'GET', '/v2/user/me/messages');
      expect(res.body).toHaveLength(100);
      expect(res.headers.get('link')).toMatch(/^<\/v2\/user\/me\/messages\?cursor=[A-Za-z0-9_-]+>; rel="next"$/);
    });

    it('pages the filter the same way, keeping the filter in the link', async () => {
      const { pages, all } = await walk('/v2/messages?filter=source=paging%26unread=true&limit=100');
      expect(pages.map((p) => p.length)).toEqual([100, 100, 50]);
      expect(new Set(all.map((x) => x.id)).size).toBe(250);
      expect(all.map((x) => x.id)).toEqual([...all].sort(newestFirst).map((x) => x.id));
    });

    it('ends with no Link header when the page is not full', async () => {
      const res = await as(reader, 'GET', '/v2/user/me/messages?limit=1000');
      expect(res.body).toHaveLength(250);
      expect(res.headers.get('link')).toBeNull();
    });

    it.each(['0', '1001', 'ten', '-5'])('rejects limit=%s', async (limit) => {
      const res = await as(reader, 'GET', `/v2/user/me/messages?limit=${limit}`);
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: { message: 'limit must be an integer between 1 and 1000' } });
      expect((await as(reader, 'GET', `/v2/messages?limit=${limit}`)).status).toBe(400);
    });

    it('rejects a tampered cursor', async () => {
      const res = await as(reader, 'GET', '/v2/user/me/messages?limit=10');
      const cursor = /cursor=([A-Za-z0-9_-]+)/.exec(res.headers.get('link') ?? '')?.[1] as string;
      expect(cursor).toBeDefined();
      // The last two are well-formed but no date PostgreSQL can read (30 February, the year 0): were 500s.
      const noDate = (timestamp: string) => Buffer.from(JSON.stringify([timestamp, randomUUID()])).toString('base64url');
      for (const bad of [`${cursor}x`, cursor.slice(1), 'abc', Buffer.from('["x","y"]').toString('base64url'), noDate('2026-02-30T00:00:00.000Z'), noDate('0000-01-01T00:00:00.000Z')]) {
        const tampered = await as(reader, 'GET', `/v2/user/me/messages?cursor=${bad}`);
        expect(tampered.status).toBe(400);
        expect(tampered.body).toEqual({ error: { message: 'cursor is invalid; use the Link header of the previous page' } });
      }
    });

    it('walks received and sent messages together (one sent to oneself shown once), and ends without a Link on an exactly full last page', async () => {
      const [chatter, peer] = await Promise.all([createUser(app), createUser(app)]);
      const expected: string[] = [];
      for (let i = 0; i < 14; i++) {
        expected.push((await send(service, { receiver: { id: chatter.id }, source: 'chat', topic: `in${i}` })).id);
        expected.push((await send(chatter, { receiver: { id: peer.id }, source: 'chat', topic: `out${i}` })).id);
      }
      for (let i = 0; i < 2; i++) expected.push((await send(chatter, { receiver: { id: chatter.id }, source: 'chat', topic: `self${i}` })).id);
      for (const first of ['/v2/messages?limit=10', '/v2/messages?filter=source=chat&limit=10']) {
        const { pages, all } = await walk(first, chatter);
        expect(pages.map((p) => p.length)).toEqual([10, 10, 10]);
        expect(all.map((x) => x.id).sort()).toEqual([...expected].sort());
        expect(all.map((x) => x.id)).toEqual([...all].sort(newestFirst).map((x) => x.id));
      }
      const { pages } = await walk('/v2/messages?filter=source=chat&limit=7', chatter);
      expect(pages.map((p) => p.length)).toEqual([7, 7, 7, 7, 2]);
      const self = await as(chatter, 'GET', `/v2/messages?filter=id=${expected[expected.length - 1]}`);
      expect(self.body).toHaveLength(1);
    });
  });
});
