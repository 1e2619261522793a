import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from 'pg';
import { DataSource, DataSourceOptions, MigrationInterface, QueryRunner } from 'typeorm';
import { validateEnv } from '../src/config/env.validation';
import { buildDataSourceOptions } from '../src/database/data-source';
import { CASE_MESSAGE_COLUMNS, CASE_MESSAGE_SOURCE } from '../src/case-messages/case-messages.sql';
import { MIGRATION_LOCK_KEY, openDataSource, runMigrationsExclusively } from '../src/database/migrate';
import { databaseName, dropDatabase, onMaintenanceDb, recreateDatabase, withDatabase } from './support/test-database';

// These need databases of their own on the server (and several instances' worth of connections).
const describeWithServer = process.env.DATABASE_URL ? describe : describe.skip;

class SlowBackfill1700000000000 implements MigrationInterface {
  name = 'SlowBackfill1700000000000';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SELECT pg_sleep(0.5)`);
    await queryRunner.query(`CREATE TABLE slow_backfill (id int)`);
  }
  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE slow_backfill`);
  }
}

class BrokenMigration1700000000001 implements MigrationInterface {
  name = 'BrokenMigration1700000000001';
  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`SELECT * FROM no_such_table`);
  }
  async down(): Promise<void> {}
}

describeWithServer('migrations at start-up', () => {
  // Read inside the hooks: a skipped describe still runs its body.
  let serverUrl: string;
  let name: string;
  let url: string;
  const open: DataSource[] = [];

  beforeAll(() => {
    serverUrl = process.env.DATABASE_URL as string;
    name = `${databaseName(serverUrl)}_migrate_${process.pid}`;
    url = withDatabase(serverUrl, name);
  });
  beforeEach(() => recreateDatabase(serverUrl, name));
  afterEach(async () => {
    await Promise.all(open.splice(0).map((dataSource) => dataSource.destroy()));
    await dropDatabase(serverUrl, name);
  });

  const options = (overrides: Record<string, string> = {}): DataSourceOptions =>
    buildDataSourceOptions(validateEnv({ DATABASE_URL: url, ...overrides }), url);

  /** The names of `first` and every later migration, in the order they run. */
  const migrationsFrom = (dataSource: DataSource, first: string): string[] => {
    const timestamp = (name: string) => Number(/\d+$/.exec(name)?.[0]);
    return dataSource.migrations.map((migration) => migration.name as string).filter((name) => timestamp(name) >= timestamp(first)).sort((a, b) => timestamp(a) - timestamp(b));
  };

  /** Reverts the newest migrations down to and including `name`. */
  async function undoThrough(dataSource: DataSource, name: string): Promise<void> {
    for (;;) {
      const [last]: { name: string }[] = await dataSource.query(`SELECT name FROM migrations ORDER BY "timestamp" DESC LIMIT 1`);
      await dataSource.undoLastMigration();
      if (last.name === name) return;
    }
  }

  it('lets instances that start together on an empty database take turns: both come up, each migration applied once', async () => {
    const started = await Promise.allSettled([openDataSource(options(), true), openDataSource(options(), true), openDataSource(options(), true)]);
    for (const result of started) if (result.status === 'fulfilled') open.push(result.value);
    expect(started.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled']);

    const [first] = open;
    const applied: { name: string }[] = await first.query(`SELECT name FROM migrations ORDER BY name COLLATE "C"`);
    expect(applied.map((row) => row.name)).toEqual(first.migrations.map((migration) => migration.name).sort());
    expect(await first.showMigrations()).toBe(false);
  });

  it('migrates on DATABASE_DIRECT_URL, not through the pool, when it is set (a pooler in transaction mode)', async () => {
    const directName = `${name}_direct`;
    await recreateDatabase(serverUrl, directName);
    try {
      const direct = withDatabase(serverUrl, directName);
      const dataSource = await openDataSource(options({ DATABASE_DIRECT_URL: direct }), true, direct);
      open.push(dataSource);
      // Two databases stand for the two routes to one: the migrations went where the direct URL points.
      expect(await dataSource.query(`SELECT to_regclass('migrations') IS NULL AS missing`)).toEqual([{ missing: true }]);
      const check = new Client({ connectionString: direct });
      await check.connect();
      try {
        const { rows } = await check.query(`SELECT count(*)::int AS applied FROM migrations`);
        expect(rows[0].applied).toBe(dataSource.migrations.length);
      } finally {
        await check.end();
      }
    } finally {
      await dropDatabase(serverUrl, directName);
    }
  });

  it('1795366000000 copies each message\'s source into its existing recipient rows, and reverts', async () => {
    const dataSource = await openDataSource(options(), true);
    open.push(dataSource);
    await undoThrough(dataSource, 'UserMessagesSourceFilter1795366000000');
    const [alice, bob] = ['0a000000-0000-4000-8000-000000000001', '0a000000-0000-4000-8000-000000000002'];
    await dataSource.query(`INSERT INTO users (id, email) VALUES ($1, 'alice@example.com'), ($2, 'bob@example.com')`, [alice, bob]);
    for (const [id, source] of [['0b000000-0000-4000-8000-000000000001', 'Import Service'], ['0b000000-0000-4000-8000-000000000002', 'Issue Service']]) {
      await dataSource.query(
        `INSERT INTO user_messages (id, sender_id, receiver_type, receiver_id, source, topic, severity, return_code, "timestamp", created_by)
         VALUES ($1, $2, 'user', $3, $4, 't', 'Info', 'OK', now(), $2)`,
        [id, alice, bob, source],
      );
      await dataSource.query(
        `INSERT INTO user_message_recipients (message_id, user_id, address, unread_email, unread_browser, "timestamp") VALUES ($1, $2, 'bob@example.com', true, true, now())`,
        [id, bob],
      );
    }

    expect((await runMigrationsExclusively(dataSource)).map((migration) => migration.name)).toEqual(migrationsFrom(dataSource, 'UserMessagesSourceFilter1795366000000'));
    expect(await dataSource.query(`SELECT message_id AS id, source FROM user_message_recipients ORDER BY message_id`)).toEqual([
      { id: '0b000000-0000-4000-8000-000000000001', source: 'Import Service' },
      { id: '0b000000-0000-4000-8000-000000000002', source: 'Issue Service' },
    ]);
    await undoThrough(dataSource, 'UserMessagesSourceFilter1795366000000');
    expect(await dataSource.query(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'user_message_recipients' AND column_name = 'source'`)).toEqual([{ n: 0 }]);
  });

  it('1795367000000 moves each confirmation into a row of its own, reads the same through the v3 columns, and reverts', async () => {
    const dataSource = await openDataSource(options(), true);
    open.push(dataSource);
    await undoThrough(dataSource, 'CaseMessageConfirmations1795367000000');
    await dataSource.query(`INSERT INTO accounts (id, type, name) VALUES (1, 'partner', 'P'), (2, 'provider', 'R')`);
    await dataSource.query(`INSERT INTO cases (id, guid, partner_account_id, provider_account_id) VALUES (1, '0c000000-0000-4000-8000-000000000001', 1, 2)`);
    const insertMessage = `INSERT INTO case_messages (id, case_id, case_guid, partner_account_id, provider_account_id, sender_account_id, sender_type, type,
                             declared_at, confirmed_at, confirmed_by_account_id, created_at, updated_at)
                           VALUES ($1, 1, '0c000000-0000-4000-8000-000000000001', 1, 2, 2, 'provider', 'serviceComment', $2::timestamptz, $3::timestamptz, $4, $2::timestamptz, COALESCE($3::timestamptz, $2::timestamptz))`;
    await dataSource.query(insertMessage, [1, '2026-01-01T00:00:00.000Z', '2026-01-02T03:04:05.678Z', 1]);
    await dataSource.query(insertMessage, [2, '2026-01-01T00:00:00.000Z', null, null]);
    const readBack = () =>
      dataSource.query(`SELECT m.id, "confirmedAt", "confirmedByAccountId", "updatedAt" FROM (SELECT ${CASE_MESSAGE_COLUMNS} FROM ${CASE_MESSAGE_SOURCE}) m ORDER BY m.id`);

    expect((await runMigrationsExclusively(dataSource)).map((migration) => migration.name)).toEqual(migrationsFrom(dataSource, 'CaseMessageConfirmations1795367000000'));
    expect(await dataSource.query(`SELECT message_id AS id, confirmed_by_account_id AS by FROM case_message_confirmations`)).toEqual([{ id: 1, by: 1 }]);
    expect(await readBack()).toEqual([
      { id: 1, confirmedAt: '2026-01-02T03:04:05.678Z', confirmedByAccountId: 1, updatedAt: '2026-01-02T03:04:05.678Z' },
      { id: 2, confirmedAt: null, confirmedByAccountId: null, updatedAt: '2026-01-01T00:00:00.000Z' },
    ]);

    await undoThrough(dataSource, 'CaseMessageConfirmations1795367000000');
    expect(
      await dataSource.query(`SELECT id, confirmed_at IS NOT NULL AS confirmed, confirmed_by_account_id AS by, updated_at = confirmed_at AS updated FROM case_messages ORDER BY id`),
    ).toEqual([
      { id: 1, confirmed: true, by: 1, updated: true },
      { id: 2, confirmed: false, by: null, updated: null },
    ]);
    expect(await dataSource.query(`SELECT to_regclass('case_message_confirmations') AS t`)).toEqual([{ t: null }]);
  });

  it('1795368000000 makes every stored message public, leaves internal ones out of the feed indexes, and reverts', async () => {
    const dataSource = await openDataSource(options(), true);
    open.push(dataSource);
    await undoThrough(dataSource, 'CaseMessagesInternal1795368000000');
    await dataSource.query(`INSERT INTO accounts (id, type, name) VALUES (1, 'partner', 'P'), (2, 'provider', 'R')`);
    await dataSource.query(`INSERT INTO cases (id, guid, partner_account_id, provider_account_id) VALUES (1, '0c000000-0000-4000-8000-000000000002', 1, 2)`);
    await dataSource.query(
      `INSERT INTO case_messages (id, case_id, case_guid, partner_account_id, provider_account_id, sender_account_id, sender_type, type, declared_at)
       VALUES (1, 1, '0c000000-0000-4000-8000-000000000002', 1, 2, 2, 'provider', 'serviceComment', now())`,
    );
    const feedIndexes = () =>
      dataSource.query(`SELECT indexname, indexdef LIKE '%is_internal%' AS internal FROM pg_indexes WHERE indexname LIKE 'ix_case_messages_%_feed' ORDER BY indexname`);

    expect((await runMigrationsExclusively(dataSource)).map((migration) => migration.name)).toEqual(migrationsFrom(dataSource, 'CaseMessagesInternal1795368000000'));
    expect(await dataSource.query(`SELECT id, is_internal AS internal FROM case_messages`)).toEqual([{ id: 1, internal: false }]);
    expect(await feedIndexes()).toEqual([
      { indexname: 'ix_case_messages_partner_feed', internal: true },
      { indexname: 'ix_case_messages_provider_feed', internal: true },
    ]);

    await undoThrough(dataSource, 'CaseMessagesInternal1795368000000');
    expect(await dataSource.query(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_name = 'case_messages' AND column_name = 'is_internal'`)).toEqual([{ n: 0 }]);
    expect(await feedIndexes()).toEqual([
      { indexname: 'ix_case_messages_partner_feed', internal: false },
      { indexname: 'ix_case_messages_provider_feed', internal: false },
    ]);
  });

  it("1795370000000 turns each account's webhook into its default subscription, links its deliveries, and reverts", async () => {
    const dataSource = await openDataSource(options(), true);
    open.push(dataSource);
    await undoThrough(dataSource, 'Webhooks1795370000000');
    await dataSource.query(
      `INSERT INTO accounts (id, type, name, webhook_url, webhook_secret) VALUES (1, 'partner', 'P', NULL, NULL), (2, 'provider', 'R', 'https://r.example.com/hook', 'provider-secret-0123456789')`,
    );
    await dataSource.query(`INSERT INTO deliveries (kind, message_id, account_id) VALUES ('webhook', '7', 2)`);

    expect((await runMigrationsExclusively(dataSource)).map((migration) => migration.name)).toEqual(migrationsFrom(dataSource, 'Webhooks1795370000000'));
    const [webhook] = await dataSource.query(`SELECT id, account_id AS "accountId", is_default AS "isDefault", events, transport, url, secret, method FROM webhooks`);
    expect(webhook).toEqual({
      id: expect.any(String),
      accountId: 2,
      isDefault: true,
      events: ['message.created'],
      transport: 'http',
      url: 'https://r.example.com/hook',
      secret: 'provider-secret-0123456789',
      method: 'POST',
    });
    expect(await dataSource.query(`SELECT webhook_id AS "webhookId", event FROM deliveries`)).toEqual([{ webhookId: webhook.id, event: 'message.created' }]);

    await undoThrough(dataSource, 'Webhooks1795370000000');
    expect(await dataSource.query(`SELECT id, webhook_url AS url, webhook_secret AS secret FROM accounts ORDER BY id`)).toEqual([
      { id: 1, url: null, secret: null },
      { id: 2, url: 'https://r.example.com/hook', secret: 'provider-secret-0123456789' },
    ]);
    expect(await dataSource.query(`SELECT to_regclass('webhooks') AS t`)).toEqual([{ t: null }]);
  });

  it('runs a migration longer than DB_STATEMENT_TIMEOUT_MS, and gives the connection its timeout back afterwards', async () => {
    const base = options({ DB_STATEMENT_TIMEOUT_MS: '100' });
    // One connection, so the one that migrated is the one asked afterwards.
    const dataSource = await openDataSource({ ...base, migrations: [SlowBackfill1700000000000], extra: { ...base.extra, max: 1 } } as DataSourceOptions, true);
    open.push(dataSource);

    expect(await dataSource.query(`SELECT name FROM migrations`)).toEqual([{ name: 'SlowBackfill1700000000000' }]);
    expect(await dataSource.query(`SHOW statement_timeout`)).toEqual([{ statement_timeout: '100ms' }]);
    await expect(dataSource.query(`SELECT pg_sleep(0.5)`)).rejects.toThrow(/statement timeout/);
  });

  it('waits for another instance\'s migration lock longer than DB_STATEMENT_TIMEOUT_MS, then comes up', async () => {
    const holder = new Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      const opening = openDataSource(options({ DB_STATEMENT_TIMEOUT_MS: '100' }), true);
      opening.then((dataSource) => open.push(dataSource), () => undefined);
      await sleep(300);
      await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      const dataSource = await opening;
      expect(await dataSource.showMigrations()).toBe(false);
    } finally {
      await holder.end();
    }
  });

  it('closes every connection it opened when a migration fails, and rejects with the migration\'s error', async () => {
    const base = options();
    // TypeORM's migration executor prints the failure with console.log whatever the logging option.
    const silenced = jest.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      await expect(openDataSource({ ...base, migrations: [BrokenMigration1700000000001] } as DataSourceOptions, true)).rejects.toThrow(/no_such_table/);
    } finally {
      silenced.mockRestore();
    }

    const connections = await onMaintenanceDb(serverUrl, (client) =>
      client.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1`, [name]),
    );
    expect(connections.rows).toEqual([{ n: 0 }]);
  });
});
