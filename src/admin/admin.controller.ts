import { Body, Controller, Delete, Get, HttpCode, Post, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Audited } from '../audit/audited.decorator';
import { AdminAuth } from '../auth/auth.decorators';
import { ErrorResponseDto } from '../http/error-response.dto';
import { GuidParam, IntIdParam } from '../http/param.pipes';
import { CreateAccountDto, CreateCaseDto, CreateGroupDto, CreateUserDto, GroupMembersDto, IssueTokenDto, SetRepresentationsDto, SetWebhookDto } from './dto/admin.dto';
import { AccountResponseDto, CaseResponseDto, GroupResponseDto, IssuedTokenDto, RepresentationsResponseDto, RevokedTokenDto, UserResponseDto } from './dto/admin-response.dto';
import { ProvisioningService } from './provisioning.service';

@ApiTags('admin')
@AdminAuth()
@ApiBadRequestResponse({ type: ErrorResponseDto })
@Controller('admin')
export class AdminController {
  constructor(private readonly provisioning: ProvisioningService) {}

  @Post('accounts')
  @Audited('accounts:create')
  @ApiCreatedResponse({ type: AccountResponseDto })
  createAccount(@Body() dto: CreateAccountDto): Promise<AccountResponseDto> {
    return this.provisioning.createAccount(dto);
  }

  @Post('accounts/:id/tokens')
  @Audited('accounts:token')
  @ApiBody({ type: IssueTokenDto, required: false, description: 'Optional: a label for the token' })
  @ApiCreatedResponse({ type: IssuedTokenDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  issueAccountToken(@IntIdParam('id') id: number, @Body() dto: IssueTokenDto): Promise<IssuedTokenDto> {
    return this.provisioning.issueAccountToken(id, dto.label);
  }

  @Put('accounts/:id/webhook')
  @Audited('accounts:webhook')
  @ApiOkResponse({ type: AccountResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  setWebhook(@IntIdParam('id') id: number, @Body() dto: SetWebhookDto): Promise<AccountResponseDto> {
    return this.provisioning.setWebhook(id, dto);
  }

  @Get('accounts/:id/represents')
  @ApiOperation({ summary: 'The provider accounts this account may act as (integrator)' })
  @ApiOkResponse({ type: RepresentationsResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  representations(@IntIdParam('id') id: number): Promise<RepresentationsResponseDto> {
    return this.provisioning.representations(id);
  }

  @Put('accounts/:id/represents')
  @Audited('accounts:represents')
  @ApiOperation({ summary: "Sets the provider accounts this account's tokens may act as, with the X-Service-Provider header on v3" })
  @ApiOkResponse({ type: RepresentationsResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  setRepresentations(@IntIdParam('id') id: number, @Body() dto: SetRepresentationsDto): Promise<RepresentationsResponseDto> {
    return this.provisioning.setRepresentations(id, dto);
  }

  @Post('cases')
  @Audited('cases:create')
  @ApiCreatedResponse({ type: CaseResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'A case with this guid exists' })
  createCase(@Body() dto: CreateCaseDto): Promise<CaseResponseDto> {
    return this.provisioning.createCase(dto);
  }

  @Post('users')
  @Audited('users:create')
  @ApiCreatedResponse({ type: UserResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'A user with this id exists' })
  createUser(@Body() dto: CreateUserDto): Promise<UserResponseDto> {
    return this.provisioning.createUser(dto);
  }

  @Post('users/:id/tokens')
  @Audited('users:token')
  @ApiBody({ type: IssueTokenDto, required: false, description: 'Optional: a label for the token' })
  @ApiCreatedResponse({ type: IssuedTokenDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  issueUserToken(@GuidParam('id') id: string, @Body() dto: IssueTokenDto): Promise<IssuedTokenDto> {
    return this.provisioning.issueUserToken(id, dto.label);
  }

  @Post('groups')
  @Audited('groups:create')
  @ApiCreatedResponse({ type: GroupResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'A group with this id exists' })
  createGroup(@Body() dto: CreateGroupDto): Promise<GroupResponseDto> {
    return this.provisioning.createGroup(dto);
  }

  @Put('groups/:id/members')
  @Audited('groups:members')
  @ApiOkResponse({ type: GroupResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  setGroupMembers(@GuidParam('id') id: string, @Body() dto: GroupMembersDto): Promise<GroupResponseDto> {
    return this.provisioning.setGroupMembers(id, dto.memberIds);
  }

  @Delete('tokens/:id')
  @Audited('tokens:revoke')
  @HttpCode(200)
  @ApiOkResponse({ type: RevokedTokenDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  revokeToken(@GuidParam('id') id: string): Promise<RevokedTokenDto> {
    return this.provisioning.revokeToken(id);
  }
}
