import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsEmail, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { MAX_INT4 } from '../../common/param.pipes';
import { IsLooseUuid, Required } from '../../common/validation.decorators';
import { AccountType, UserRole } from '../../directory/directory.enums';

export const MAX_GROUP_MEMBERS = 100_000;

export class CreateAccountDto {
  @ApiProperty({ enum: AccountType, example: AccountType.Partner })
  @Required()
  @IsIn(Object.values(AccountType), { message: 'type must be one of [partner, provider]' })
  type: AccountType;

  @ApiProperty({ example: 'ACME Insurance', maxLength: 255 })
  @Required()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  name: string;
}

export class IssueTokenDto {
  @ApiPropertyOptional({ example: 'back-office export', maxLength: 255 })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  label?: string;
}

export class SetWebhookDto {
  @ApiProperty({ example: 'https://backoffice.example.com/hooks/messages', maxLength: 2048 })
  @Required()
  @IsString()
  @MaxLength(2048)
  url: string;

  @ApiProperty({ example: 'a-long-random-shared-secret', minLength: 16, maxLength: 255 })
  @Required()
  @IsString()
  @MinLength(16)
  @MaxLength(255)
  secret: string;
}

export class CreateCaseDto {
  @ApiPropertyOptional({ example: '1e0abcb7-b94c-4072-a9c0-37072a1ef015', description: 'Generated when omitted' })
  @IsOptional()
  @IsLooseUuid()
  guid?: string;

  @ApiProperty({ example: 1 })
  @Required()
  @IsInt()
  @Min(1)
  @Max(MAX_INT4, { message: `$property must be less than or equal to ${MAX_INT4}` })
  partnerAccountId: number;

  @ApiProperty({ example: 2 })
  @Required()
  @IsInt()
  @Min(1)
  @Max(MAX_INT4, { message: `$property must be less than or equal to ${MAX_INT4}` })
  providerAccountId: number;
}

export class CreateUserDto {
  @ApiPropertyOptional({ example: '1110ac3b-fa49-e540-ac2f-8caff3dd72ed', description: 'Generated when omitted' })
  @IsOptional()
  @IsLooseUuid()
  id?: string;

  @ApiProperty({ example: 'customer1@bimplus.net', maxLength: 320 })
  @Required()
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(320)
  email: string;

  @ApiPropertyOptional({ example: 'Customer One', maxLength: 255 })
  @IsOptional()
  @IsString()
  @MaxLength(255)
  name?: string;

  @ApiPropertyOptional({ enum: UserRole, default: UserRole.User })
  @IsOptional()
  @IsIn(Object.values(UserRole), { message: 'role must be one of [user, service]' })
  role?: UserRole;
}

export class GroupMembersDto {
  @ApiProperty({ type: [String], example: ['1110ac3b-fa49-e540-ac2f-8caff3dd72ed'] })
  @Required()
  @IsArray()
  @ArrayMaxSize(MAX_GROUP_MEMBERS)
  @IsLooseUuid({ each: true, message: 'memberIds must contain user ids (GUIDs)' })
  memberIds: string[];
}

export class CreateGroupDto extends GroupMembersDto {
  @ApiPropertyOptional({ example: '5e1f0000-0000-4000-8000-000000000001', description: 'Generated when omitted' })
  @IsOptional()
  @IsLooseUuid()
  id?: string;

  @ApiProperty({ example: 'Support team', maxLength: 255 })
  @Required()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  name: string;
}
