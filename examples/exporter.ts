/**
 * A back-office exporter: pulls the v3 feed of messages not yet confirmed, stores each one, then confirms
 * what it stored. Crash-safe by order: a message is confirmed only once it is on disk, so a kill between
 * the two steps leaves it unconfirmed and the next run finds it again (and finds it stored already); a
 * confirmed message leaves the unconfirmed feed, so nothing is confirmed twice.
 *
 *   MESSAGING_URL=http://localhost:3000 MESSAGING_TOKEN=<provider token> EXPORT_DIR=./export \
 *     node -r ts-node/register/transpile-only examples/exporter.ts [--once]
 */
import { mkdirSync, openSync, fsyncSync, closeSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { CaseMessage, createClient, MessagingClient } from '../clients/typescript/src';

const PAGE_SIZE = Number(process.env.EXPORT_PAGE_SIZE ?? 100);
const POLL_SECONDS = Number(process.env.POLL_SECONDS ?? 10);

/** Writes the message under its id: a temporary file, flushed, then renamed, so a file is whole or absent. */
function store(dir: string, message: CaseMessage): boolean {
  const path = join(dir, `${message.id}.json`);
  if (existsSync(path)) return false;
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(message, null, 2)}\n`);
  const fd = openSync(temporary, 'r');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(temporary, path);
  return true;
}

/** One pass: every unconfirmed message, page by page; each page is stored, then confirmed. */
async function exportOnce(hub: MessagingClient, dir: string): Promise<{ stored: number; confirmed: number }> {
  const totals = { stored: 0, confirmed: 0 };
  let page: CaseMessage[] = [];
  const flush = async () => {
    if (page.length === 0) return;
    for (const message of page) if (store(dir, message)) totals.stored++;
    // Crash drill: dies the hard way where a crash hurts most, after storing and before confirming.
    if (process.env.EXPORTER_KILL_AFTER_STORE === '1') process.kill(process.pid, 'SIGKILL');
    const result = await hub.caseMessages.confirm(page.map((m) => m.id));
    totals.confirmed += result.data.confirmed.length;
    page = [];
  };
  for await (const message of hub.caseMessages.feed({ unconfirmed: true, pageSize: PAGE_SIZE })) {
    page.push(message);
    if (page.length === PAGE_SIZE) await flush();
  }
  await flush();
  return totals;
}

async function main(): Promise<void> {
  const { MESSAGING_URL = 'http://localhost:3000', MESSAGING_TOKEN, EXPORT_DIR = './export' } = process.env;
  if (!MESSAGING_TOKEN) throw new Error('MESSAGING_TOKEN is required (a v3 account token)');
  const dir = join(EXPORT_DIR, 'messages');
  mkdirSync(dir, { recursive: true });
  const hub = createClient({ baseUrl: MESSAGING_URL, token: MESSAGING_TOKEN });
  for (;;) {
    const totals = await exportOnce(hub, dir);
    process.stdout.write(`${JSON.stringify({ at: new Date().toISOString(), ...totals })}\n`);
    if (process.argv.includes('--once')) return;
    await new Promise((resolve) => setTimeout(resolve, POLL_SECONDS * 1000));
  }
}

main().catch((error: Error) => {
  process.stderr.write(`exporter: ${error.message}\n`);
  process.exit(1);
});
