import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsObject, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';
import { IsLooseUuid, Required } from '../../common/validation.decorators';

export const MAX_TEXT_LENGTH = 255;
export const MAX_EMAIL_LENGTH = 320;
export const MAX_ADDITIONAL_DATA_LENGTH = 65_536;
// Deliberately loose: one "@" with something on both sides. Stricter checks reject real addresses.
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+$/;

/** Accepts the severities case-insensitively; the service maps them to the canonical spelling. */
const SEVERITY_INPUT = /^(info|warning|warn|error)$/i;

export class ReceiverInputDto {
  @ApiProperty({ description: 'A user id or a group id', example: '1e2223bf-fa49-e540-ac2f-8caff3dd72ed' })
  @Required()
  @IsLooseUuid()
  @IsString()
  id: string;

  @ApiPropertyOptional({ type: String, description: 'For a user: the address the e-mail goes to (default: the user\'s own). Ignored for a group.', maxLength: MAX_EMAIL_LENGTH })
  @IsOptional()
  @MaxLength(MAX_EMAIL_LENGTH)
  @Matches(EMAIL_PATTERN, { message: '$property must be an e-mail address' })
  @IsString()
  email?: string | null;
}

export class SenderInputDto {
  @ApiProperty({ example: '1110ac3b-fa49-e540-ac2f-8caff3dd72ed' })
  @Required()
  @IsLooseUuid()
  @IsString()
  id: string;

  @ApiPropertyOptional({ type: String, description: 'Only honoured for service callers; default: the sender user\'s address', maxLength: MAX_EMAIL_LENGTH })
  @IsOptional()
  @MaxLength(MAX_EMAIL_LENGTH)
  @Matches(EMAIL_PATTERN, { message: '$property must be an e-mail address' })
  @IsString()
  email?: string | null;
}

/**
 * The body of POST /v2/messages after key normalisation (see normalizeCreateBody): keys are
 * matched case-insensitively, unknown keys (and `id`, `timestamp`) are dropped before validation.
 * In every DTO of this file, class-validator checks the decorator nearest the property first, so the
 * type check sits there and is the error reported for a value of the wrong type.
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

  @ApiProperty({ example: 'ServiceName', maxLength: MAX_TEXT_LENGTH })
  @Required()
  @MinLength(1)
  @MaxLength(MAX_TEXT_LENGTH)
  @IsString()
  source: string;

  @ApiProperty({ example: 'SKETCHUP_JOB', maxLength: MAX_TEXT_LENGTH })
  @Required()
  @MinLength(1)
  @MaxLength(MAX_TEXT_LENGTH)
  @IsString()
  topic: string;

  @ApiProperty({ enum: ['Info', 'Warning', 'Error'], description: 'Case-insensitive; `Warn` means `Warning`', example: 'Warning' })
  @Required()
  @Matches(SEVERITY_INPUT, { message: '$property must be one of [Info, Warning, Error]' })
  @IsString()
  severity: string;

  @ApiProperty({ example: 'FILE_TOO_BIG', maxLength: MAX_TEXT_LENGTH })
  @Required()
  @MinLength(1)
  @MaxLength(MAX_TEXT_LENGTH)
  @IsString()
  returnCode: string;

  @ApiPropertyOptional({ type: Boolean, default: true, description: 'true queues an e-mail to each recipient; false stores it as already read by e-mail' })
  @IsOptional()
  @IsBoolean()
  unreadEmail?: boolean | null;

  @ApiPropertyOptional({ type: Boolean, default: true, description: 'true pushes a popup to each recipient; false only stores it' })
  @IsOptional()
  @IsBoolean()
  unreadBrowserNotification?: boolean | null;

  @ApiPropertyOptional({ type: String, maxLength: MAX_ADDITIONAL_DATA_LENGTH, nullable: true })
  @IsOptional()
  @MaxLength(MAX_ADDITIONAL_DATA_LENGTH)
  @IsString()
  additionalData?: string | null;

  @ApiPropertyOptional({ type: String, description: 'Id of a related message', nullable: true, example: 'de96f4ae-79fd-4d83-99e9-07cec7a80906' })
  @IsOptional()
  @IsLooseUuid()
  @IsString()
  correlationId?: string | null;
}
