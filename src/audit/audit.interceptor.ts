import { CallHandler, ExecutionContext, Injectable, Logger, NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { from, mergeMap, Observable } from 'rxjs';
import { AUDITED_KEY } from './audited.decorator';
import { AuditedAction, auditedAction } from './audited-actions';
import { AuditService } from './audit.service';

/**
 * Records each successful admin write marked @Audited before its response is sent, so an operator who
 * reads the log right after a change finds it. A write that failed changed nothing and is not recorded.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  private readonly logger = new Logger(AuditInterceptor.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditService,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const name = this.reflector.get<string | undefined>(AUDITED_KEY, context.getHandler());
    const action = name === undefined ? undefined : auditedAction(name);
    if (!name || !action) return next.handle();
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    const params = (request.params ?? {}) as Record<string, string>;
    return next.handle().pipe(
      mergeMap((result) => {
        const id = action.resultKey ? (result as Record<string, unknown> | undefined)?.[action.resultKey] : params[action.param ?? 'id'];
        const details = { params: nonEmpty(params), query: nonEmpty(request.query), body: nonEmpty(request.body), result: resultId(result, id) };
        return from(this.record(name, action, id, details).then(() => result));
      }),
    );
  }

  private async record(name: string, action: AuditedAction, id: unknown, details: Record<string, unknown>): Promise<void> {
    try {
      await this.audit.recordAction(name, action, id, details);
    } catch (error) {
      this.logger.error(`could not record ${name} in the audit log: ${(error as Error).message}`);
    }
  }
}

function nonEmpty(value: unknown): unknown {
  return value !== null && typeof value === 'object' && Object.keys(value).length === 0 ? undefined : value;
}

/**
 * The id of what the write returned when it is not the target's (an issued token's, a created case's),
 * never the rest of it (an issued token's secret).
 */
export function resultId(result: unknown, targetId: unknown): { id: unknown } | undefined {
  if (result === null || typeof result !== 'object' || !('id' in result)) return undefined;
  const { id } = result as { id: unknown };
  return String(id).toLowerCase() === String(targetId).toLowerCase() ? undefined : { id };
}
