import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { FastifyReply, FastifyRequest } from 'fastify';
import { mapError } from './error-mapping';

/** The single exit for errors: every failure leaves as `{"error": {"message"}}`. */
@Catch()
export class GlobalErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('GlobalErrorFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const context = host.switchToHttp();
    sendError(context.getRequest<FastifyRequest>(), context.getResponse<FastifyReply>(), exception, this.logger);
  }
}

export function sendError(request: FastifyRequest, reply: FastifyReply, exception: unknown, logger: Pick<Logger, 'error' | 'warn'>): void {
  const mapped = mapError(exception);
  if (mapped.unexpected) {
    const detail = exception instanceof Error ? (exception.stack ?? exception.message) : String(exception);
    logger.error(`request ${request.id} failed: ${detail}`);
  } else if (mapped.status === 503) {
    logger.warn(`request ${request.id}: ${mapped.message} (${(exception as Error)?.message})`);
  }
  if (mapped.retryAfterSeconds !== undefined) reply.header('Retry-After', String(mapped.retryAfterSeconds));
  if (reply.sent) return;
  reply.status(mapped.status).header('content-type', 'application/json; charset=utf-8').send({ error: { message: mapped.message } });
}
