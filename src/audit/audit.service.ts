import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { AdminPage, readCursor, toPage } from '../admin/admin-paging';
import { AuditEntryDto } from '../admin/dto/lifecycle-response.dto';
import { AuditFilter, AuditRepository, AuditRow } from './audit.repository';
import { maskSecrets } from './audit-masking';
import { AuditedAction, auditTarget } from './audited-actions';

/** Who the admin writes of this process are attributed to: `cli`, or `admin:<hash prefix>` in the server. */
export const AUDIT_ACTOR = Symbol('AUDIT_ACTOR');

/** The audit actor for requests authenticated by `adminToken`: names which admin token without revealing it. */
export function adminActor(adminToken: string | undefined): string {
  return `admin:${createHash('sha256').update(adminToken ?? '').digest('hex').slice(0, 8)}`;
}

/**
 * A target in the audit log that does not name the erased user: `user:erased:` and the first 16 hex digits
 * of the id's SHA-256, so an operator who knows the id can still find the erasure, and nobody else learns it.
 */
export function erasedUserTarget(userId: string): string {
  return `user:erased:${createHash('sha256').update(userId.toLowerCase()).digest('hex').slice(0, 16)}`;
}

@Injectable()
export class AuditService {
  constructor(
    private readonly entries: AuditRepository,
    @Inject(AUDIT_ACTOR) private readonly actor: string,
  ) {}

  /**
   * Records one admin write on the object `id`; the details are masked here, so no caller can store a secret
   * by mistake, and an erasure keeps none (they would name the person).
   */
  recordAction(name: string, action: AuditedAction, id: unknown, details: Record<string, unknown>): Promise<void> {
    const target = auditTarget(action, id, erasedUserTarget);
    const kept = action.erasesTarget ? {} : (maskSecrets(withoutUndefined(details)) as Record<string, unknown>);
    return this.entries.insert({ actor: this.actor, action: name, target, details: kept });
  }

  async list(filter: AuditFilter, page: { limit: number; cursor?: string }): Promise<AdminPage<AuditEntryDto>> {
    const after = readCursor<[string]>(page.cursor, 1, ([id]) => typeof id === 'string' && /^\d{1,18}$/.test(id));
    const rows = await this.entries.list(filter, { limit: page.limit + 1, beforeId: after?.[0] });
    return toPage(rows, page.limit, (row) => [row.id], toAuditEntry);
  }
}

function withoutUndefined(details: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(details).filter(([, value]) => value !== undefined));
}

function toAuditEntry(row: AuditRow): AuditEntryDto {
  return { id: row.id, at: row.at.toISOString(), actor: row.actor, action: row.action, target: row.target, details: row.details };
}
