import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface AuditRow {
  id: string;
  at: Date;
  actor: string;
  action: string;
  target: string;
  details: Record<string, unknown>;
}

export interface AuditFilter {
  target?: string;
  action?: string;
}

/** The audit_log table: appended to by every admin write, read newest first (by id, or on ix_audit_log_target_id for one target). */
@Injectable()
export class AuditRepository {
  constructor(private readonly dataSource: DataSource) {}

  async insert(entry: Pick<AuditRow, 'actor' | 'action' | 'target' | 'details'>): Promise<void> {
    await this.dataSource.query(`INSERT INTO audit_log (actor, action, target, details) VALUES ($1, $2, $3, $4)`, [
      entry.actor,
      entry.action,
      entry.target,
      JSON.stringify(entry.details),
    ]);
  }

  /** At most `limit` entries older than `beforeId`, newest first. */
  list(filter: AuditFilter, page: { limit: number; beforeId?: string }): Promise<AuditRow[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    const add = (sql: string, value: unknown) => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (filter.target !== undefined) add('target = ?', filter.target);
    if (filter.action !== undefined) add('action = ?', filter.action);
    if (page.beforeId !== undefined) add('audit_log.id < ?::bigint', page.beforeId);
    params.push(page.limit);
    return this.dataSource.query(
      `SELECT id::text AS id, at, actor, action, target, details FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY audit_log.id DESC LIMIT $${params.length}`,
      params,
    );
  }
}
