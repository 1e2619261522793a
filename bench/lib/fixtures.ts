import { join } from 'node:path';
import { Pool } from 'pg';
import type * as TokenUtil from '../../src/auth/token.util';
import { appDist } from './dist';

/** The accounts, cases, users and group every scenario builds on; ids are fixed so scenarios can address them. */
export const PARTNER_ACCOUNTS = 20;
export const PROVIDER_ACCOUNTS = 20;
export const BENCH_PARTNER_ID = 1;
export const BENCH_PROVIDER_ID = PARTNER_ACCOUNTS + 1;
export const USERS = 10_000;

export const caseGuidSql = (g: string) => `md5('bench-case-' || ${g})::uuid`;
export const userIdSql = (g: string) => `md5('bench-user-' || ${g})::uuid`;

export interface DirectoryShape {
  cases: number;
  users: number;
}

export interface BenchTokens {
  partner: string;
  provider: string;
  /** One token per account, by account id (confirm and feed spread over every account). */
  accounts: Map<number, string>;
  /** The user with the big inbox. */
  heavyUser: string;
  service: string;
}

export interface BenchIds {
  heavyUserId: string;
  serviceUserId: string;
  groupId: string;
  /** Case 1, shared by the bench partner and provider: the list target. */
  listCaseGuid: string;
}

/**
 * Case g belongs to partner 1 + ((g-1) / 2) % 20 and provider 21 + ((g-1) / 40) % 20: every account has cases
 * with every account of the other side and holds 1/20 of all cases, odd and even alike (the seeds alternate
 * the sender by parity, so a parity-aligned split would leave some accounts an empty feed), and case 1 (the
 * list target) belongs to the bench partner (1) and provider (21) in the small and the large database alike.
 */
export async function seedDirectory(pool: Pool, shape: DirectoryShape): Promise<void> {
  await pool.query(`
    INSERT INTO accounts (id, type, name)
    SELECT g, CASE WHEN g <= ${PARTNER_ACCOUNTS} THEN 'partner' ELSE 'provider' END, 'bench account ' || g
      FROM generate_series(1, ${PARTNER_ACCOUNTS + PROVIDER_ACCOUNTS}) g`);
  await pool.query(`SELECT setval(pg_get_serial_sequence('accounts', 'id'), (SELECT max(id) FROM accounts))`);
  await pool.query(`
    INSERT INTO cases (id, guid, partner_account_id, provider_account_id)
    SELECT g, ${caseGuidSql('g')}, 1 + ((g - 1) / 2) % ${PARTNER_ACCOUNTS}, ${PARTNER_ACCOUNTS + 1} + ((g - 1) / ${2 * PARTNER_ACCOUNTS}) % ${PROVIDER_ACCOUNTS}
      FROM generate_series(1, ${shape.cases}) g`);
  await pool.query(`SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT max(id) FROM cases))`);
  await pool.query(`
    INSERT INTO users (id, email, name, role)
    SELECT ${userIdSql('g')}, 'user' || g || '@bench.example', 'Bench User ' || g, 'user'
      FROM generate_series(1, ${shape.users}) g`);
  await pool.query(`INSERT INTO users (id, email, name, role) VALUES (md5('bench-service')::uuid, 'service@bench.example', 'Bench Service', 'service')`);
  await pool.query(`INSERT INTO groups (id, name) VALUES (md5('bench-group')::uuid, 'Bench group of every user')`);
  await pool.query(`INSERT INTO group_members (group_id, user_id) SELECT md5('bench-group')::uuid, id FROM users WHERE role = 'user'`);
}

export async function benchIds(pool: Pool): Promise<BenchIds> {
  const { rows } = await pool.query(
    `SELECT ${userIdSql('1')}::text AS heavy, md5('bench-service')::uuid::text AS service, md5('bench-group')::uuid::text AS grp,
            ${caseGuidSql('1')}::text AS list_guid`,
  );
  return { heavyUserId: rows[0].heavy, serviceUserId: rows[0].service, groupId: rows[0].grp, listCaseGuid: rows[0].list_guid };
}

/** Tokens for users 1..count (the SSE benchmark opens one stream per user), inserted in one statement. */
export async function issueUserTokens(pool: Pool, count: number): Promise<{ userId: string; token: string }[]> {
  const { generateToken, hashToken } = (await import(join(appDist(), 'auth', 'token.util.js'))) as typeof TokenUtil;
  const { rows } = await pool.query<{ id: string }>(`SELECT ${userIdSql('g')}::text AS id FROM generate_series(1, $1::int) g`, [count]);
  const issued = rows.map((row) => ({ userId: row.id, token: generateToken() }));
  await pool.query(
    `INSERT INTO api_tokens (token_hash, user_id, label) SELECT h, u, 'bench' FROM unnest($1::bytea[], $2::uuid[]) AS t(h, u)`,
    [issued.map((i) => hashToken(i.token)), issued.map((i) => i.userId)],
  );
  return issued;
}

/** Inserts fresh tokens exactly as TokenService.issue does (sha256 of the raw token in token_hash). */
export async function issueTokens(pool: Pool, ids: BenchIds): Promise<BenchTokens> {
  const { generateToken, hashToken } = (await import(join(appDist(), 'auth', 'token.util.js'))) as typeof TokenUtil;
  const issue = async (column: 'account_id' | 'user_id', owner: number | string) => {
    const token = generateToken();
    await pool.query(`INSERT INTO api_tokens (token_hash, ${column}, label) VALUES ($1, $2, 'bench')`, [hashToken(token), owner]);
    return token;
  };
  const accounts = new Map<number, string>();
  for (let id = 1; id <= PARTNER_ACCOUNTS + PROVIDER_ACCOUNTS; id++) accounts.set(id, await issue('account_id', id));
  return {
    partner: accounts.get(BENCH_PARTNER_ID) as string,
    provider: accounts.get(BENCH_PROVIDER_ID) as string,
    accounts,
    heavyUser: await issue('user_id', ids.heavyUserId),
    service: await issue('user_id', ids.serviceUserId),
  };
}
