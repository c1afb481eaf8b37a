/**
 * Headless Debian chromium for the HTML report's browser tests, screenshots and bench, driven by playwright-core
 * (the system browser: no browser download, which could not be fetched here). Each launch gets a fresh
 * profile directory, removed on close.
 */
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM_PATH = process.env.READINESS_CHROMIUM ?? '/usr/bin/chromium';

/** Why the browser cannot run here, or undefined when it can. */
export function chromiumMissing(): string | undefined {
  try {
    accessSync(CHROMIUM_PATH, constants.X_OK);
    return undefined;
  } catch {
    return `${CHROMIUM_PATH} not found: install Debian's chromium (apt-get install chromium) or set READINESS_CHROMIUM`;
  }
}

/** In CI (.ci/run sets READINESS_REQUIRE_BROWSER=1, or CI=true) a missing browser fails the tests instead of skipping them. */
export function browserRequired(): boolean {
  return process.env.READINESS_REQUIRE_BROWSER === '1' || process.env.CI === 'true';
}

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Chromium {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(viewport = { width: 1440, height: 900 }): Promise<Chromium> {
  const profile = mkdtempSync(path.join(tmpdir(), 'readiness-chromium-'));
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM_PATH, headless: true, args: FLAGS, viewport });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
