import { validateDto } from '../common/validate-dto';
import { DeliveryIdPipe } from './delivery-id.pipe';
import { DeliveriesRepository } from './deliveries.repository';
import { DEFAULT_DELIVERY_LIST_LIMIT, DeliveryResponseDto, ListDeliveriesQueryDto, RetryFailedQueryDto, RetryFailedResponseDto, toDeliveryResponse } from './dto/delivery.dto';

export const DELIVERY_CLI_USAGE = `  deliveries:list [--status pending|sending|sent|failed|cancelled] [--kind email|webhook|amqp] [--limit N]
  deliveries:show  DELIVERY_ID
  deliveries:retry DELIVERY_ID
  deliveries:retry-failed [--kind email|webhook|amqp]`;

/** The CLI's delivery commands: the same operations and validation as /admin/deliveries. */
export async function runDeliveryCommand(
  command: string,
  positional: string[],
  options: Record<string, string | undefined>,
  queue: DeliveriesRepository,
): Promise<DeliveryResponseDto | DeliveryResponseDto[] | RetryFailedResponseDto> {
  switch (command) {
    case 'deliveries:list': {
      const query = validateDto(ListDeliveriesQueryDto, { status: options.status, kind: options.kind, limit: options.limit });
      return (await queue.list(query.status, query.kind, query.limit ?? DEFAULT_DELIVERY_LIST_LIMIT)).map((row) => toDeliveryResponse(row));
    }
    case 'deliveries:show': {
      const { delivery, attempts } = await queue.get(new DeliveryIdPipe().transform(positional[0] ?? ''));
      return toDeliveryResponse(delivery, attempts);
    }
    case 'deliveries:retry':
      return toDeliveryResponse(await queue.retry(new DeliveryIdPipe().transform(positional[0] ?? '')));
    case 'deliveries:retry-failed': {
      const query = validateDto(RetryFailedQueryDto, { kind: options.kind });
      return { retried: await queue.retryFailed(query.kind) };
    }
    default:
      throw new Error(`Unknown command "${command}"`);
  }
}
