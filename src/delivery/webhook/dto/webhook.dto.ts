import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMinSize, ArrayUnique, IsArray, IsIn, IsObject, IsOptional } from 'class-validator';
import { EnumField, Required, TextField } from '../../../common/validation.decorators';
import { WebhookEvent, WebhookMethod, WebhookPayloadVersion, WebhookTransport } from '../../delivery.enums';

/** Shown on both webhook APIs: the two secret forms and what a receiver gives its verifier. */
export const WEBHOOK_SECRET_DESCRIPTION =
  'Signs every delivery (X-Webhook-Signature and the Standard Webhooks webhook-signature); never shown again. ' +
  '`whsec_` + base64 of 24 to 64 bytes is the Standard Webhooks form; any other string is used as its UTF-8 bytes.';

export const MAX_WEBHOOK_HEADERS = 20;
const WEBHOOK_EVENTS = Object.values(WebhookEvent);

/**
 * The fields of a webhook. Create requires events, transport, url and secret; update (PATCH) takes any of
 * them, and the webhook it makes must be valid as a whole (WebhooksService checks the rules across fields).
 */
function WebhookFields(create: boolean) {
  const optional = !create;
  class Fields {
    @ApiProperty({ enum: WebhookEvent, isArray: true, required: create, example: [WebhookEvent.MessageCreated, WebhookEvent.MessageConfirmed] })
    @(create ? Required() : IsOptional())
    @IsIn(WEBHOOK_EVENTS, { each: true, message: `$property must contain only ${WEBHOOK_EVENTS.join(', ')}` })
    @ArrayUnique({ message: '$property must not repeat an event' })
    @ArrayMinSize(1, { message: '$property must contain at least one event' })
    @IsArray({ message: '$property must be an array' })
    events?: WebhookEvent[];

    @EnumField(WebhookTransport, { optional })
    transport?: WebhookTransport;

    @TextField({ optional, maxLength: 2048, example: 'https://backoffice.example.com/hooks/messages', description: 'http(s):// for http, amqp(s):// for amqp' })
    url?: string;

    @TextField({ optional, minLength: 16, maxLength: 255, example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', description: WEBHOOK_SECRET_DESCRIPTION })
    secret?: string;

    @EnumField(WebhookMethod, { optional: true, description: 'http only; default POST' })
    method?: WebhookMethod;

    @ApiPropertyOptional({
      type: 'object',
      additionalProperties: { type: 'string' },
      example: { 'X-Api-Key': 'backoffice-key' },
      description: `http only: constant headers, at most ${MAX_WEBHOOK_HEADERS}; not Host, Content-Length, Content-Type, X-Webhook-* or Webhook-*`,
    })
    @IsOptional()
    @IsObject({ message: '$property must be an object of header names to values' })
    headers?: Record<string, string>;

    @TextField({ optional: true, maxLength: 255, example: '', description: 'amqp only; default "" (the default exchange, which routes by queue name)' })
    exchange?: string;

    @TextField({ optional: true, nullable: true, maxLength: 255, example: 'backoffice.messages', description: 'amqp only; required with the default exchange (the queue name)' })
    routingKey?: string | null;

    @EnumField(WebhookPayloadVersion, { optional: true, description: 'v3 (default): the v3 message object; v1: {id, guid, content, type, createdAt, updatedAt[, confirmedAt]}' })
    payloadVersion?: WebhookPayloadVersion;
  }
  return Fields;
}

/** `POST /admin/accounts/{id}/webhooks`. */
export class CreateWebhookDto extends WebhookFields(true) {}

/** `PATCH /admin/webhooks/{id}`: only the fields given change. */
export class UpdateWebhookDto extends WebhookFields(false) {}

export class WebhookResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ type: 'integer', example: 1009 }) accountId: number;
  @ApiProperty({ enum: WebhookEvent, isArray: true }) events: WebhookEvent[];
  @ApiProperty({ enum: WebhookTransport }) transport: WebhookTransport;
  @ApiProperty({ example: 'amqp://backoffice:***@broker.example.com:5672/', description: 'A password in the URL is shown as ***' }) url: string;
  @ApiProperty({ enum: WebhookMethod }) method: WebhookMethod;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) headers: Record<string, string>;
  @ApiProperty({ example: '' }) exchange: string;
  @ApiProperty({ nullable: true, type: String }) routingKey: string | null;
  @ApiProperty({ enum: WebhookPayloadVersion }) payloadVersion: WebhookPayloadVersion;
  @ApiProperty({ description: 'The one PUT /admin/accounts/{id}/webhook manages' }) isDefault: boolean;
  @ApiProperty() createdAt: string;
  @ApiProperty() updatedAt: string;
}

export class DeletedWebhookDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty({ example: true }) deleted: boolean;
}
