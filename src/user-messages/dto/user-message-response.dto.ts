import { ApiProperty } from '@nestjs/swagger';
import { ReceiverType, Severity } from '../user-messages.enums';

export class MessagePartyDto {
  @ApiProperty({ example: '1110ac3b-fa49-e540-ac2f-8caff3dd72ed' })
  id: string;

  @ApiProperty({ type: String, nullable: true, example: 'customer1@bimplus.net', description: 'null for a group receiver' })
  email: string | null;
}

/** A message as the caller sees it: its own flags as a recipient, the recipients' flags as its sender. */
export class UserMessageResponseDto {
  @ApiProperty({ example: '4633d522-53aa-4d81-90b4-704681e0573d' })
  id: string;

  @ApiProperty({ type: MessagePartyDto, nullable: true, description: 'null for a message without sender' })
  sender: MessagePartyDto | null;

  @ApiProperty({ type: MessagePartyDto })
  receiver: MessagePartyDto;

  @ApiProperty({ enum: ReceiverType })
  receiverType: ReceiverType;

  @ApiProperty({ example: 'ServiceName' })
  source: string;

  @ApiProperty({ example: 'SKETCHUP_JOB' })
  topic: string;

  @ApiProperty({ enum: Severity })
  severity: Severity;

  @ApiProperty({ example: 'FILE_TOO_BIG' })
  returnCode: string;

  @ApiProperty({ example: '2013-11-15T10:55:53.000Z', description: 'ISO 8601 UTC, millisecond precision' })
  timestamp: string;

  @ApiProperty()
  unreadEmail: boolean;

  @ApiProperty()
  unreadBrowserNotification: boolean;

  @ApiProperty({ type: String, nullable: true })
  additionalData: string | null;

  @ApiProperty({ type: String, nullable: true })
  correlationId: string | null;
}

export class UnreadCountDto {
  @ApiProperty({ type: 'integer', example: 3, description: 'Messages with unreadBrowserNotification=true' })
  browser: number;

  @ApiProperty({ type: 'integer', example: 1, description: 'Messages with unreadEmail=true' })
  email: number;
}

export class MarkAllResultDto {
  @ApiProperty({ type: 'integer', example: 12, description: 'How many messages changed' })
  updated: number;
}
