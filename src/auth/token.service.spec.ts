import { EnvironmentVariables } from '../config/env.validation';
import { PreparedStatements } from '../database/prepared-statements';
import { ApiTokensRepository } from './api-tokens.repository';
import { TokenService } from './token.service';
import { TokenUseRecorder } from './token-use.recorder';

/** A database with one account token; the token lookup answers after `delay` ms, so lookups can overlap. */
function fakeDatabase(delay = 5) {
  const lookups: unknown[][] = [];
  let revoked = false;
  const query = jest.fn(async (sql: string, params: unknown[] = []) => {
    if (sql.includes('UPDATE api_tokens SET revoked_at')) {
      revoked = true;
      return [{ found: true }];
    }
    if (sql.includes('last_used_at')) return [];
    lookups.push(params);
    const answer = revoked ? [] : [{ token_id: 't1', account_id: 7, account_type: 'partner', user_id: null, email: null, role: null, deactivated: false }];
    await new Promise((resolve) => setTimeout(resolve, delay));
    return answer;
  });
  return { repository: new ApiTokensRepository({ query } as unknown as PreparedStatements), query, lookups };
}

const env = { AUTH_CACHE_TTL_MS: 5_000 } as EnvironmentVariables;

describe('TokenService.resolve', () => {
  it('answers concurrent requests with one token from a single lookup, then from the cache', async () => {
    const db = fakeDatabase();
    const tokens = new TokenService(db.repository, env, new TokenUseRecorder(db.repository));
    const principals = await Promise.all(Array.from({ length: 64 }, () => tokens.resolve('raw-token')));
    expect(new Set(principals.map((p) => p?.tokenId))).toEqual(new Set(['t1']));
    expect(db.lookups).toHaveLength(1);
    await tokens.resolve('raw-token');
    expect(db.lookups).toHaveLength(1);
  });

  it('looks different tokens up separately', async () => {
    const db = fakeDatabase();
    const tokens = new TokenService(db.repository, env, new TokenUseRecorder(db.repository));
    await Promise.all([tokens.resolve('a'), tokens.resolve('b'), tokens.resolve('a')]);
    expect(db.lookups).toHaveLength(2);
  });

  it('does not cache what a lookup read before a revocation it overlapped', async () => {
    const db = fakeDatabase(20);
    const tokens = new TokenService(db.repository, env, new TokenUseRecorder(db.repository));
    const pending = tokens.resolve('raw-token');
    await tokens.revoke('t1');
    await pending;
    expect(await tokens.resolve('raw-token')).toBeUndefined();
    expect(db.lookups).toHaveLength(2);
  });

  it('lets the next request retry after a failed lookup', async () => {
    const db = fakeDatabase();
    const tokens = new TokenService(db.repository, env, new TokenUseRecorder(db.repository));
    db.query.mockRejectedValueOnce(new Error('connection reset'));
    await expect(Promise.all([tokens.resolve('raw-token'), tokens.resolve('raw-token')])).rejects.toThrow('connection reset');
    expect((await tokens.resolve('raw-token'))?.tokenId).toBe('t1');
  });
});

describe('TokenUseRecorder', () => {
  it('writes the uses of many requests in one statement, with the latest use per token', async () => {
    const db = fakeDatabase();
    const recorder = new TokenUseRecorder(db.repository);
    recorder.record('t1');
    recorder.record('t2');
    recorder.record('t1');
    expect(db.query).not.toHaveBeenCalled();
    await recorder.flush();
    const writes = db.query.mock.calls.filter(([sql]) => String(sql).includes('last_used_at'));
    expect(writes).toHaveLength(1);
    expect(writes[0][1]?.[0]).toEqual(['t1', 't2']);
    await recorder.flush();
    expect(db.query.mock.calls.filter(([sql]) => String(sql).includes('last_used_at'))).toHaveLength(1);
  });

  it('keeps the uses for the next flush when a write fails', async () => {
    const db = fakeDatabase();
    const recorder = new TokenUseRecorder(db.repository);
    recorder.record('t1');
    db.query.mockRejectedValueOnce(new Error('connection reset'));
    await recorder.flush();
    expect(recorder.unwritten('t1')).toBeInstanceOf(Date);
    await recorder.flush();
    expect(recorder.unwritten('t1')).toBeUndefined();
  });

  it('records a use for every resolve, cached or not, without a write', async () => {
    const db = fakeDatabase();
    const recorder = new TokenUseRecorder(db.repository);
    const tokens = new TokenService(db.repository, env, recorder);
    await tokens.resolve('raw-token');
    await tokens.resolve('raw-token');
    expect(recorder.unwritten('t1')).toBeInstanceOf(Date);
    expect(db.query.mock.calls.filter(([sql]) => String(sql).includes('last_used_at'))).toHaveLength(0);
  });
});
