import { ChildServer } from '../lib/children';
import { BenchConfig } from '../lib/config';
import { alternate, LoadResult } from '../lib/load';
import { log } from '../lib/prepare';
import { SuiteContext } from '../lib/suite';
import { createWorkload } from './case-messages';

/** The connection counts the busy-account check runs at. */
export const HOT_ACCOUNT_CONNECTIONS = [16, 32, 64];
const ROUNDS = 3;

export interface HotAccountLevel {
  connections: number;
  spread?: LoadResult;
  hot?: LoadResult;
}

export interface HotAccountResult {
  levels: HotAccountLevel[];
  notes: string[];
}

/**
 * v3 creates into the cases of one receiving account against creates spread over the 20 providers, in
 * alternating rounds on the same server, at each of HOT_ACCOUNT_CONNECTIONS: what one busy workshop costs
 * the write path (nothing serialises an account's writers, docs/case-messages.md "Feed order").
 */
export async function measureHotAccount(ctx: SuiteContext, app: ChildServer, config: BenchConfig): Promise<HotAccountResult> {
  const result: HotAccountResult = { levels: [], notes: [] };
  for (const connections of HOT_ACCOUNT_CONNECTIONS) {
    log(`  [hot-account] v3 create spread over 20 providers and into one, ${connections} connections, ${ROUNDS} alternating rounds`);
    const options = { connections, durationSeconds: config.durationSeconds, warmupSeconds: config.warmupSeconds, serverPid: app.process.pid };
    try {
      const [spread, hot] = await alternate(app.baseUrl, { workload: createWorkload(ctx, 'spread') }, { workload: createWorkload(ctx, 'hot', true) }, options, ROUNDS);
      log(`    spread ${Math.round(spread.requestsPerSecond)} req/s, p99 ${spread.p99} ms | one provider ${Math.round(hot.requestsPerSecond)} req/s, p99 ${hot.p99} ms`);
      result.levels.push({ connections, spread, hot });
    } catch (error) {
      result.notes.push(`v3 create into one provider at ${connections} connections not measured: ${(error as Error).message.split('\n')[0]}`);
      result.levels.push({ connections });
    }
  }
  return result;
}
