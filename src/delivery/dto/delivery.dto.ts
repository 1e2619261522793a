import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { EnumField, PageLimit } from '../../common/validation.decorators';
import { DeliveryKind, DeliveryStatus, WebhookEvent } from '../delivery.enums';
import { AttemptRow, DeliveryRow } from '../deliveries.repository';

/** Page size of the delivery list when none is given (REST and CLI alike). */
export const DEFAULT_DELIVERY_LIST_LIMIT = 100;
const MAX_DELIVERY_LIST_LIMIT = 1000;

/** A page of deliveries, newest first (keyset on the id). */
export class DeliveryPageQueryDto {
  @PageLimit(MAX_DELIVERY_LIST_LIMIT, DEFAULT_DELIVERY_LIST_LIMIT)
  limit?: number;

  @ApiPropertyOptional({ description: 'Only deliveries with a smaller id (next page: the last id seen)', pattern: '^[0-9]{1,18}$' })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'beforeId must be a delivery id' })
  beforeId?: string;
}

export class ListDeliveriesQueryDto extends DeliveryPageQueryDto {
  @EnumField(DeliveryStatus, { optional: true })
  status?: DeliveryStatus;

  @EnumField(DeliveryKind, { optional: true })
  kind?: DeliveryKind;
}

export class RetryFailedQueryDto {
  @EnumField(DeliveryKind, { optional: true, description: 'Only this kind (default: all)' })
  kind?: DeliveryKind;
}

export class RetryFailedResponseDto {
  @ApiProperty({ example: 366, description: 'How many failed deliveries are pending again' })
  retried: number;
}

export class DeliveryAttemptResponseDto {
  @ApiProperty({ type: 'integer', example: 1 }) attempt: number;
  @ApiProperty() ok: boolean;
  @ApiProperty({ nullable: true, type: 'integer', example: 503, description: 'HTTP status (webhooks) or SMTP reply code (e-mail)' })
  statusCode: number | null;
  @ApiProperty({ type: 'integer', example: 42 }) latencyMs: number;
  @ApiProperty({ nullable: true, type: String }) error: string | null;
  @ApiProperty({ example: '2026-11-22T10:00:00.000Z' }) attemptedAt: string;
}

export class DeliveryResponseDto {
  @ApiProperty({ example: '42', description: 'Delivery id (a 64-bit integer, as a string); X-Webhook-Id and the AMQP message_id' }) id: string;
  @ApiProperty({ enum: DeliveryKind }) kind: DeliveryKind;
  @ApiProperty({ enum: DeliveryStatus }) status: DeliveryStatus;
  @ApiProperty({ description: 'v2 message id (e-mail) or v3 case message id (webhook)' }) messageId: string;
  @ApiProperty({ nullable: true, type: String, description: 'Recipient user (e-mail)' }) userId: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'E-mail address' }) address: string | null;
  @ApiProperty({ nullable: true, type: 'integer', description: 'Receiving account (webhook)' }) accountId: number | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid', description: 'The webhook (null for e-mails, and once the webhook is deleted)' })
  webhookId: string | null;
  @ApiProperty({ nullable: true, enum: WebhookEvent, description: 'The webhook event (null for e-mails); X-Webhook-Event' }) event: WebhookEvent | null;
  @ApiProperty({ type: 'integer', example: 3 }) attempts: number;
  @ApiProperty({ description: 'When the next attempt is due (pending) or the lease ends (sending)' }) nextAttemptAt: string;
  @ApiProperty({ nullable: true, type: String }) lastError: string | null;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
  @ApiProperty({ nullable: true, type: String }) sentAt: string | null;
  @ApiPropertyOptional({ type: [DeliveryAttemptResponseDto], description: 'Only on GET /admin/deliveries/{id}' })
  attemptLog?: DeliveryAttemptResponseDto[];
}

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());

export function toDeliveryResponse(row: DeliveryRow, attempts?: AttemptRow[]): DeliveryResponseDto {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    messageId: row.messageId,
    userId: row.userId,
    address: row.address,
    accountId: row.accountId,
    webhookId: row.webhookId,
    event: row.event,
    attempts: row.attempts,
    nextAttemptAt: iso(row.runAt) as string,
    lastError: row.lastError,
    createdAt: iso(row.createdAt) as string,
    updatedAt: iso(row.updatedAt) as string,
    sentAt: iso(row.sentAt),
    ...(attempts ? { attemptLog: attempts.map((a) => ({ ...a, attemptedAt: iso(a.attemptedAt) as string })) } : {}),
  };
}
