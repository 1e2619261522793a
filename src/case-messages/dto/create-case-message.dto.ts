import { IsEmail, IsIn } from 'class-validator';
import { BooleanField, GuidField, IdField, TextField, TimestampField } from '../../common/validation.decorators';
import { MAX_CONTENT_LENGTH, MAX_REFERENCE_LENGTH, MAX_TYPE_LENGTH } from '../case-messages.constants';
import { CASE_MESSAGE_TYPES, CaseMessageType } from '../case-messages.enums';

/** Body of `POST /api/v3/case-messages/create`, field for field as in the original API. */
export class CreateCaseMessageDto {
  @GuidField({ description: 'Guid of the case', example: '1e0abcb7-b94c-4072-a9c0-37072a1ef015' })
  guid: string;

  @TextField({ optional: true, nullable: true, maxLength: MAX_CONTENT_LENGTH, description: 'Message text', example: 'Test message' })
  content?: string | null;

  @TextField(
    { maxLength: MAX_TYPE_LENGTH, enum: CaseMessageType, description: 'Message type', example: CaseMessageType.ServiceComment },
    IsIn(CASE_MESSAGE_TYPES, { message: `$property must be one of [${CASE_MESSAGE_TYPES.join(', ')}]` }),
  )
  type: CaseMessageType;

  @TimestampField({ optional: true, description: 'Actual time when the status was added: ISO 8601 with date, time and timezone; the current time when empty', example: '2017-07-25T10:12:54.003Z' })
  declaredAt?: string | null;

  @TextField({
    optional: true,
    nullable: true,
    maxLength: MAX_REFERENCE_LENGTH,
    description: 'Reference to the message in another system; a retry with the same externalId returns the stored message. An empty string counts as absent.',
    example: 'test-42',
  })
  externalId?: string | null;

  @IdField({ optional: true, nullable: true, description: 'Our id of the message to reply to; it must belong to the same case', example: 1 })
  parentMessageId?: number | null;

  @TextField(
    { optional: true, nullable: true, maxLength: MAX_REFERENCE_LENGTH, format: 'email', description: 'E-mail of the person who wrote the message', example: 'jane.doe@example.com' },
    IsEmail({}, { message: '$property must be a valid email' }),
  )
  userEmail?: string | null;

  @TextField({ optional: true, nullable: true, maxLength: MAX_REFERENCE_LENGTH, description: 'Name of the person who wrote the message', example: 'Jane Doe' })
  userName?: string | null;

  @BooleanField({ optional: true, description: 'A note for the sending account only: the other party never sees it, no webhook announces it', example: false })
  isInternal?: boolean;
}
