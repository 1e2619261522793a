import { Injectable } from '@nestjs/common';
import { PreparedStatements } from '../database/prepared-statements';
import { AccountType, UserRole } from '../directory/directory.enums';

/** A live token with its owner, as one lookup reads it. */
export interface TokenOwnerRow {
  token_id: string;
  account_id: number | null;
  account_type: AccountType | null;
  user_id: string | null;
  email: string | null;
  role: UserRole | null;
  /** Whether the owner (account or user) is deactivated. */
  deactivated: boolean;
}

/** A token as operators list it: never its hash. */
export interface TokenListRow {
  id: string;
  label: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** The api_tokens table. Hand-written SQL: a lookup reads token, owner and role in one indexed query. */
@Injectable()
export class ApiTokensRepository {
  constructor(private readonly statements: PreparedStatements) {}

  async insert(hash: Buffer, owner: { accountId: number | null; userId: string | null }, label: string | null): Promise<string> {
    const [row] = await this.statements.query<{ id: string }>(
      `INSERT INTO api_tokens (token_hash, account_id, user_id, label) VALUES ($1, $2, $3, $4) RETURNING id`,
      [hash, owner.accountId, owner.userId, label],
    );
    return row.id;
  }

  /** The token with this hash and its owner, unless it is unknown or revoked. */
  async findLive(hash: Buffer): Promise<TokenOwnerRow | undefined> {
    const [row] = await this.statements.query<TokenOwnerRow>(
      `SELECT t.id AS token_id, t.account_id, a.type AS account_type, t.user_id, u.email, u.role,
              COALESCE(a.deactivated_at, u.deactivated_at) IS NOT NULL AS deactivated
         FROM api_tokens t
         LEFT JOIN accounts a ON a.id = t.account_id
         LEFT JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = $1 AND t.revoked_at IS NULL`,
      [hash],
    );
    return row;
  }

  /** Whether `accountId` (an integrator) may act as the provider account `providerAccountId`. */
  async represents(accountId: number, providerAccountId: number): Promise<boolean> {
    const rows = await this.statements.query(
      `SELECT 1 FROM account_representations WHERE account_id = $1 AND provider_account_id = $2`,
      [accountId, providerAccountId],
    );
    return rows.length > 0;
  }

  /** Marks a token revoked (kept as it was if it already is); false when there is no such token. */
  async revoke(tokenId: string): Promise<boolean> {
    // A CTE, not UPDATE … RETURNING: TypeORM's query() answers a bare UPDATE with [rows, count] (the embedded path).
    const [row] = await this.statements.query<{ found: boolean }>(
      `WITH revoked AS (UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 RETURNING 1) SELECT count(*) > 0 AS found FROM revoked`,
      [tokenId],
    );
    return row.found;
  }

  /** Sets each token's last use (parallel arrays), never moving it back; one statement for all of them. */
  async recordUses(tokenIds: string[], usedAt: Date[]): Promise<void> {
    await this.statements.query(
      `WITH used AS (
         UPDATE api_tokens t SET last_used_at = GREATEST(t.last_used_at, u.at)
           FROM unnest($1::uuid[], $2::timestamptz[]) AS u(id, at) WHERE t.id = u.id RETURNING 1
       ) SELECT count(*)::int AS n FROM used`,
      [tokenIds, usedAt.map((d) => d.toISOString())],
    );
  }

  /**
   * A page of an account's or a user's tokens, oldest first, after the (created_at to the millisecond, id)
   * position `after` (read on ix_api_tokens_account_id / ix_api_tokens_user_id: an owner has few).
   */
  listByOwner(owner: { accountId: number } | { userId: string }, page: { limit: number; after?: [string, string] }): Promise<TokenListRow[]> {
    const [column, id] = 'accountId' in owner ? ['account_id', owner.accountId] : ['user_id', owner.userId];
    const created = `date_trunc('milliseconds', created_at)`;
    const after = page.after ? `AND (${created}, id) > ($3::timestamptz, $4::uuid)` : '';
    return this.statements.query<TokenListRow>(
      `SELECT id, label, ${created} AS "createdAt", last_used_at AS "lastUsedAt", revoked_at AS "revokedAt"
         FROM api_tokens WHERE ${column} = $1 ${after} ORDER BY ${created}, id LIMIT $2`,
      [id, page.limit, ...(page.after ?? [])],
    );
  }
}
