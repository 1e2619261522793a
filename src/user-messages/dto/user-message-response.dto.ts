import { ApiProperty } from '@nestjs/swagger';
import { AdditionalData } from '../additional-data';
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

  @ApiProperty({ nullable: true, oneOf: [{ type: 'string' }, { type: 'object' }], description: 'As it was given: a text or a dashboard content object' })
  additionalData: AdditionalData;

  @ApiProperty({ type: String, nullable: true })
  correlationId: string | null;
}

/** The group a message was sent to, as it is now. */
export class MessageGroupDto {
  @ApiProperty({ example: '0c82421d-1ca9-4b6a-b6bb-eb5ddcb79760' }) id: string;
  @ApiProperty({ example: 'Bimplus developers' }) name: string;
  @ApiProperty({ nullable: true, type: String, example: 'Group of Bimplus developers' }) description: string | null;
}

/** A message the caller sent to a group (the group-sent list). */
export class GroupSentMessageResponseDto extends UserMessageResponseDto {
  @ApiProperty({ description: 'The group it was sent to (its receiver.id)' })
  groupId: string;

  @ApiProperty({ type: MessageGroupDto, nullable: true, description: 'null once the group is gone' })
  group: MessageGroupDto | null;
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
