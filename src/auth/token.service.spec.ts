import { EnvironmentVariables } from '../config/env.validation';
import { PreparedStatements } from '../database/prepared-statements';
import { ApiTokensRepository } from './api-tokens.repository';
import { TokenService } from './token.service';

/** A database with one account token; the token lookup answers after `delay` ms, so lookups can overlap. */
function fakeDatabase(delay = 5) {
  const lookups: unknown[][] = [];
  let revoked = false;
  const query = jest.fn(async (sql: string, params: unknown[] = []) => {
    if (sql.includes('UPDATE api_tokens SET revoked_at')) {
      revoked = true;
      return [{ found: true }];
    }
    if (sql.includes('UPDATE api_tokens SET last_used_at')) return [];
    lookups.push(params);
    const answer = revoked ? [] : [{ token_id: 't1', account_id: 7, account_type: 'partner', user_id: null, email: null, role: null }];
    await new Promise((resolve) => setTimeout(resolve, delay));
    return answer;
  });
  return { repository: new ApiTokensRepository({ query } as unknown as PreparedStatements), query, lookups };
}

const env = { AUTH_CACHE_TTL_MS: 5_000 } as EnvironmentVariables;

describe('TokenService.resolve', () => {
  it('answers concurrent requests with one token from a single lookup, then from the cache', async () => {
    const db = fakeDatabase();
    const tokens = new TokenService(db.repository, env);
    const principals = await Promise.all(Array.from({ length: 64 }, () => tokens.resolve('raw-token')));
    expect(new Set(principals.map((p) => p?.tokenId))).toEqual(new Set(['t1']));
    expect(db.lookups).toHaveLength(1);
    await tokens.resolve('raw-token');
    expect(db.lookups).toHaveLength(1);
  });

  it('looks different tokens up separately', async () => {
    const db = fakeDatabase();
    const tokens = new TokenService(db.repository, env);
    await Promise.all([tokens.resolve('a'), tokens.resolve('b'), tokens.resolve('a')]);
    expect(db.lookups).toHaveLength(2);
  });

  it('does not cache what a lookup read before a revocation it overlapped', async () => {
    const db = fakeDatabase(20);
    const tokens = new TokenService(db.repository, env);
    const pending = tokens.resolve('raw-token');
    await tokens.revoke('t1');
    await pending;
    expect(await tokens.resolve('raw-token')).toBeUndefined();
    expect(db.lookups).toHaveLength(2);
  });

  it('lets the next request retry after a failed lookup', async () => {
    const db = fakeDatabase();
    const tokens = new TokenService(db.repository, env);
    db.query.mockRejectedValueOnce(new Error('connection reset'));
    await expect(Promise.all([tokens.resolve('raw-token'), tokens.resolve('raw-token')])).rejects.toThrow('connection reset');
    expect((await tokens.resolve('raw-token'))?.tokenId).toBe('t1');
  });
});
