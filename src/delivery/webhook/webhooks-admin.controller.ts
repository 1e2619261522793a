import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Audited } from '../../audit/audited.decorator';
import { AdminAuth } from '../../auth/auth.decorators';
import { ErrorResponseDto } from '../../http/error-response.dto';
import { GuidParam, IntIdParam } from '../../http/param.pipes';
import { DeliveryIdParam } from '../delivery-id.pipe';
import { DEFAULT_DELIVERY_LIST_LIMIT, DeliveryPageQueryDto, DeliveryResponseDto, toDeliveryResponse } from '../dto/delivery.dto';
import { CreateWebhookDto, DeletedWebhookDto, UpdateWebhookDto, WebhookResponseDto } from './dto/webhook.dto';
import { WebhooksService } from './webhooks.service';

const NOT_FOUND = { type: ErrorResponseDto };

@ApiTags('admin')
@AdminAuth()
@ApiBadRequestResponse({ type: ErrorResponseDto, description: 'Invalid input; the message names the field' })
@Controller('admin')
export class WebhooksAdminController {
  constructor(private readonly webhooks: WebhooksService) {}

  @Post('accounts/:id/webhooks')
  @Audited('webhooks:create')
  @ApiOperation({ summary: 'Subscribes an account to webhook events, over HTTP or AMQP' })
  @ApiCreatedResponse({ type: WebhookResponseDto })
  @ApiNotFoundResponse(NOT_FOUND)
  create(@IntIdParam('id') accountId: number, @Body() dto: CreateWebhookDto): Promise<WebhookResponseDto> {
    return this.webhooks.create(accountId, dto);
  }

  @Get('accounts/:id/webhooks')
  @ApiOperation({ summary: "An account's webhooks, oldest first" })
  @ApiOkResponse({ type: [WebhookResponseDto] })
  @ApiNotFoundResponse(NOT_FOUND)
  list(@IntIdParam('id') accountId: number): Promise<WebhookResponseDto[]> {
    return this.webhooks.list(accountId);
  }

  @Get('webhooks/:id')
  @ApiOkResponse({ type: WebhookResponseDto })
  @ApiNotFoundResponse(NOT_FOUND)
  get(@GuidParam('id') id: string): Promise<WebhookResponseDto> {
    return this.webhooks.get(id);
  }

  @Patch('webhooks/:id')
  @Audited('webhooks:update')
  @ApiOperation({ summary: 'Changes the fields given; the webhook must stay valid as a whole' })
  @ApiOkResponse({ type: WebhookResponseDto })
  @ApiNotFoundResponse(NOT_FOUND)
  update(@GuidParam('id') id: string, @Body() dto: UpdateWebhookDto): Promise<WebhookResponseDto> {
    return this.webhooks.update(id, dto);
  }

  @Delete('webhooks/:id')
  @Audited('webhooks:delete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Deletes a webhook; its pending deliveries are cancelled, its log is kept' })
  @ApiOkResponse({ type: DeletedWebhookDto })
  @ApiNotFoundResponse(NOT_FOUND)
  delete(@GuidParam('id') id: string): Promise<DeletedWebhookDto> {
    return this.webhooks.delete(id);
  }

  @Get('webhooks/:id/deliveries')
  @ApiOperation({ summary: "The webhook's delivery log, newest first" })
  @ApiOkResponse({ type: [DeliveryResponseDto] })
  @ApiNotFoundResponse(NOT_FOUND)
  async deliveries(@GuidParam('id') id: string, @Query() query: DeliveryPageQueryDto): Promise<DeliveryResponseDto[]> {
    return (await this.webhooks.deliveryLog(id, query.limit ?? DEFAULT_DELIVERY_LIST_LIMIT, query.beforeId)).map((row) => toDeliveryResponse(row));
  }

  @Post('webhooks/:id/deliveries/:deliveryId/redeliver')
  @Audited('webhooks:redeliver')
  @HttpCode(200)
  @ApiOperation({ summary: 'Sends a delivery again (same X-Webhook-Id), with a fresh attempt budget' })
  @ApiOkResponse({ type: DeliveryResponseDto })
  @ApiNotFoundResponse(NOT_FOUND)
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'The delivery is being sent right now' })
  async redeliver(@GuidParam('id') id: string, @DeliveryIdParam('deliveryId') deliveryId: string): Promise<DeliveryResponseDto> {
    return toDeliveryResponse(await this.webhooks.redeliver(id, deliveryId));
  }
}
