import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Transaction } from '../database/transactions';
import { AccountType, UserRole } from './directory.enums';

/** An account as the admin lists show it. */
export interface AccountRow {
  id: number;
  type: AccountType;
  name: string;
  createdAt: Date;
  deactivatedAt: Date | null;
  webhookUrl: string | null;
}

export interface UserRow {
  id: string;
  email: string;
  name: string | null;
  role: UserRole;
  createdAt: Date;
  deactivatedAt: Date | null;
}

export interface CaseRow {
  id: number;
  guid: string;
  partnerAccountId: number;
  providerAccountId: number;
  createdAt: Date;
}

/** Filters of the account and user lists: `deactivated` true, false, or either when undefined. */
export interface AccountFilter {
  type?: AccountType;
  q?: string;
  deactivated?: boolean;
}

export interface UserFilter {
  q?: string;
  role?: UserRole;
  deactivated?: boolean;
}

const ACCOUNT_COLUMNS = `a.id, a.type, a.name, a.created_at AS "createdAt", a.deactivated_at AS "deactivatedAt",
  (SELECT w.url FROM webhooks w WHERE w.account_id = a.id AND w.is_default) AS "webhookUrl"`;
const USER_COLUMNS = `u.id, u.email, u.name, u.role, u.created_at AS "createdAt", u.deactivated_at AS "deactivatedAt"`;
const CASE_COLUMNS = `c.id, c.guid, c.partner_account_id AS "partnerAccountId", c.provider_account_id AS "providerAccountId", c.created_at AS "createdAt"`;

/** `%text%` for ILIKE, with the pattern characters of `text` taken literally. */
const containing = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/**
 * The operators' reads and lifecycle writes on the directory. Hand-written SQL: each list walks one index
 * in its keyset order (accounts and cases by id, users by (lower(email), id)) and filters on the way, so a
 * page costs `limit` rows read however large the table; a search by name scans until it has a page.
 */
@Injectable()
export class DirectoryLifecycleRepository {
  constructor(private readonly dataSource: DataSource) {}

  listAccounts(filter: AccountFilter, page: { limit: number; afterId?: number }): Promise<AccountRow[]> {
    const where = new Conditions();
    if (page.afterId !== undefined) where.add('a.id > ?', page.afterId);
    if (filter.type !== undefined) where.add('a.type = ?', filter.type);
    if (filter.q !== undefined) where.add(`a.name ILIKE ?`, containing(filter.q));
    if (filter.deactivated !== undefined) where.add(`a.deactivated_at IS ${filter.deactivated ? 'NOT ' : ''}NULL`);
    return this.dataSource.query(`SELECT ${ACCOUNT_COLUMNS} FROM accounts a ${where.sql()} ORDER BY a.id LIMIT ${where.param(page.limit)}`, where.params);
  }

  async findAccount(id: number): Promise<AccountRow | undefined> {
    const [row] = await this.dataSource.query(`SELECT ${ACCOUNT_COLUMNS} FROM accounts a WHERE a.id = $1`, [id]);
    return row;
  }

  /** Renames the account; false when there is none. */
  async renameAccount(id: number, name: string): Promise<boolean> {
    return this.updated(`UPDATE accounts SET name = $2 WHERE id = $1`, [id, name]);
  }

  /** Deactivates (keeping the first time) or reactivates the account; false when there is none. */
  async setAccountDeactivated(id: number, deactivated: boolean): Promise<boolean> {
    return this.updated(`UPDATE accounts SET deactivated_at = ${deactivated ? 'COALESCE(deactivated_at, now())' : 'NULL'} WHERE id = $1`, [id]);
  }

  listUsers(filter: UserFilter, page: { limit: number; after?: [string, string] }): Promise<UserRow[]> {
    const where = new Conditions();
    if (page.after !== undefined) where.add(`(lower(u.email), u.id) > (?, ?::uuid)`, ...page.after);
    if (filter.role !== undefined) where.add('u.role = ?', filter.role);
    if (filter.q !== undefined) {
      const pattern = where.param(containing(filter.q));
      where.add(`(u.email ILIKE ${pattern} OR u.name ILIKE ${pattern})`);
    }
    if (filter.deactivated !== undefined) where.add(`u.deactivated_at IS ${filter.deactivated ? 'NOT ' : ''}NULL`);
    return this.dataSource.query(
      `SELECT ${USER_COLUMNS}, lower(u.email) AS "sortEmail" FROM users u ${where.sql()} ORDER BY lower(u.email), u.id LIMIT ${where.param(page.limit)}`,
      where.params,
    );
  }

  async findUser(id: string, tx?: Transaction): Promise<UserRow | undefined> {
    const [row] = await (tx?.manager ?? this.dataSource).query(`SELECT ${USER_COLUMNS} FROM users u WHERE u.id = $1`, [id]);
    return row;
  }

  /** Sets the given fields of the user; false when there is none. */
  async updateUser(id: string, fields: { email?: string; name?: string | null; role?: UserRole }): Promise<boolean> {
    const set = new Conditions();
    set.add('id = ?', id);
    const assignments = Object.entries({ email: fields.email, name: fields.name, role: fields.role })
      .filter(([, value]) => value !== undefined)
      .map(([column, value]) => `${column} = ${set.param(value)}`);
    if (assignments.length === 0) return Boolean(await this.findUser(id));
    return this.updated(`UPDATE users SET ${assignments.join(', ')} WHERE id = $1`, set.params);
  }

  async setUserDeactivated(id: string, deactivated: boolean): Promise<boolean> {
    return this.updated(`UPDATE users SET deactivated_at = ${deactivated ? 'COALESCE(deactivated_at, now())' : 'NULL'} WHERE id = $1`, [id]);
  }

  /** Cancels the user's e-mails not sent yet (a deactivated user gets none). */
  cancelPendingEmails(userId: string): Promise<void> {
    return this.cancelPending('', `d.user_id = $1 AND d.kind = 'email'`, [userId]);
  }

  /** Cancels the account's webhook and AMQP deliveries not sent yet (a deactivated account gets none), through ix_deliveries_webhook_id_id. */
  cancelPendingWebhookDeliveries(accountId: number): Promise<void> {
    return this.cancelPending('FROM webhooks w', `w.account_id = $1 AND d.webhook_id = w.id`, [accountId]);
  }

  /** Cancels the pending deliveries `where` picks (joined with `from`); one being sent right now is left to finish. */
  private async cancelPending(from: string, where: string, params: unknown[]): Promise<void> {
    await this.dataSource.query(`UPDATE deliveries d SET status = 'cancelled', updated_at = now() ${from} WHERE d.status = 'pending' AND ${where}`, params);
  }

  /** Cases of one account (as partner or provider, through their two indexes) or all of them, by id. */
  listCases(filter: { accountId?: number }, page: { limit: number; afterId?: number }): Promise<CaseRow[]> {
    const where = new Conditions();
    if (page.afterId !== undefined) where.add('c.id > ?', page.afterId);
    if (filter.accountId !== undefined) {
      const account = where.param(filter.accountId);
      where.add(`(c.partner_account_id = ${account} OR c.provider_account_id = ${account})`);
    }
    return this.dataSource.query(`SELECT ${CASE_COLUMNS} FROM cases c ${where.sql()} ORDER BY c.id LIMIT ${where.param(page.limit)}`, where.params);
  }

  async findCase(guid: string, tx?: Transaction): Promise<CaseRow | undefined> {
    const lock = tx ? 'FOR UPDATE' : '';
    const [row] = await (tx?.manager ?? this.dataSource).query(`SELECT ${CASE_COLUMNS} FROM cases c WHERE c.guid = $1 ${lock}`, [guid]);
    return row;
  }

  async setCaseProvider(tx: Transaction, guid: string, providerAccountId: number): Promise<void> {
    await tx.manager.query(`UPDATE cases SET provider_account_id = $2 WHERE guid = $1`, [guid, providerAccountId]);
  }

  async updateGroup(tx: Transaction, id: string, fields: { name?: string; description?: string | null }): Promise<void> {
    const set = new Conditions();
    set.add('id = ?', id);
    const assignments = Object.entries(fields)
      .filter(([, value]) => value !== undefined)
      .map(([column, value]) => `${column} = ${set.param(value)}`);
    if (assignments.length > 0) await tx.manager.query(`UPDATE groups SET ${assignments.join(', ')} WHERE id = $1`, set.params);
  }

  /** Deletes the group and its memberships; the messages sent to it stay with their recipients. False when there is none. */
  async deleteGroup(id: string): Promise<boolean> {
    return this.updated(`DELETE FROM groups WHERE id = $1`, [id]);
  }

  /** Runs a single-row write; whether it touched a row. A CTE: TypeORM answers a bare UPDATE with [rows, count] on one driver and not the other. */
  private async updated(sql: string, params: unknown[]): Promise<boolean> {
    const [row] = await this.dataSource.query(`WITH changed AS (${sql} RETURNING 1) SELECT count(*)::int AS n FROM changed`, params);
    return row.n > 0;
  }
}

/** A WHERE clause built from conditions whose `?` placeholders become numbered parameters. */
class Conditions {
  readonly params: unknown[] = [];
  private readonly parts: string[] = [];

  add(condition: string, ...values: unknown[]): void {
    this.parts.push(condition.replace(/\?/g, () => this.param(values.shift())));
  }

  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  sql(): string {
    return this.parts.length > 0 ? `WHERE ${this.parts.join(' AND ')}` : '';
  }
}
