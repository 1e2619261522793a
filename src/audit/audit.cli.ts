import { DEFAULT_ADMIN_LIMIT } from '../admin/admin-paging';
import { ListAuditQueryDto } from '../admin/dto/lifecycle.dto';
import { validateDto } from '../common/validate-dto';
import { resultId } from './audit.interceptor';
import { AuditService } from './audit.service';
import { auditedAction } from './audited-actions';

export const AUDIT_CLI_USAGE = `  audit:list      [--target KIND:ID] [--action COMMAND] [--limit N] [--cursor C]`;

export async function runAuditCommand(command: string, options: Record<string, string | undefined>, audit: AuditService): Promise<unknown> {
  if (command !== 'audit:list') throw new Error(`Unknown command "${command}"`);
  const query = validateDto(ListAuditQueryDto, { target: options.target, action: options.action, limit: options.limit, cursor: options.cursor });
  return audit.list({ target: query.target, action: query.action }, { limit: query.limit ?? DEFAULT_ADMIN_LIMIT, cursor: query.cursor });
}

/**
 * Records a successful CLI write as the REST route records it, under the same action, with actor `cli`.
 * `accounts:represents` without --providers only reads, and is not recorded.
 */
export async function recordCliWrite(audit: AuditService, command: string, positional: string[], options: Record<string, unknown>, result: unknown): Promise<void> {
  const action = auditedAction(command);
  if (!action || (command === 'accounts:represents' && options.providers === undefined)) return;
  const id = action.resultKey ? (result as Record<string, unknown> | undefined)?.[action.resultKey] : positional[0];
  await audit.recordAction(command, action, id, { args: positional.length > 0 ? positional : undefined, options: definedOptions(options), result: resultId(result, id) });
}

function definedOptions(options: Record<string, unknown>): Record<string, unknown> | undefined {
  const defined = Object.entries(options).filter(([, value]) => value !== undefined);
  return defined.length > 0 ? Object.fromEntries(defined) : undefined;
}
