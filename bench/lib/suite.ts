import { Pool } from 'pg';
import { BenchIds, BenchTokens } from './fixtures';
import { Workload } from './load';

/** What a workload may use: the seeded ids, fresh tokens and a connection to pick rows from. */
export interface SuiteContext {
  pool: Pool;
  ids: BenchIds;
  tokens: BenchTokens;
  /** Total case messages / user messages in this database. */
  rows: number;
  cases: number;
}

/** Which server a workload will hit; write workloads use it to keep their keys apart. */
export type Target = 'app' | 'floor';

export interface EndpointBench {
  api: 'v3' | 'v2';
  key: string;
  label: string;
  /** Builds a fresh workload (new keys and ids) for one run against one target. */
  workload: (ctx: SuiteContext, target: Target) => Promise<Workload>;
  /** The floor server serves the same route with the same SQL. */
  floor: boolean;
  /** Part of the 10k-vs-1M latency comparison. */
  scale: boolean;
  /** Goes after the read endpoints because it changes data. */
  writes: boolean;
  /** The report notes the bytes per response on the wire (e.g. to set compressed answers beside plain ones). */
  wireBytes?: boolean;
}

export interface Suite {
  api: 'v3' | 'v2';
  /** Seeds `rows` messages after the directory (accounts, cases, users, group) exists. */
  seed: (pool: Pool, rows: number, cases: number) => Promise<void>;
  endpoints: EndpointBench[];
}
