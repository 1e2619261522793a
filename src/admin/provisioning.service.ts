import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { TokenService } from '../auth/token.service';
import { DomainError } from '../common/domain-error';
import { listForMessage } from '../common/message-list';
import { Transaction, Transactions } from '../database/transactions';
import { pgErrorCode, PG_UNIQUE_VIOLATION } from '../database/database-errors';
import { Account } from '../directory/account.entity';
import { Case } from '../directory/case.entity';
import { AccountType, UserRole } from '../directory/directory.enums';
import { DirectoryRepository } from '../directory/directory.repository';
import { WebhooksService } from '../delivery/webhook/webhooks.service';
import { CreateAccountDto, CreateCaseDto, CreateGroupDto, CreateUserDto, SetRepresentationsDto, SetWebhookDto } from './dto/admin.dto';
import { AccountResponseDto, CaseResponseDto, GroupResponseDto, IssuedTokenDto, RepresentationsResponseDto, UserResponseDto } from './dto/admin-response.dto';

/**
 * How a caller's group creation differs from the admin API's: the v2 API (POST /v2/systemgroups) wants the
 * name unique, and names its own field in errors.
 */
export interface GroupCreationRules {
  /** Refuse (409) a name another group has in any letter case. */
  uniqueName: boolean;
  /** The request field that holds the member ids. */
  membersField: string;
}

const ADMIN_GROUP_RULES: GroupCreationRules = { uniqueName: false, membersField: 'memberIds' };

/** Operators' operations, shared by the admin REST API and the CLI; the v2 API creates groups through it too. */
@Injectable()
export class ProvisioningService {
  constructor(
    private readonly directory: DirectoryRepository,
    private readonly transactions: Transactions,
    private readonly tokens: TokenService,
    private readonly webhooks: WebhooksService,
  ) {}

  async createAccount(dto: CreateAccountDto): Promise<AccountResponseDto> {
    const account = await this.directory.insertAccount({ type: dto.type, name: dto.name });
    return toAccountResponse(account, null);
  }

  async issueAccountToken(accountId: number, label?: string): Promise<IssuedTokenDto> {
    await this.requireAccount(accountId);
    return this.tokens.issue({ accountId }, label);
  }

  /** Creates or replaces the account's default webhook (HTTP POST, v3 payload, message.created). */
  async setWebhook(accountId: number, dto: SetWebhookDto): Promise<AccountResponseDto> {
    const account = await this.requireAccount(accountId);
    const webhook = await this.webhooks.setDefault(accountId, dto.url, dto.secret);
    return toAccountResponse(account, webhook.url);
  }

  async representations(accountId: number): Promise<RepresentationsResponseDto> {
    await this.requireAccount(accountId);
    return { accountId, providerAccountIds: await this.directory.representedProviders(accountId) };
  }

  /** Replaces the provider accounts `accountId`'s tokens may act as; each must be an existing provider account. */
  async setRepresentations(accountId: number, dto: SetRepresentationsDto): Promise<RepresentationsResponseDto> {
    await this.requireAccount(accountId);
    const ids = [...new Set(dto.providerAccountIds)].sort((a, b) => a - b);
    await this.transactions.run(async (tx) => {
      const types = await this.directory.accountTypes(tx, ids);
      const unknown = ids.find((id) => !types.has(id));
      if (unknown !== undefined) throw new DomainError('INVALID', `providerAccountIds: account ${unknown} not found`);
      const other = ids.find((id) => types.get(id) !== AccountType.Provider);
      if (other !== undefined) throw new DomainError('INVALID', `providerAccountIds: account ${other} is not a provider account`);
      await this.directory.replaceRepresentations(tx, accountId, ids);
    });
    return { accountId, providerAccountIds: ids };
  }

  async createCase(dto: CreateCaseDto): Promise<CaseResponseDto> {
    await this.requireAccountOfType(dto.partnerAccountId, AccountType.Partner, 'partnerAccountId');
    await this.requireAccountOfType(dto.providerAccountId, AccountType.Provider, 'providerAccountId');
    const guid = dto.guid?.toLowerCase() ?? randomUUID();
    const saved = await this.insertUnique(`A case with guid ${guid} already exists`, () =>
      this.directory.insertCase({ guid, partnerAccountId: dto.partnerAccountId, providerAccountId: dto.providerAccountId }),
    );
    return toCaseResponse(saved);
  }

  async createUser(dto: CreateUserDto): Promise<UserResponseDto> {
    const id = dto.id?.toLowerCase() ?? randomUUID();
    const user = { id, email: dto.email, name: dto.name ?? null, role: dto.role ?? UserRole.User };
    await this.transactions.run(async (tx) => {
      await this.claimAddresseeId(tx, id, 'groups', `A group with id ${id} already exists; a user cannot share its id`);
      await this.insertUnique(`A user with id ${id} already exists`, () => this.directory.insertUser(tx, user));
    });
    return user;
  }

  async issueUserToken(userId: string, label?: string): Promise<IssuedTokenDto> {
    const id = userId.toLowerCase();
    if (!(await this.directory.userExists(id))) throw new DomainError('NOT_FOUND', 'User not found');
    return this.tokens.issue({ userId: id }, label);
  }

  /** Creates the group with its members in one transaction: any refusal leaves nothing written. */
  async createGroup(dto: CreateGroupDto, rules: GroupCreationRules = ADMIN_GROUP_RULES): Promise<GroupResponseDto> {
    const id = dto.id?.toLowerCase() ?? randomUUID();
    const description = dto.description ?? null;
    return this.transactions.run(async (tx) => {
      await this.claimAddresseeId(tx, id, 'users', `A user with id ${id} already exists; a group cannot share its id`);
      if (rules.uniqueName) await this.claimGroupName(tx, dto.name);
      await this.insertUnique(`A group with id ${id} already exists`, () => this.directory.insertGroup(tx, { id, name: dto.name, description }));
      const memberIds = await this.replaceMembers(tx, id, dto.memberIds, rules.membersField);
      return { id, name: dto.name, description, memberIds };
    });
  }

  async setGroupMembers(groupId: string, memberIds: string[]): Promise<GroupResponseDto> {
    const id = groupId.toLowerCase();
    return this.transactions.run(async (tx) => {
      const group = await this.directory.findGroupForUpdate(tx, id);
      if (!group) throw new DomainError('NOT_FOUND', 'Group not found');
      const members = await this.replaceMembers(tx, id, memberIds, ADMIN_GROUP_RULES.membersField);
      return { id, name: group.name, description: group.description, memberIds: members };
    });
  }

  /** Whether any account exists: the demo set is created only on a database without one. */
  hasAccounts(): Promise<boolean> {
    return this.directory.hasAccounts();
  }

  async revokeToken(tokenId: string): Promise<{ id: string; revoked: boolean }> {
    if (!(await this.tokens.revoke(tokenId))) throw new DomainError('NOT_FOUND', 'Token not found');
    return { id: tokenId, revoked: true };
  }

  /** Replaces a group's members with `memberIds` (deduplicated); every id must be an existing user, else a 400 naming the unknown ones. */
  private async replaceMembers(tx: Transaction, groupId: string, memberIds: string[], field: string): Promise<string[]> {
    const ids = [...new Set(memberIds.map((m) => m.toLowerCase()))];
    const known = await this.directory.existingUserIds(tx, ids);
    const unknown = ids.filter((m) => !known.has(m));
    if (unknown.length > 0) throw new DomainError('INVALID', `${field}: unknown user${unknown.length > 1 ? 's' : ''} ${listForMessage(unknown)}`);
    await this.directory.replaceMembers(tx, groupId, ids);
    return ids;
  }

  /**
   * A v2 receiver.id names a user or a group, so one id must not be both (the group would never receive
   * anything: a user wins the lookup).
   */
  private async claimAddresseeId(tx: Transaction, id: string, otherTable: 'users' | 'groups', conflictMessage: string): Promise<void> {
    const { taken } = await this.directory.claimAddresseeId(tx, id, otherTable);
    if (taken) throw new DomainError('CONFLICT', conflictMessage);
  }

  /** Under a lock on the name, so two concurrent creations of one name cannot both win. */
  private async claimGroupName(tx: Transaction, name: string): Promise<void> {
    const { taken } = await this.directory.claimGroupName(tx, name);
    if (taken) throw new DomainError('CONFLICT', `A group named "${name}" already exists`);
  }

  /** The account a route's path names: a missing one is a 404. */
  private async requireAccount(id: number): Promise<Account> {
    const account = await this.directory.findAccount(id);
    if (!account) throw new DomainError('NOT_FOUND', 'Account not found');
    return account;
  }

  /** An account a request body names: a missing one, or one of the other type, is a 400 naming the field. */
  private async requireAccountOfType(id: number, type: AccountType, field: string): Promise<void> {
    const account = await this.directory.findAccount(id);
    if (!account) throw new DomainError('INVALID', `${field}: account ${id} not found`);
    if (account.type !== type) throw new DomainError('INVALID', `${field}: account ${id} is not a ${type} account`);
  }

  private async insertUnique<T>(conflictMessage: string, insert: () => Promise<T>): Promise<T> {
    try {
      return await insert();
    } catch (error) {
      if (pgErrorCode(error) === PG_UNIQUE_VIOLATION) throw new DomainError('CONFLICT', conflictMessage);
      throw error;
    }
  }
}

function toAccountResponse(account: Pick<Account, 'id' | 'type' | 'name'>, webhookUrl: string | null): AccountResponseDto {
  return { id: account.id, type: account.type, name: account.name, webhookUrl };
}

function toCaseResponse(saved: Case): CaseResponseDto {
  return { id: saved.id, guid: saved.guid, partnerAccountId: saved.partnerAccountId, providerAccountId: saved.providerAccountId, createdAt: saved.createdAt.toISOString() };
}
