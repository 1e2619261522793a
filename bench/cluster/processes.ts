import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Balancer, Child, freePort, INSTANCE_POOL_SIZE, ServiceInstance, startHaproxy, startPgBouncer, waitUntil } from '../../test/cluster/topology';
import { appDist } from '../lib/dist';
import { CpuSources } from './cpu';

export type PushBus = 'postgres' | 'nats';
export const NATS_URL = 'nats://127.0.0.1:4222';

/**
 * Checks every 2 s, out after 3 failures: the test's 200 ms and 1 failure take healthy instances out of the
 * balancer when their checks queue behind 64 connections of load on two cores.
 */
const BENCH_CHECK = { intervalMs: 2000, fall: 3 };

/** The processes of one run, each stopped at the end and killed if the harness exits first. */
export class Processes {
  private readonly children = new Set<Child>();
  private readonly dirs: string[] = [];
  private readonly adminToken = randomBytes(24).toString('hex');

  constructor() {
    process.on('exit', () => {
      for (const child of this.children) if (child.running) child.process.kill('SIGKILL');
      for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
    });
  }

  async pgBouncer(serverUrl: string): Promise<{ child: Child; port: number }> {
    const started = await startPgBouncer(new URL(serverUrl));
    this.children.add(started.child);
    return started;
  }

  /** One instance straight on PostgreSQL with its own pool: the single-instance deployment. */
  async direct(name: string, databaseUrl: string, poolSize: number, preparedStatements: boolean): Promise<ServiceInstance> {
    const env = { DATABASE_URL: databaseUrl, DB_POOL_SIZE: String(poolSize), DB_PREPARED_STATEMENTS: String(preparedStatements), PUSH_BUS: 'postgres' };
    const [instance] = await this.instances([name], env);
    return instance;
  }

  /** Three instances whose pool goes through PgBouncer (no prepared statements there) and whose LISTEN goes direct. */
  async cluster(direct: string, pooled: string, bus: PushBus): Promise<ServiceInstance[]> {
    return this.instances(['s1', 's2', 's3'], {
      DATABASE_URL: pooled,
      DATABASE_DIRECT_URL: direct,
      DB_PREPARED_STATEMENTS: 'false',
      DB_POOL_SIZE: String(INSTANCE_POOL_SIZE),
      PUSH_BUS: bus,
      ...(bus === 'nats' ? { NATS_URL } : {}),
    });
  }

  async balancer(instances: ServiceInstance[], httpNoDelay = true): Promise<Balancer> {
    const balancer = await startHaproxy(instances.map((i) => ({ name: i.name, port: i.port })), { check: BENCH_CHECK, httpNoDelay });
    this.children.add(balancer.child);
    await waitUntil('HAProxy to see every instance up', async () => (await Promise.all(instances.map((i) => balancer.isUp(i.name)))).every(Boolean), 30_000);
    return balancer;
  }

  async stop(...children: (Child | undefined)[]): Promise<void> {
    await Promise.all(
      children.map(async (child) => {
        if (!child) return;
        await child.stop('SIGTERM');
        this.children.delete(child);
      }),
    );
  }

  async stopAll(): Promise<void> {
    await this.stop(...this.children);
  }

  private async instances(names: string[], env: Record<string, string>): Promise<ServiceInstance[]> {
    const instances = await Promise.all(names.map(async (name) => new ServiceInstance(name, await freePort(), { ...this.commonEnv(), ...env }, join(appDist(), 'main.js'))));
    await Promise.all(
      instances.map(async (instance) => {
        await instance.start().finally(() => instance.child && this.children.add(instance.child));
      }),
    );
    return instances;
  }

  /** As `npm run bench` runs the app: no rate limit, workers off (the outbox rows are still written), production's Node flags. */
  private commonEnv(): Record<string, string> {
    const dataDir = mkdtempSync(join(tmpdir(), 'bench-cluster-data-'));
    this.dirs.push(dataDir);
    return {
      MIGRATIONS_RUN: 'false',
      RATE_LIMIT_PER_MINUTE: '0',
      WORKERS_ENABLED: 'false',
      ADMIN_TOKEN: this.adminToken,
      DEMO_SEED: 'false',
      LOG_LEVEL: 'warn',
      LOG_FORMAT: 'json',
      DATA_DIR: dataDir,
      NODE_OPTIONS: '--max-semi-space-size=32',
    };
  }
}

export const instancePids = (instances: ServiceInstance[]) => instances.map((i) => i.child?.process.pid).filter((pid): pid is number => pid !== undefined);

export function clusterSources(instances: ServiceInstance[], balancer: Balancer, pgbouncer: Child): CpuSources {
  return { instances: instancePids(instances), haproxy: balancer.child.process.pid, pgbouncer: pgbouncer.process.pid };
}
