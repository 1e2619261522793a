import { ApiProperty } from '@nestjs/swagger';
import { AccountType, UserRole } from '../../directory/directory.enums';
import { LifecycleStatus } from './lifecycle.dto';

export class AccountDetailsDto {
  @ApiProperty({ type: 'integer', example: 1009 }) id: number;
  @ApiProperty({ enum: AccountType }) type: AccountType;
  @ApiProperty({ example: 'ACME Insurance' }) name: string;
  @ApiProperty({ enum: LifecycleStatus }) status: LifecycleStatus;
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) createdAt: string;
  @ApiProperty({ nullable: true, type: String, example: null }) deactivatedAt: string | null;
  @ApiProperty({ nullable: true, type: String, example: null, description: 'The URL of its default webhook (PUT /admin/accounts/{id}/webhook)' })
  webhookUrl: string | null;
}

export class UserDetailsDto {
  @ApiProperty({ example: '1110ac3b-fa49-e540-ac2f-8caff3dd72ed' }) id: string;
  @ApiProperty({ example: 'customer1@bimplus.net' }) email: string;
  @ApiProperty({ nullable: true, type: String }) name: string | null;
  @ApiProperty({ enum: UserRole }) role: UserRole;
  @ApiProperty({ enum: LifecycleStatus }) status: LifecycleStatus;
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) createdAt: string;
  @ApiProperty({ nullable: true, type: String, example: null }) deactivatedAt: string | null;
}

export class TokenDetailsDto {
  @ApiProperty({ example: '0b0c9a0e-6f0e-4a4e-9d55-0a2b3c4d5e6f' }) id: string;
  @ApiProperty({ nullable: true, type: String, example: 'back-office export' }) label: string | null;
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) createdAt: string;
  @ApiProperty({ nullable: true, type: String, description: 'At most a minute stale: uses are recorded in memory and written once a minute' })
  lastUsedAt: string | null;
  @ApiProperty({ nullable: true, type: String }) revokedAt: string | null;
}

export class GroupSummaryDto {
  @ApiProperty({ example: '5e1f0000-0000-4000-8000-000000000001' }) id: string;
  @ApiProperty({ example: 'Support team' }) name: string;
  @ApiProperty({ nullable: true, type: String, example: 'First-level support' }) description: string | null;
}

export class DeletedGroupDto {
  @ApiProperty() id: string;
  @ApiProperty({ example: true }) deleted: boolean;
}

/** What an erasure removed or scrubbed, by kind: the operator's receipt for the person who asked. */
export class ErasureReportDto {
  @ApiProperty({ example: true }) erased: boolean;
  @ApiProperty({ type: 'integer' }) tokens: number;
  @ApiProperty({ type: 'integer' }) groupMemberships: number;
  @ApiProperty({ type: 'integer', description: 'Inbox rows (the messages stay with their other recipients)' }) recipientRows: number;
  @ApiProperty({ type: 'integer', description: 'E-mail deliveries to the user, pending or done, with their attempt logs' }) deliveries: number;
  @ApiProperty({ type: 'integer' }) streamEvents: number;
  @ApiProperty({ type: 'integer', description: 'Messages the user sent: content kept, sender id and e-mail removed' }) sentMessagesScrubbed: number;
  @ApiProperty({ type: 'integer', description: 'Messages addressed to the user alone: receiver id and e-mail removed' }) receivedMessagesScrubbed: number;
  @ApiProperty({ type: 'integer', description: 'Case messages whose userEmail was the address' }) caseMessagesScrubbed: number;
  @ApiProperty({ type: 'integer', description: 'Stored idempotent responses that named the user' }) idempotencyKeys: number;
  @ApiProperty({ type: 'integer', description: 'Audit entries whose target or details named the user (rewritten, not removed)' }) auditEntriesScrubbed: number;
}

export class AuditEntryDto {
  @ApiProperty({ example: '42' }) id: string;
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) at: string;
  @ApiProperty({ example: 'admin:1a2b3c4d', description: '`cli`, or `admin:` and the first 8 hex digits of the SHA-256 of ADMIN_TOKEN' }) actor: string;
  @ApiProperty({ example: 'accounts:deactivate' }) action: string;
  @ApiProperty({ example: 'account:12' }) target: string;
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'The request, with secrets masked' }) details: Record<string, unknown>;
}
