import { createUser, UserFixture } from './factories';
import { describeWithServer } from './support/local-server';
import { startTestApp, TestApp } from './support/test-app';

jest.setTimeout(30_000);

const withServer = Boolean(process.env.DATABASE_URL);
const REDIS_URL = 'redis://127.0.0.1:6379';
const LIMIT = 4;

/** Two instances need a database server; the shared store needs Redis. */
const describeShared = withServer ? describeWithServer('rate limit shared through Redis', 'Redis', '127.0.0.1', 6379) : describe.skip;
if (!withServer) console.warn('rate limit shared through Redis: SKIPPED, two instances need DATABASE_URL (the embedded database serves one)');

describeShared('rate limit shared through Redis', () => {
  let a: TestApp;
  let b: TestApp;
  let user: UserFixture;
  const unread = (app: TestApp, who: UserFixture) => app.request('GET', '/v2/user/me/messages/unreadcount', { headers: { authorization: `BimPlus ${who.token}` } });

  beforeAll(async () => {
    a = await startTestApp({ RATE_LIMIT_PER_MINUTE: String(LIMIT), REDIS_URL });
    b = await startTestApp({ RATE_LIMIT_PER_MINUTE: String(LIMIT), REDIS_URL, WORKERS_ENABLED: 'false' }, { shareDatabaseUrl: a.databaseUrl });
    user = await createUser(a);
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('gives a token one budget across instances: the calls after the limit are refused on either', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < LIMIT; i++) statuses.push((await unread(i % 2 === 0 ? a : b, user)).status);
    expect(statuses).toEqual([200, 200, 200, 200]);
    const onA = await unread(a, user);
    const onB = await unread(b, user);
    expect([onA.status, onB.status]).toEqual([429, 429]);
    expect(Number(onB.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(onB.body).toEqual({ error: { message: 'Too many requests; retry after the time in Retry-After' } });
  });

  it('keeps another token its own budget', async () => {
    const other = await createUser(a);
    expect((await unread(b, other)).status).toBe(200);
  });
});

describe('rate limit with its Redis unreachable', () => {
  it('serves requests and counts in memory meanwhile, with a warning in the log', async () => {
    const app = await startTestApp({ RATE_LIMIT_PER_MINUTE: '2', REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const user = await createUser(app);
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await app.request('GET', '/v2/user/me/messages/unreadcount', { headers: { authorization: `BimPlus ${user.token}` } })).status);
      expect(statuses).toEqual([200, 200, 429]);
      expect(app.logs.some((line) => line.includes('counting in memory'))).toBe(true);
    } finally {
      await app.close();
    }
  });
});
