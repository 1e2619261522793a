import { ApiProperty } from '@nestjs/swagger';
import { CaseMessageType, SenderType } from '../case-messages.enums';

/** The one v3 message shape (create, list, feed, webhooks): the original keys plus parentMessageId, userEmail, userName, isInternal. */
export class CaseMessageResponseDto {
  @ApiProperty({ type: 'integer', example: 1 }) id: number;
  @ApiProperty({ type: 'integer', example: 7748 }) caseId: number;
  @ApiProperty({ example: '1e0abcb7-b94c-4072-a9c0-37072a1ef015', format: 'uuid' }) guid: string;
  @ApiProperty({ example: 1009, nullable: true, type: 'integer', description: 'null when the system sent it' }) senderAccountId: number | null;
  @ApiProperty({ enum: SenderType, example: SenderType.Partner, nullable: true, description: 'null when the system sent it' }) senderType: SenderType | null;
  @ApiProperty({ example: 'Test message', nullable: true, type: String }) content: string | null;
  @ApiProperty({ enum: CaseMessageType, example: CaseMessageType.ServiceComment }) type: CaseMessageType;
  @ApiProperty({ example: 'test-42', nullable: true, type: String }) externalId: string | null;
  @ApiProperty({ example: null, nullable: true, type: String, format: 'date-time', description: 'When the receiving side confirmed it' })
  confirmedAt: string | null;
  @ApiProperty({ example: '2017-07-26T14:02:02.170Z', format: 'date-time' }) createdAt: string;
  @ApiProperty({ example: '2017-07-26T14:02:02.170Z', format: 'date-time', description: 'Changes when the message is confirmed' }) updatedAt: string;
  @ApiProperty({ example: '2017-07-25T10:12:54.003Z', format: 'date-time' }) declaredAt: string;
  @ApiProperty({ example: null, nullable: true, type: 'integer', description: 'The message this one replies to' }) parentMessageId: number | null;
  @ApiProperty({ example: 'jane.doe@example.com', nullable: true, type: String }) userEmail: string | null;
  @ApiProperty({ example: 'Jane Doe', nullable: true, type: String }) userName: string | null;
  @ApiProperty({ example: false, description: 'Seen only by the sending account' }) isInternal: boolean;
}

export class ConfirmErrorDto {
  @ApiProperty({ type: 'integer', example: 11 }) id: number;
  @ApiProperty({ enum: ['Not found', 'No access', 'Own message'], example: 'Not found' }) message: string;
}

export class ConfirmDataDto {
  @ApiProperty({ type: 'integer', isArray: true, example: [4377], description: 'Confirmed by this call' }) confirmed: number[];
  @ApiProperty({ type: 'integer', isArray: true, example: [4378], description: 'Already confirmed before; the first confirmedAt is kept' }) alreadyConfirmed: number[];
}

/** Confirm always answers 200 for a valid body; per-id failures are in `errors`, in input order. */
export class ConfirmResponseDto {
  @ApiProperty({ example: true }) success: boolean;
  @ApiProperty({ type: [ConfirmErrorDto] }) errors: ConfirmErrorDto[];
  @ApiProperty({ type: ConfirmDataDto }) data: ConfirmDataDto;
}
