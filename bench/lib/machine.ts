import { existsSync, readFileSync } from 'node:fs';
import { Client } from 'pg';
import { BenchConfig } from './config';

/** How busy the shared machine was during the run: the numbers can only be read against this. */
export interface MachineLoad {
  /** Share of wall time in which some task waited for a CPU / for I/O (Linux pressure stall information). */
  cpuStallShare?: number;
  ioStallShare?: number;
  /** Sessions on other databases running a query, sampled once a second: other engineers' tests. */
  otherSessionsMean: number;
  otherSessionsMax: number;
  samples: number;
}

function stallMicros(kind: 'cpu' | 'io'): number | undefined {
  const path = `/proc/pressure/${kind}`;
  if (!existsSync(path)) return undefined;
  const match = /^some .*total=(\d+)/m.exec(readFileSync(path, 'utf8'));
  return match ? Number(match[1]) : undefined;
}

/** Starts sampling; the returned function stops it and summarises. */
export async function watchMachine(config: BenchConfig): Promise<() => Promise<MachineLoad>> {
  const started = performance.now();
  const cpu0 = stallMicros('cpu');
  const io0 = stallMicros('io');
  const client = new Client({ connectionString: `${config.serverUrl}/postgres`, application_name: 'bench-machine-watch' });
  await client.connect();
  const counts: number[] = [];
  const timer = setInterval(() => {
    client
      .query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE state = 'active' AND backend_type = 'client backend' AND pid <> pg_backend_pid() AND datname NOT LIKE '%bench%'`,
      )
      .then((result) => counts.push(result.rows[0].n))
      .catch(() => undefined);
  }, 1000);
  return async () => {
    clearInterval(timer);
    await client.end();
    const wallMicros = (performance.now() - started) * 1000;
    const cpu1 = stallMicros('cpu');
    const io1 = stallMicros('io');
    return {
      cpuStallShare: cpu0 !== undefined && cpu1 !== undefined ? (cpu1 - cpu0) / wallMicros : undefined,
      ioStallShare: io0 !== undefined && io1 !== undefined ? (io1 - io0) / wallMicros : undefined,
      otherSessionsMean: counts.length ? counts.reduce((a, b) => a + b, 0) / counts.length : 0,
      otherSessionsMax: counts.length ? Math.max(...counts) : 0,
      samples: counts.length,
    };
  };
}
