import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export const CHART_BUCKETS = 12;
const BUCKET_SECONDS = 300;

export interface OverviewCounts {
  accounts: number;
  users: number;
  cases: number;
  groups: number;
  queueDepth: number;
  failedDeliveries: number;
}

/** The console's overview in two statements: directory and queue counts, and deliveries sent per 5 minutes. */
@Injectable()
export class OverviewRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Exact counts (index-only scans; the deliveries' by ix_deliveries_status_id): an operator asks now and then. */
  async counts(): Promise<OverviewCounts> {
    const [row] = await this.dataSource.query(
      `SELECT (SELECT count(*) FROM accounts)::int AS accounts, (SELECT count(*) FROM users)::int AS users,
              (SELECT count(*) FROM cases)::int AS cases, (SELECT count(*) FROM groups)::int AS groups,
              (SELECT count(*) FROM deliveries WHERE status IN ('pending', 'sending'))::int AS "queueDepth",
              (SELECT count(*) FROM deliveries WHERE status = 'failed')::int AS "failedDeliveries"`,
    );
    return row;
  }

  /** Deliveries sent in each 5-minute slice of the last hour, oldest first (ix_deliveries_sent_at). */
  async sentPerBucket(): Promise<number[]> {
    const rows: Array<{ bucket: number; n: number }> = await this.dataSource.query(
      `SELECT floor(extract(epoch FROM now() - sent_at) / ${BUCKET_SECONDS})::int AS bucket, count(*)::int AS n
         FROM deliveries WHERE sent_at > now() - interval '${CHART_BUCKETS * BUCKET_SECONDS} seconds' GROUP BY 1`,
    );
    const buckets = new Array<number>(CHART_BUCKETS).fill(0);
    for (const row of rows) if (row.bucket >= 0 && row.bucket < CHART_BUCKETS) buckets[CHART_BUCKETS - 1 - row.bucket] = row.n;
    return buckets;
  }
}
