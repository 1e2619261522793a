import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsEmail, IsInt, Max, Min } from 'class-validator';
import { EnumField, GuidField, IdField, IsLooseUuid, MAX_EMAIL_LENGTH, Required, TextField } from '../../common/validation.decorators';
import { MAX_INT4 } from '../../common/int-id';
import { AccountType, UserRole } from '../../directory/directory.enums';
import { WEBHOOK_SECRET_DESCRIPTION } from '../../delivery/webhook/dto/webhook.dto';

export const MAX_GROUP_MEMBERS = 100_000;
export const MAX_REPRESENTED_PROVIDERS = 10_000;
export const MAX_NAME_LENGTH = 255;
export const MAX_GROUP_DESCRIPTION_LENGTH = 1000;

export class CreateAccountDto {
  @EnumField(AccountType, { example: AccountType.Partner })
  type: AccountType;

  @TextField({ minLength: 1, maxLength: MAX_NAME_LENGTH, example: 'ACME Insurance' })
  name: string;
}

export class IssueTokenDto {
  @TextField({ optional: true, maxLength: MAX_NAME_LENGTH, example: 'back-office export' })
  label?: string;
}

export class SetWebhookDto {
  @TextField({ maxLength: 2048, example: 'https://backoffice.example.com/hooks/messages' })
  url: string;

  @TextField({ minLength: 16, maxLength: MAX_NAME_LENGTH, example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: WEBHOOK_SECRET_DESCRIPTION })
  secret: string;
}

/** The provider accounts an integrator account's tokens may act as, replacing the ones it had. */
export class SetRepresentationsDto {
  @ApiProperty({ type: 'integer', isArray: true, example: [2, 5], maxItems: MAX_REPRESENTED_PROVIDERS, description: 'Provider account ids; [] for none' })
  @Required()
  @IsInt({ each: true, message: '$property must contain account ids (positive integers)' })
  @Min(1, { each: true, message: '$property must contain account ids (positive integers)' })
  @Max(MAX_INT4, { each: true, message: '$property must contain account ids (positive integers)' })
  @ArrayMaxSize(MAX_REPRESENTED_PROVIDERS)
  @IsArray({ message: '$property must be an array' })
  providerAccountIds: number[];
}

export class CreateCaseDto {
  @GuidField({ optional: true, example: '1e0abcb7-b94c-4072-a9c0-37072a1ef015', description: 'Generated when omitted' })
  guid?: string;

  @IdField({ example: 1 })
  partnerAccountId: number;

  @IdField({ example: 2 })
  providerAccountId: number;
}

export class CreateUserDto {
  @GuidField({ optional: true, example: '1110ac3b-fa49-e540-ac2f-8caff3dd72ed', description: 'Generated when omitted' })
  id?: string;

  @TextField({ maxLength: MAX_EMAIL_LENGTH, format: 'email', example: 'customer1@bimplus.net' }, IsEmail({}, { message: '$property must be an e-mail address' }))
  email: string;

  @TextField({ optional: true, maxLength: MAX_NAME_LENGTH, example: 'Customer One' })
  name?: string;

  @EnumField(UserRole, { optional: true, default: UserRole.User })
  role?: UserRole;
}

export class GroupMembersDto {
  @ApiProperty({ type: String, isArray: true, format: 'uuid', example: ['1110ac3b-fa49-e540-ac2f-8caff3dd72ed'], maxItems: MAX_GROUP_MEMBERS })
  @Required()
  @IsLooseUuid({ each: true, message: '$property must contain user ids (GUIDs)' })
  @ArrayMaxSize(MAX_GROUP_MEMBERS)
  @IsArray({ message: '$property must be an array' })
  memberIds: string[];
}

export class CreateGroupDto extends GroupMembersDto {
  @GuidField({ optional: true, example: '5e1f0000-0000-4000-8000-000000000001', description: 'Generated when omitted' })
  id?: string;

  @TextField({ minLength: 1, maxLength: MAX_NAME_LENGTH, example: 'Support team' })
  name: string;

  @TextField({ optional: true, nullable: true, maxLength: MAX_GROUP_DESCRIPTION_LENGTH, example: 'First-level support' })
  description?: string | null;
}
