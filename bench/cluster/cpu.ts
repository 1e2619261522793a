import { Client } from 'pg';
import { processCpuMs } from '../lib/load';

/** Where a request spends CPU on its way through the topology. */
export const COMPONENTS = ['instances', 'haproxy', 'pgbouncer', 'postgres'] as const;
export type Component = (typeof COMPONENTS)[number];
export type CpuMs = Record<Component, number>;

/** The processes of one topology; PostgreSQL's are found per snapshot. */
export interface CpuSources {
  instances: number[];
  haproxy?: number;
  pgbouncer?: number;
}

interface Snapshot {
  processes: Record<Exclude<Component, 'postgres'>, number>;
  backends: Map<number, number>;
}

export const zeroCpu = (): CpuMs => ({ instances: 0, haproxy: 0, pgbouncer: 0, postgres: 0 });

export function addCpu(into: CpuMs, more: CpuMs): CpuMs {
  for (const c of COMPONENTS) into[c] += more[c];
  return into;
}

export const totalCpu = (cpu: CpuMs) => COMPONENTS.reduce((sum, c) => sum + cpu[c], 0);

/**
 * User + system CPU of each component over a measurement, from /proc/<pid>/stat. PostgreSQL counts as the
 * client backends of the bench database (direct pool, PgBouncer's server connections, LISTEN): its
 * background processes serve every database on the server, which other engineers' tests share.
 */
export class CpuMeter {
  constructor(
    /** A connection to another database of the server, so the meter's own queries do not count. */
    private readonly admin: Client,
    private readonly database: string,
  ) {}

  /** Runs `work` and returns its result with the CPU each component spent meanwhile. */
  async around<T>(sources: CpuSources, work: () => Promise<T>): Promise<{ result: T; cpu: CpuMs }> {
    const before = await this.snapshot(sources);
    const result = await work();
    const after = await this.snapshot(sources);
    return { result, cpu: difference(before, after) };
  }

  private async snapshot(sources: CpuSources): Promise<Snapshot> {
    const { rows } = await this.admin.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = $1`, [this.database]);
    const backends = new Map<number, number>();
    for (const { pid } of rows) {
      const ms = processCpuMs(pid);
      if (ms !== undefined) backends.set(pid, ms);
    }
    const cpuOf = (pid: number | undefined) => (pid === undefined ? 0 : (processCpuMs(pid) ?? 0));
    return {
      processes: {
        instances: sources.instances.reduce((sum, pid) => sum + cpuOf(pid), 0),
        haproxy: cpuOf(sources.haproxy),
        pgbouncer: cpuOf(sources.pgbouncer),
      },
      backends,
    };
  }
}

/** A backend that connected meanwhile counts from zero; one that left meanwhile is lost (the pools keep theirs open). */
function difference(before: Snapshot, after: Snapshot): CpuMs {
  let postgres = 0;
  for (const [pid, ms] of after.backends) postgres += ms - (before.backends.get(pid) ?? 0);
  return {
    instances: after.processes.instances - before.processes.instances,
    haproxy: after.processes.haproxy - before.processes.haproxy,
    pgbouncer: after.processes.pgbouncer - before.processes.pgbouncer,
    postgres,
  };
}
