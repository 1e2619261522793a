import { DataSource } from 'typeorm';
import { EnvironmentVariables } from '../config/env.validation';
import { PreparedStatements } from './prepared-statements';

/** A DataSource whose pool and query() record what they were asked. */
function fakeDataSource() {
  const poolCalls: { name?: string; text: string; values: unknown[] }[] = [];
  const plainCalls: { text: string; values: unknown[] }[] = [];
  const dataSource = {
    driver: { master: { query: async (config: { name?: string; text: string; values: unknown[] }) => (poolCalls.push(config), { rows: [{ via: 'pool' }] }) } },
    query: async (text: string, values: unknown[]) => (plainCalls.push({ text, values }), [{ via: 'typeorm' }]),
  } as unknown as DataSource;
  return { dataSource, poolCalls, plainCalls };
}

const env = (overrides: Partial<EnvironmentVariables>) => Object.assign(new EnvironmentVariables(), overrides);

describe('PreparedStatements', () => {
  it('runs a statement by name on the pool, one name per distinct text', async () => {
    const { dataSource, poolCalls, plainCalls } = fakeDataSource();
    const statements = new PreparedStatements(dataSource, env({ DATABASE_URL: 'postgres://db/app' }));

    expect(await statements.query('SELECT 1 WHERE $1', [true])).toEqual([{ via: 'pool' }]);
    await statements.query('SELECT 1 WHERE $1', [false]);
    await statements.query('SELECT 2 WHERE $1', [true]);

    expect(plainCalls).toEqual([]);
    expect(poolCalls.map((c) => c.values)).toEqual([[true], [false], [true]]);
    const [first, again, other] = poolCalls.map((c) => c.name);
    expect(first).toMatch(/^ms_[0-9a-f]{24}$/);
    expect(again).toBe(first);
    expect(other).not.toBe(first);
  });

  it('runs dynamic SQL unnamed on the pool, so every call is planned with its own values', async () => {
    const { dataSource, poolCalls, plainCalls } = fakeDataSource();
    const statements = new PreparedStatements(dataSource, env({ DATABASE_URL: 'postgres://db/app' }));
    expect(await statements.queryDynamic('SELECT 1 WHERE $1', [true])).toEqual([{ via: 'pool' }]);
    await statements.queryDynamic('SELECT 1 WHERE $1', [false]);
    expect(plainCalls).toEqual([]);
    expect(poolCalls).toEqual([
      { text: 'SELECT 1 WHERE $1', values: [true] },
      { text: 'SELECT 1 WHERE $1', values: [false] },
    ]);
  });

  it('leaves the embedded database and DB_PREPARED_STATEMENTS=false to TypeORM, unnamed', async () => {
    for (const settings of [{ DATABASE_URL: undefined }, { DATABASE_URL: 'postgres://db/app', DB_PREPARED_STATEMENTS: false }]) {
      const { dataSource, poolCalls, plainCalls } = fakeDataSource();
      const statements = new PreparedStatements(dataSource, env(settings));
      expect(await statements.query('SELECT 1', [])).toEqual([{ via: 'typeorm' }]);
      expect(await statements.queryDynamic('SELECT 2', [])).toEqual([{ via: 'typeorm' }]);
      expect([poolCalls.length, plainCalls.length]).toEqual([0, 2]);
    }
  });
});
