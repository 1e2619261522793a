import { createHash } from 'node:crypto';

/** The same value as PostgreSQL's md5(text)::uuid, so the harness can name seeded rows without a query. */
export function md5Uuid(text: string): string {
  const hex = createHash('md5').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const caseGuid = (g: number) => md5Uuid(`bench-case-${g}`);
export const userId = (g: number) => md5Uuid(`bench-user-${g}`);

/** Deterministic shuffle (mulberry32), so two runs send the same request sequence. */
export function shuffled<T>(items: T[], seed = 42): T[] {
  const out = [...items];
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Cycles through `items`, counting how often it had to start over (a write workload that ran out of fresh keys). */
export class Cycler<T> {
  private index = 0;
  wraps = 0;

  constructor(private readonly items: T[]) {
    if (items.length === 0) throw new Error('nothing to cycle through');
  }

  next(): T {
    if (this.index === this.items.length) {
      this.index = 0;
      this.wraps++;
    }
    return this.items[this.index++];
  }
}
