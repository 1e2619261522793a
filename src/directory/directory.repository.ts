import { Injectable } from '@nestjs/common';
import { DataSource, In } from 'typeorm';
import { Transaction } from '../database/transactions';
import { Account } from './account.entity';
import { AccountType } from './directory.enums';
import { AccountRepresentation } from './account-representation.entity';
import { Case } from './case.entity';
import { Group, GroupMember } from './group.entity';
import { User } from './user.entity';

/** Advisory-lock namespace (first key of pg_advisory_xact_lock(int, int)) for "an id is being given to a user or a group". */
const ADDRESSEE_ID_LOCK_NAMESPACE = 3200;
/** Advisory-lock namespace for "a group name (lower-cased) is being given to a group". */
const GROUP_NAME_LOCK_NAMESPACE = 3201;

/** Where a page of the group list starts: after the group with this lower-cased name and id. */
export interface GroupPosition {
  sortName: string;
  id: string;
}

/** A group as a list shows it, with its position in the list's (lower(name), id) order. */
export interface GroupListRow extends GroupPosition {
  name: string;
  description: string | null;
}

export interface GroupWithMembers {
  id: string;
  name: string;
  description: string | null;
  /** In id order. */
  memberIds: string[];
}

/**
 * The directory: accounts, cases, users, groups and their members. Writes are rare, so this uses TypeORM's
 * entity repositories; the member replacement, the id and name claims and the v2 group reads are SQL.
 */
@Injectable()
export class DirectoryRepository {
  constructor(private readonly dataSource: DataSource) {}

  insertAccount(account: Pick<Account, 'type' | 'name'>): Promise<Account> {
    return this.dataSource.getRepository(Account).save(account);
  }

  findAccount(id: number): Promise<Account | null> {
    return this.dataSource.getRepository(Account).findOneBy({ id });
  }

  hasAccounts(): Promise<boolean> {
    return this.dataSource.getRepository(Account).exists();
  }

  /** The provider accounts an integrator account represents, in id order. */
  async representedProviders(accountId: number): Promise<number[]> {
    const rows = await this.dataSource.getRepository(AccountRepresentation).find({ where: { accountId }, order: { providerAccountId: 'ASC' } });
    return rows.map((r) => r.providerAccountId);
  }

  async replaceRepresentations(tx: Transaction, accountId: number, providerAccountIds: number[]): Promise<void> {
    const repository = tx.manager.getRepository(AccountRepresentation);
    await repository.delete({ accountId });
    if (providerAccountIds.length > 0) await repository.insert(providerAccountIds.map((providerAccountId) => ({ accountId, providerAccountId })));
  }

  /** The types of the accounts among `ids` that exist. */
  async accountTypes(tx: Transaction, ids: number[]): Promise<Map<number, AccountType>> {
    const rows = await tx.manager.getRepository(Account).find({ where: { id: In(ids) }, select: { id: true, type: true } });
    return new Map(rows.map((r) => [r.id, r.type]));
  }

  insertCase(row: Pick<Case, 'guid' | 'partnerAccountId' | 'providerAccountId'>): Promise<Case> {
    return this.dataSource.getRepository(Case).save(row);
  }

  async insertUser(tx: Transaction, user: Pick<User, 'id' | 'email' | 'name' | 'role'>): Promise<void> {
    await tx.manager.getRepository(User).insert({ ...user });
  }

  userExists(id: string): Promise<boolean> {
    return this.dataSource.getRepository(User).exists({ where: { id } });
  }

  async insertGroup(tx: Transaction, group: Pick<Group, 'id' | 'name' | 'description'>): Promise<void> {
    await tx.manager.getRepository(Group).insert({ ...group });
  }

  /**
   * At most `limit` groups after `after` in (lower(name), id) order, read on ix_groups_lower_name; with
   * `memberId`, only the groups that user belongs to (through ix_group_members_user_id).
   */
  listGroups(page: { limit: number; after?: GroupPosition; memberId?: string }): Promise<GroupListRow[]> {
    const params: unknown[] = [];
    const conditions: string[] = [];
    let from = 'groups g';
    if (page.memberId !== undefined) {
      params.push(page.memberId);
      from = 'group_members m JOIN groups g ON g.id = m.group_id';
      conditions.push(`m.user_id = $${params.length}`);
    }
    if (page.after) {
      params.push(page.after.sortName, page.after.id);
      conditions.push(`(lower(g.name), g.id) > ($${params.length - 1}, $${params.length}::uuid)`);
    }
    params.push(page.limit);
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    return this.dataSource.query(
      `SELECT g.id, g.name, g.description, lower(g.name) AS "sortName" FROM ${from} ${where} ORDER BY lower(g.name), g.id LIMIT $${params.length}`,
      params,
    );
  }

  /** The group and its member ids, in one statement; with `memberId`, only if that user is a member (else null). */
  async findGroupWithMembers(id: string, memberId?: string): Promise<GroupWithMembers | null> {
    const visible = memberId === undefined ? '' : 'AND EXISTS (SELECT 1 FROM group_members v WHERE v.group_id = g.id AND v.user_id = $2)';
    const rows: GroupWithMembers[] = await this.dataSource.query(
      `SELECT g.id, g.name, g.description,
              ARRAY(SELECT gm.user_id FROM group_members gm WHERE gm.group_id = g.id ORDER BY gm.user_id) AS "memberIds"
       FROM groups g WHERE g.id = $1 ${visible}`,
      memberId === undefined ? [id] : [id, memberId],
    );
    return rows[0] ?? null;
  }

  /** The group, locked until the transaction ends; null when there is none. */
  findGroupForUpdate(tx: Transaction, id: string): Promise<Group | null> {
    return tx.manager.getRepository(Group).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Which of `ids` are users. */
  async existingUserIds(tx: Transaction, ids: string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const found = await tx.manager.getRepository(User).find({ select: { id: true }, where: { id: In(ids) } });
    return new Set(found.map((u) => u.id));
  }

  async replaceMembers(tx: Transaction, groupId: string, userIds: string[]): Promise<void> {
    await tx.manager.getRepository(GroupMember).delete({ groupId });
    if (userIds.length > 0) {
      await tx.manager.query(`INSERT INTO group_members (group_id, user_id) SELECT $1, unnest($2::uuid[])`, [groupId, userIds]);
    }
  }

  /**
   * Locks `name`, case-insensitively, as "being given to a group" for the rest of the transaction, then says
   * whether a group already has it (in any letter case): two concurrent creations of one name are serialised,
   * and the second sees the first.
   */
  async claimGroupName(tx: Transaction, name: string): Promise<{ taken: boolean }> {
    await tx.manager.query(`SELECT pg_advisory_xact_lock(${GROUP_NAME_LOCK_NAMESPACE}, hashtext(lower($1)))`, [name]);
    const [taken] = await tx.manager.query(`SELECT 1 FROM groups WHERE lower(name) = lower($1) LIMIT 1`, [name]);
    return { taken: Boolean(taken) };
  }

  /**
   * Locks `id` as "being given to a user or a group" for the rest of the transaction, then says whether
   * `otherTable` already holds it: two concurrent creations of one id as a user and as a group are
   * serialised, and the second sees the first.
   */
  async claimAddresseeId(tx: Transaction, id: string, otherTable: 'users' | 'groups'): Promise<{ taken: boolean }> {
    await tx.manager.query(`SELECT pg_advisory_xact_lock(${ADDRESSEE_ID_LOCK_NAMESPACE}, hashtext($1))`, [id]);
    const [taken] = await tx.manager.query(`SELECT 1 FROM ${otherTable} WHERE id = $1`, [id]);
    return { taken: Boolean(taken) };
  }
}
