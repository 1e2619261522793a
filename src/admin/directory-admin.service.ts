import { Injectable } from '@nestjs/common';
import { ApiTokensRepository, TokenListRow } from '../auth/api-tokens.repository';
import { TokenService } from '../auth/token.service';
import { DomainError } from '../common/domain-error';
import { isCanonicalTimestamp } from '../common/iso-timestamp';
import { MAX_INT4 } from '../common/int-id';
import { isUuid } from '../common/uuid';
import { Transactions } from '../database/transactions';
import { AccountType } from '../directory/directory.enums';
import { DirectoryRepository } from '../directory/directory.repository';
import { AccountRow, CaseRow, DirectoryLifecycleRepository, UserRow } from '../directory/directory-lifecycle.repository';
import { AdminPage, AdminPageQueryDto, DEFAULT_ADMIN_LIMIT, readCursor, toPage } from './admin-paging';
import { CaseResponseDto, GroupResponseDto } from './dto/admin-response.dto';
import { LifecycleStatus, ListAccountsQueryDto, ListCasesQueryDto, ListUsersQueryDto, UpdateCaseDto, UpdateGroupDto, UpdateUserDto } from './dto/lifecycle.dto';
import { AccountDetailsDto, DeletedGroupDto, GroupSummaryDto, TokenDetailsDto, UserDetailsDto } from './dto/lifecycle-response.dto';

const isPositiveInt = (v: unknown) => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= MAX_INT4;
const deactivatedFilter = (status?: LifecycleStatus) => (status === undefined ? undefined : status === LifecycleStatus.Deactivated);

/**
 * Operators' reads and lifecycle changes of accounts, users, cases, groups and tokens, shared by the admin
 * REST API and the CLI. Creations stay in ProvisioningService; erasure is UserErasureService.
 */
@Injectable()
export class DirectoryAdminService {
  constructor(
    private readonly lifecycle: DirectoryLifecycleRepository,
    private readonly directory: DirectoryRepository,
    private readonly apiTokens: ApiTokensRepository,
    private readonly tokens: TokenService,
    private readonly transactions: Transactions,
  ) {}

  async listAccounts(query: ListAccountsQueryDto): Promise<AdminPage<AccountDetailsDto>> {
    const limit = query.limit ?? DEFAULT_ADMIN_LIMIT;
    const after = readCursor<[number]>(query.cursor, 1, ([id]) => isPositiveInt(id));
    const rows = await this.lifecycle.listAccounts({ type: query.type, q: query.q, deactivated: deactivatedFilter(query.status) }, { limit: limit + 1, afterId: after?.[0] });
    return toPage(rows, limit, (row) => [row.id], toAccountDetails);
  }

  async getAccount(id: number): Promise<AccountDetailsDto> {
    const row = await this.lifecycle.findAccount(id);
    if (!row) throw new DomainError('NOT_FOUND', 'Account not found');
    return toAccountDetails(row);
  }

  async renameAccount(id: number, name: string): Promise<AccountDetailsDto> {
    if (!(await this.lifecycle.renameAccount(id, name))) throw new DomainError('NOT_FOUND', 'Account not found');
    return this.getAccount(id);
  }

  /**
   * Switches the account off or on; doing it twice is not an error. While it is off its tokens answer 401 and
   * its webhooks get nothing: deliveries not sent yet are cancelled, and events meanwhile are not delivered later.
   */
  async setAccountActive(id: number, active: boolean): Promise<AccountDetailsDto> {
    if (!(await this.lifecycle.setAccountDeactivated(id, !active))) throw new DomainError('NOT_FOUND', 'Account not found');
    if (!active) await this.lifecycle.cancelPendingWebhookDeliveries(id);
    this.tokens.forgetOwner({ accountId: id });
    return this.getAccount(id);
  }

  async accountTokens(id: number, page: AdminPageQueryDto): Promise<AdminPage<TokenDetailsDto>> {
    if (!(await this.lifecycle.findAccount(id))) throw new DomainError('NOT_FOUND', 'Account not found');
    return this.tokenPage({ accountId: id }, page);
  }

  async userTokens(id: string, page: AdminPageQueryDto): Promise<AdminPage<TokenDetailsDto>> {
    await this.getUser(id);
    return this.tokenPage({ userId: id.toLowerCase() }, page);
  }

  async listCases(query: ListCasesQueryDto): Promise<AdminPage<CaseResponseDto>> {
    const limit = query.limit ?? DEFAULT_ADMIN_LIMIT;
    const after = readCursor<[number]>(query.cursor, 1, ([id]) => isPositiveInt(id));
    const rows = await this.lifecycle.listCases({ accountId: query.accountId }, { limit: limit + 1, afterId: after?.[0] });
    return toPage(rows, limit, (row) => [row.id], toCaseDetails);
  }

  async getCase(guid: string): Promise<CaseResponseDto> {
    const row = await this.lifecycle.findCase(guid.toLowerCase());
    if (!row) throw new DomainError('NOT_FOUND', 'Case not found');
    return toCaseDetails(row);
  }

  /**
   * Forwards the case to another workshop: from now on only the new provider (and the partner) may act on
   * it; the messages stay. Access is read per request, so the old provider's next call is a 403.
   */
  async forwardCase(guid: string, dto: UpdateCaseDto): Promise<CaseResponseDto> {
    const id = guid.toLowerCase();
    return this.transactions.run(async (tx) => {
      const kase = await this.lifecycle.findCase(id, tx);
      if (!kase) throw new DomainError('NOT_FOUND', 'Case not found');
      const types = await this.directory.accountTypes(tx, [dto.providerAccountId]);
      const type = types.get(dto.providerAccountId);
      if (type === undefined) throw new DomainError('INVALID', `providerAccountId: account ${dto.providerAccountId} not found`);
      if (type !== AccountType.Provider) throw new DomainError('INVALID', `providerAccountId: account ${dto.providerAccountId} is not a provider account`);
      if (dto.providerAccountId === kase.providerAccountId) throw new DomainError('INVALID', `providerAccountId: account ${dto.providerAccountId} is already the case's provider`);
      await this.lifecycle.setCaseProvider(tx, id, dto.providerAccountId);
      return toCaseDetails({ ...kase, providerAccountId: dto.providerAccountId });
    });
  }

  async listUsers(query: ListUsersQueryDto): Promise<AdminPage<UserDetailsDto>> {
    const limit = query.limit ?? DEFAULT_ADMIN_LIMIT;
    const after = readCursor<[string, string]>(query.cursor, 2, ([email, id]) => typeof email === 'string' && email.length <= 320 && isUuid(id));
    const rows = await this.lifecycle.listUsers({ q: query.q, role: query.role, deactivated: deactivatedFilter(query.status) }, { limit: limit + 1, after });
    return toPage(rows as Array<UserRow & { sortEmail: string }>, limit, (row) => [row.sortEmail, row.id], toUserDetails);
  }

  async getUser(id: string): Promise<UserDetailsDto> {
    const row = await this.lifecycle.findUser(id.toLowerCase());
    if (!row) throw new DomainError('NOT_FOUND', 'User not found');
    return toUserDetails(row);
  }

  async updateUser(id: string, dto: UpdateUserDto): Promise<UserDetailsDto> {
    const userId = id.toLowerCase();
    if (!(await this.lifecycle.updateUser(userId, { email: dto.email, name: dto.name, role: dto.role }))) throw new DomainError('NOT_FOUND', 'User not found');
    this.tokens.forgetOwner({ userId });
    return this.getUser(userId);
  }

  /**
   * Switches the user off or on; twice is not an error. Off: the tokens answer 401, open streams end within
   * AUTH_CACHE_TTL_MS, group messages skip the user, and e-mails not sent yet are cancelled (data stays).
   */
  async setUserActive(id: string, active: boolean): Promise<UserDetailsDto> {
    const userId = id.toLowerCase();
    if (!(await this.lifecycle.setUserDeactivated(userId, !active))) throw new DomainError('NOT_FOUND', 'User not found');
    if (!active) await this.lifecycle.cancelPendingEmails(userId);
    this.tokens.forgetOwner({ userId });
    return this.getUser(userId);
  }

  /** Groups by (lower(name), id), the order of ix_groups_lower_name. */
  async listGroups(page: AdminPageQueryDto): Promise<AdminPage<GroupSummaryDto>> {
    const limit = page.limit ?? DEFAULT_ADMIN_LIMIT;
    const after = readCursor<[string, string]>(page.cursor, 2, ([name, id]) => typeof name === 'string' && name.length <= 255 && isUuid(id));
    const rows = await this.directory.listGroups({ limit: limit + 1, after: after && { sortName: after[0], id: after[1].toLowerCase() } });
    return toPage(rows, limit, (row) => [row.sortName, row.id], (row) => ({ id: row.id, name: row.name, description: row.description }));
  }

  async getGroup(id: string): Promise<GroupResponseDto> {
    const group = await this.directory.findGroupWithMembers(id.toLowerCase());
    if (!group) throw new DomainError('NOT_FOUND', 'Group not found');
    return group;
  }

  async updateGroup(id: string, dto: UpdateGroupDto): Promise<GroupResponseDto> {
    const groupId = id.toLowerCase();
    await this.transactions.run(async (tx) => {
      if (!(await this.directory.findGroupForUpdate(tx, groupId))) throw new DomainError('NOT_FOUND', 'Group not found');
      await this.lifecycle.updateGroup(tx, groupId, { name: dto.name, description: dto.description });
    });
    return this.getGroup(groupId);
  }

  /** Deletes the group; messages already sent to it stay with their recipients. */
  async deleteGroup(id: string): Promise<DeletedGroupDto> {
    const groupId = id.toLowerCase();
    if (!(await this.lifecycle.deleteGroup(groupId))) throw new DomainError('NOT_FOUND', 'Group not found');
    return { id: groupId, deleted: true };
  }

  private async tokenPage(owner: { accountId: number } | { userId: string }, page: AdminPageQueryDto): Promise<AdminPage<TokenDetailsDto>> {
    const limit = page.limit ?? DEFAULT_ADMIN_LIMIT;
    const after = readCursor<[string, string]>(page.cursor, 2, ([at, id]) => typeof at === 'string' && isCanonicalTimestamp(at) && isUuid(id));
    const rows = await this.apiTokens.listByOwner(owner, { limit: limit + 1, after });
    return toPage(rows, limit, (row) => [new Date(row.createdAt).toISOString(), row.id], (row) => this.toTokenDetails(row));
  }

  /** The later of the stored last use and the one this instance has seen since its last flush. */
  private toTokenDetails(row: TokenListRow): TokenDetailsDto {
    const stored = row.lastUsedAt ? new Date(row.lastUsedAt) : undefined;
    const unwritten = this.tokens.unwrittenUse(row.id);
    const lastUsed = unwritten && (!stored || unwritten > stored) ? unwritten : stored;
    return { id: row.id, label: row.label, createdAt: iso(row.createdAt), lastUsedAt: lastUsed?.toISOString() ?? null, revokedAt: row.revokedAt ? iso(row.revokedAt) : null };
  }
}

function iso(value: Date | string): string {
  return new Date(value).toISOString();
}

function status(deactivatedAt: Date | null): LifecycleStatus {
  return deactivatedAt ? LifecycleStatus.Deactivated : LifecycleStatus.Active;
}

function toAccountDetails(row: AccountRow): AccountDetailsDto {
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    status: status(row.deactivatedAt),
    createdAt: iso(row.createdAt),
    deactivatedAt: row.deactivatedAt ? iso(row.deactivatedAt) : null,
    webhookUrl: row.webhookUrl,
  };
}

function toUserDetails(row: UserRow): UserDetailsDto {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    status: status(row.deactivatedAt),
    createdAt: iso(row.createdAt),
    deactivatedAt: row.deactivatedAt ? iso(row.deactivatedAt) : null,
  };
}

function toCaseDetails(row: CaseRow): CaseResponseDto {
  return { id: row.id, guid: row.guid, partnerAccountId: row.partnerAccountId, providerAccountId: row.providerAccountId, createdAt: iso(row.createdAt) };
}
