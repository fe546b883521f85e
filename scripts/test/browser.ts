// Debian's Chromium for the browser tests, started as this machine allows:
// headless, no sandbox (root), no GPU, and none of its own network traffic,
// on a fresh profile. A test skips without it, saying why, and fails in CI,
// where .ci/run installs it.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);

/** Throw in CI, warn elsewhere, when there is no Chromium: `what` names the test skipped. */
export function needChromium(what: string): void {
  if (haveChromium) return;
  if (process.env.CI) {
    throw new Error(`${CHROMIUM} is missing: .ci/run installs it with apt-get install chromium`);
  }
  console.warn(`skipped ${what}: no ${CHROMIUM} (apt-get install chromium)`);
}

/** Chromium on a fresh profile, removed when the context closes. */
export async function launchChromium(width = 1400, height = 900): Promise<BrowserContext> {
  const profile = mkdtempSync(join(tmpdir(), 'chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width, height },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  context.once('close', () => rmSync(profile, { recursive: true, force: true, maxRetries: 5 }));
  return context;
}

/** Whether a process is still there. */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
