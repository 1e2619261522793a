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

/**
 * The directory: accounts, cases, users, groups and their members. Operators' writes are rare, so this
 * uses TypeORM's entity repositories; only the member replacement and the id claim are SQL.
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

  async insertGroup(tx: Transaction, group: Pick<Group, 'id' | 'name'>): Promise<void> {
    await tx.manager.getRepository(Group).insert({ ...group });
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
