import { Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiConflictResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Audited } from '../audit/audited.decorator';
import { AdminAuth } from '../auth/auth.decorators';
import { ErrorResponseDto } from '../http/error-response.dto';
import { DeliveryIdParam } from './delivery-id.pipe';
import { DeliveriesRepository } from './deliveries.repository';
import { DEFAULT_DELIVERY_LIST_LIMIT, DeliveryResponseDto, ListDeliveriesQueryDto, RetryFailedQueryDto, RetryFailedResponseDto, toDeliveryResponse } from './dto/delivery.dto';

@ApiTags('admin')
@AdminAuth()
@Controller('admin/deliveries')
export class DeliveryAdminController {
  constructor(private readonly queue: DeliveriesRepository) {}

  @Get()
  @ApiOperation({ summary: 'E-mail and webhook deliveries, newest first (e.g. ?status=failed)' })
  @ApiOkResponse({ type: [DeliveryResponseDto] })
  async list(@Query() query: ListDeliveriesQueryDto): Promise<DeliveryResponseDto[]> {
    const rows = await this.queue.list(query.status, query.kind, query.limit ?? DEFAULT_DELIVERY_LIST_LIMIT, query.beforeId);
    return rows.map((row) => toDeliveryResponse(row));
  }

  @Get(':id')
  @ApiOperation({ summary: 'One delivery with its attempt log (status code, latency, error per attempt)' })
  @ApiOkResponse({ type: DeliveryResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  async get(@DeliveryIdParam('id') id: string): Promise<DeliveryResponseDto> {
    const { delivery, attempts } = await this.queue.get(id);
    return toDeliveryResponse(delivery, attempts);
  }

  @Post('retry-failed')
  @Audited('deliveries:retry-failed')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send every failed delivery (?kind=email|webhook: of one kind) again now, each with a fresh attempt budget' })
  @ApiOkResponse({ type: RetryFailedResponseDto })
  async retryFailed(@Query() query: RetryFailedQueryDto): Promise<RetryFailedResponseDto> {
    return { retried: await this.queue.retryFailed(query.kind) };
  }

  @Post(':id/retry')
  @Audited('deliveries:retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Send again now with a fresh attempt budget (a failed delivery, or a redelivery of a sent webhook)' })
  @ApiOkResponse({ type: DeliveryResponseDto })
  @ApiNotFoundResponse({ type: ErrorResponseDto })
  @ApiConflictResponse({ type: ErrorResponseDto, description: 'Being sent right now' })
  async retry(@DeliveryIdParam('id') id: string): Promise<DeliveryResponseDto> {
    return toDeliveryResponse(await this.queue.retry(id));
  }
}
