// autocannon 9 ships no type declarations; the harness uses the callback form, whose instance emits
// 'response' with each response's latency (see bench/lib/load.ts).
declare module 'autocannon' {
  interface Histogram {
    average: number;
    p50: number;
    p99: number;
    total: number;
  }
  export interface Result {
    requests: Histogram;
    latency: Histogram;
    non2xx: number;
    errors: number;
    timeouts: number;
    duration: number;
  }
  interface Instance {
    on(event: 'response', listener: (client: unknown, statusCode: number, bytes: number, responseTimeMs: number) => void): Instance;
  }
  function autocannon(options: Record<string, unknown>, callback: (error: Error | null, result: Result) => void): Instance;
  export default autocannon;
}
