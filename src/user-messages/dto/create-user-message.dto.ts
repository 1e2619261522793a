import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsObject, IsOptional, Matches, ValidateNested } from 'class-validator';
import { AdditionalData, AdditionalDataField } from '../additional-data';
import { BooleanField, GuidField, MAX_EMAIL_LENGTH, Required, TextField } from '../../common/validation.decorators';

export const MAX_TEXT_LENGTH = 255;
/**
 * Loose on purpose — one "@" with something on both sides; stricter checks (class-validator's IsEmail)
 * reject real addresses — but never the characters of address-list syntax (`,;:<>()[]"\`): nodemailer
 * parses the string as a list, so `root,attacker@evil.com` or `"Bank"<a@evil.com>` was stored and shown as
 * one address and mailed to another, and `a@[127.0.0.1]` reached an internal host (security review).
 */
const ADDRESS_PATTERN = /^[^\s@"(),:;<>[\]\\]+@[^\s@"(),:;<>[\]\\]+$/;
const IsEmailAddress = () => Matches(ADDRESS_PATTERN, { message: '$property must be an e-mail address' });

/** Accepts the severities case-insensitively; the service maps them to the canonical spelling. */
const SEVERITY_INPUT = /^(info|warning|warn|error)$/i;

export class ReceiverInputDto {
  @GuidField({ description: 'A user id or a group id', example: '1e2223bf-fa49-e540-ac2f-8caff3dd72ed' })
  id: string;

  @TextField(
    { optional: true, maxLength: MAX_EMAIL_LENGTH, format: 'email', description: "For a user: the address the e-mail goes to (default: the user's own). Ignored for a group." },
    IsEmailAddress(),
  )
  email?: string | null;
}

export class SenderInputDto {
  @GuidField({ example: '1110ac3b-fa49-e540-ac2f-8caff3dd72ed' })
  id: string;

  @TextField({ optional: true, maxLength: MAX_EMAIL_LENGTH, format: 'email', description: "Only honoured for service callers; default: the sender user's address" }, IsEmailAddress())
  email?: string | null;
}

/**
 * The body of POST /v2/messages after key normalisation (see normalizeCreateBody): keys are
 * matched case-insensitively, unknown keys (and `id`, `timestamp`) are dropped before validation.
 */
export class CreateUserMessageDto {
  @ApiProperty({ type: ReceiverInputDto })
  @Required()
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => ReceiverInputDto)
  receiver: ReceiverInputDto;

  @ApiPropertyOptional({ type: SenderInputDto, nullable: true, description: 'Default: the caller. Naming another sender needs the service role.' })
  @IsOptional()
  @IsObject({ message: '$property must be an object' })
  @ValidateNested()
  @Type(() => SenderInputDto)
  sender?: SenderInputDto | null;

  @TextField({ minLength: 1, maxLength: MAX_TEXT_LENGTH, example: 'ServiceName' })
  source: string;

  @TextField({ minLength: 1, maxLength: MAX_TEXT_LENGTH, example: 'SKETCHUP_JOB' })
  topic: string;

  @TextField(
    { maxLength: MAX_TEXT_LENGTH, enum: ['Info', 'Warning', 'Error'], description: 'Case-insensitive; `Warn` means `Warning`', example: 'Warning' },
    Matches(SEVERITY_INPUT, { message: '$property must be one of [Info, Warning, Error]' }),
  )
  severity: string;

  @TextField({ minLength: 1, maxLength: MAX_TEXT_LENGTH, example: 'FILE_TOO_BIG' })
  returnCode: string;

  @BooleanField({ optional: true, default: true, description: 'true queues an e-mail to each recipient; false stores it as already read by e-mail' })
  unreadEmail?: boolean | null;

  @BooleanField({ optional: true, default: true, description: 'true pushes a popup to each recipient; false only stores it' })
  unreadBrowserNotification?: boolean | null;

  @AdditionalDataField({ optional: true })
  additionalData?: AdditionalData;

  @GuidField({ optional: true, nullable: true, description: 'Id of a related message', example: 'de96f4ae-79fd-4d83-99e9-07cec7a80906' })
  correlationId?: string | null;
}
