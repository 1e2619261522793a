import { existsSync } from 'node:fs';
import { Browser, chromium } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';

/** `describe` when Debian's chromium is installed (CI installs it in .ci/run), else `describe.skip` with a line saying so. */
export function describeWithChromium(suite: string): jest.Describe {
  if (existsSync(CHROMIUM)) return describe;
  console.warn(`${suite}: SKIPPED, no browser at ${CHROMIUM} (apt-get install chromium)`);
  return describe.skip;
}

/** Headless, and without the background networking that this machine's closed network refuses. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
}
