import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBadRequestResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { Audited } from '../audit/audited.decorator';
import { AdminAuth } from '../auth/auth.decorators';
import { ErrorResponseDto } from '../http/error-response.dto';
import { GuidParam, IntIdParam } from '../http/param.pipes';
import { PAGE_LINK_HEADER } from '../user-messages/paging.http';
import { AdminPageQueryDto, sendAdminPage } from './admin-paging';
import { CaseResponseDto, GroupResponseDto } from './dto/admin-response.dto';
import { EraseUserQueryDto, ListAccountsQueryDto, ListCasesQueryDto, ListGroupsQueryDto, ListUsersQueryDto, UpdateAccountDto, UpdateCaseDto, UpdateGroupDto, UpdateUserDto } from './dto/lifecycle.dto';
import { AccountDetailsDto, DeletedGroupDto, ErasureReportDto, GroupSummaryDto, TokenDetailsDto, UserDetailsDto } from './dto/lifecycle-response.dto';
import { DirectoryAdminService } from './directory-admin.service';
import { UserErasureService } from './user-erasure.service';

/** Operators' day two: find, change, switch off and erase what was provisioned. */
@ApiTags('admin')
@AdminAuth()
@ApiBadRequestResponse({ type: ErrorResponseDto })
@Controller('admin')
export class DirectoryAdminController {
  constructor(
    private readonly directory: DirectoryAdminService,
    private readonly erasure: UserErasureService,
  ) {}

  @Get('accounts')
  @ApiOperation({ summary: 'Accounts by id; ?type=, ?q= (part of the name), ?status=active|deactivated' })
  @ApiOkResponse({ type: AccountDetailsDto, isArray: true, headers: PAGE_LINK_HEADER })
  async listAccounts(@Query() query: ListAccountsQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<AccountDetailsDto[]> {
    return sendAdminPage(reply, await this.directory.listAccounts(query));
  }

  @Get('accounts/:id')
  @ApiOkResponse({ type: AccountDetailsDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  getAccount(@IntIdParam('id') id: number): Promise<AccountDetailsDto> {
    return this.directory.getAccount(id);
  }

  @Patch('accounts/:id')
  @Audited('accounts:update')
  @ApiOkResponse({ type: AccountDetailsDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  renameAccount(@IntIdParam('id') id: number, @Body() dto: UpdateAccountDto): Promise<AccountDetailsDto> {
    return this.directory.renameAccount(id, dto.name);
  }

  @Post('accounts/:id/deactivate')
  @HttpCode(200)
  @Audited('accounts:deactivate')
  @ApiOperation({ summary: 'Every token of the account answers 401 "Account deactivated" (other instances within AUTH_CACHE_TTL_MS) and its webhooks get nothing (pending deliveries are cancelled); data stays' })
  @ApiOkResponse({ type: AccountDetailsDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  deactivateAccount(@IntIdParam('id') id: number): Promise<AccountDetailsDto> {
    return this.directory.setAccountActive(id, false);
  }

  @Post('accounts/:id/reactivate')
  @HttpCode(200)
  @Audited('accounts:reactivate')
  @ApiOkResponse({ type: AccountDetailsDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  reactivateAccount(@IntIdParam('id') id: number): Promise<AccountDetailsDto> {
    return this.directory.setAccountActive(id, true);
  }

  @Get('accounts/:id/tokens')
  @ApiOperation({ summary: "The account's tokens, oldest first, with their last use (at most a minute stale); never a secret" })
  @ApiOkResponse({ type: TokenDetailsDto, isArray: true, headers: PAGE_LINK_HEADER })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async accountTokens(@IntIdParam('id') id: number, @Query() query: AdminPageQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<TokenDetailsDto[]> {
    return sendAdminPage(reply, await this.directory.accountTokens(id, query));
  }

  @Get('cases')
  @ApiOperation({ summary: 'Cases by id; ?accountId= for the cases of one account (as partner or provider)' })
  @ApiOkResponse({ type: CaseResponseDto, isArray: true, headers: PAGE_LINK_HEADER })
  async listCases(@Query() query: ListCasesQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<CaseResponseDto[]> {
    return sendAdminPage(reply, await this.directory.listCases(query));
  }

  @Get('cases/:guid')
  @ApiOkResponse({ type: CaseResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  getCase(@GuidParam('guid') guid: string): Promise<CaseResponseDto> {
    return this.directory.getCase(guid);
  }

  @Patch('cases/:guid')
  @Audited('cases:forward')
  @ApiOperation({ summary: 'Forwards the case to another provider account: the old provider loses access, the messages stay' })
  @ApiOkResponse({ type: CaseResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  forwardCase(@GuidParam('guid') guid: string, @Body() dto: UpdateCaseDto): Promise<CaseResponseDto> {
    return this.directory.forwardCase(guid, dto);
  }

  @Get('users')
  @ApiOperation({ summary: 'Users by e-mail address; ?q= (part of the address or the name), ?role=, ?status=active|deactivated' })
  @ApiOkResponse({ type: UserDetailsDto, isArray: true, headers: PAGE_LINK_HEADER })
  async listUsers(@Query() query: ListUsersQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<UserDetailsDto[]> {
    return sendAdminPage(reply, await this.directory.listUsers(query));
  }

  @Get('users/:id')
  @ApiOkResponse({ type: UserDetailsDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  getUser(@GuidParam('id') id: string): Promise<UserDetailsDto> {
    return this.directory.getUser(id);
  }

  @Patch('users/:id')
  @Audited('users:update')
  @ApiOkResponse({ type: UserDetailsDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  updateUser(@GuidParam('id') id: string, @Body() dto: UpdateUserDto): Promise<UserDetailsDto> {
    return this.directory.updateUser(id, dto);
  }

  @Post('users/:id/deactivate')
  @HttpCode(200)
  @Audited('users:deactivate')
  @ApiOperation({ summary: 'Tokens answer 401 "User deactivated", streams end, group messages skip the user, pending e-mails are cancelled; data stays' })
  @ApiOkResponse({ type: UserDetailsDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  deactivateUser(@GuidParam('id') id: string): Promise<UserDetailsDto> {
    return this.directory.setUserActive(id, false);
  }

  @Post('users/:id/reactivate')
  @HttpCode(200)
  @Audited('users:reactivate')
  @ApiOkResponse({ type: UserDetailsDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  reactivateUser(@GuidParam('id') id: string): Promise<UserDetailsDto> {
    return this.directory.setUserActive(id, true);
  }

  @Delete('users/:id')
  @HttpCode(200)
  @Audited('users:erase')
  @ApiOperation({ summary: 'Erases the person (GDPR Art. 17), with ?erase=true: tokens, memberships, inbox rows, e-mails and every stored copy of the id and address; cannot be undone' })
  @ApiOkResponse({ type: ErasureReportDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  eraseUser(@GuidParam('id') id: string, @Query() query: EraseUserQueryDto): Promise<ErasureReportDto> {
    return this.erasure.erase(id, query.erase === 'true');
  }

  @Get('users/:id/tokens')
  @ApiOperation({ summary: "The user's tokens, oldest first, with their last use (at most a minute stale); never a secret" })
  @ApiOkResponse({ type: TokenDetailsDto, isArray: true, headers: PAGE_LINK_HEADER })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async userTokens(@GuidParam('id') id: string, @Query() query: AdminPageQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<TokenDetailsDto[]> {
    return sendAdminPage(reply, await this.directory.userTokens(id, query));
  }

  @Get('groups')
  @ApiOperation({ summary: 'Groups by name' })
  @ApiOkResponse({ type: GroupSummaryDto, isArray: true, headers: PAGE_LINK_HEADER })
  async listGroups(@Query() query: ListGroupsQueryDto, @Res({ passthrough: true }) reply: FastifyReply): Promise<GroupSummaryDto[]> {
    return sendAdminPage(reply, await this.directory.listGroups(query));
  }

  @Get('groups/:id')
  @ApiOkResponse({ type: GroupResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  getGroup(@GuidParam('id') id: string): Promise<GroupResponseDto> {
    return this.directory.getGroup(id);
  }

  @Patch('groups/:id')
  @Audited('groups:update')
  @ApiOkResponse({ type: GroupResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  updateGroup(@GuidParam('id') id: string, @Body() dto: UpdateGroupDto): Promise<GroupResponseDto> {
    return this.directory.updateGroup(id, dto);
  }

  @Delete('groups/:id')
  @HttpCode(200)
  @Audited('groups:delete')
  @ApiOperation({ summary: 'Deletes the group; messages already sent to it stay with their recipients' })
  @ApiOkResponse({ type: DeletedGroupDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  deleteGroup(@GuidParam('id') id: string): Promise<DeletedGroupDto> {
    return this.directory.deleteGroup(id);
  }
}
