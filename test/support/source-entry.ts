import { join } from 'node:path';

/** `node` arguments that run an entry point of src/ (the server or the CLI) in a process of its own, without a build. */
export function sourceEntryArgs(entry: 'main.ts' | 'cli.ts', ...args: string[]): string[] {
  return ['-r', 'ts-node/register/transpile-only', join(__dirname, '..', '..', 'src', entry), ...args];
}
