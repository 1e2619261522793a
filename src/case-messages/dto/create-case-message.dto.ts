import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { IsIsoTimestamp, IsLooseUuid, Required } from '../../common/validation.decorators';
import { MAX_CONTENT_LENGTH, MAX_REFERENCE_LENGTH, MAX_TYPE_LENGTH } from '../case-messages.constants';
import { CASE_MESSAGE_TYPES, CaseMessageType } from '../case-messages.enums';
import { MAX_INT4 } from '../../common/param.pipes';

/**
 * Body of `POST /api/v3/case-messages/create`, field for field as in the original API.
 * class-validator runs a property's decorators bottom-up: the type check sits last so it is reported first.
 */
export class CreateCaseMessageDto {
  @ApiProperty({ description: 'Guid of the case', example: '1e0abcb7-b94c-4072-a9c0-37072a1ef015', format: 'uuid' })
  @Required()
  @IsLooseUuid()
  guid: string;

  @ApiPropertyOptional({ type: String, description: 'Message text', example: 'Test message', maxLength: MAX_CONTENT_LENGTH, nullable: true })
  @IsOptional()
  @MaxLength(MAX_CONTENT_LENGTH)
  @IsString({ message: '$property must be a string' })
  content?: string | null;

  @ApiProperty({ description: 'Message type', enum: CaseMessageType, example: CaseMessageType.ServiceComment, maxLength: MAX_TYPE_LENGTH })
  @Required()
  @IsIn(CASE_MESSAGE_TYPES, { message: `$property must be one of [${CASE_MESSAGE_TYPES.join(', ')}]` })
  @MaxLength(MAX_TYPE_LENGTH)
  @IsString({ message: '$property must be a string' })
  type: CaseMessageType;

  @ApiPropertyOptional({
    type: String,
    description: 'Actual time when the status was added (ISO 8601); the current time when empty',
    example: '2017-07-25T10:12:54.003Z',
    format: 'date-time',
  })
  @IsOptional()
  @IsIsoTimestamp()
  declaredAt?: string | null;

  @ApiPropertyOptional({
    type: String,
    description: 'Reference to the message in another system; a retry with the same externalId returns the stored message. An empty string counts as absent.',
    example: 'test-42',
    maxLength: MAX_REFERENCE_LENGTH,
    nullable: true,
  })
  @IsOptional()
  @MaxLength(MAX_REFERENCE_LENGTH)
  @IsString({ message: '$property must be a string' })
  externalId?: string | null;

  @ApiPropertyOptional({ type: 'integer', description: 'Our id of the message to reply to; it must belong to the same case', example: 1, nullable: true })
  @IsOptional()
  @Max(MAX_INT4, { message: `$property must be less than or equal to ${MAX_INT4}` })
  @Min(1, { message: '$property must be a positive number' })
  @IsInt({ message: '$property must be an integer' })
  parentMessageId?: number | null;

  @ApiPropertyOptional({ type: String, description: 'E-mail of the person who wrote the message', example: 'jane.doe@example.com', maxLength: MAX_REFERENCE_LENGTH, nullable: true })
  @IsOptional()
  @IsEmail({}, { message: '$property must be a valid email' })
  @MaxLength(MAX_REFERENCE_LENGTH)
  @IsString({ message: '$property must be a string' })
  userEmail?: string | null;

  @ApiPropertyOptional({ type: String, description: 'Name of the person who wrote the message', example: 'Jane Doe', maxLength: MAX_REFERENCE_LENGTH, nullable: true })
  @IsOptional()
  @MaxLength(MAX_REFERENCE_LENGTH)
  @IsString({ message: '$property must be a string' })
  userName?: string | null;
}
