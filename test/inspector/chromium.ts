import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import playwright, { type BrowserContext } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
/** Debian's Chromium as root, headless, with nothing reaching out to the network on its own. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A headless Chromium on a fresh profile; `close` ends it and removes the profile. Fails naming the package when Chromium is missing. */
export async function launchChromium(
  options: { viewport?: { width: number; height: number }; extraHTTPHeaders?: Record<string, string> } = {},
): Promise<{ browser: BrowserContext; close: () => Promise<void> }> {
  const profile = await mkdtemp(join(tmpdir(), 'es-inspector-chromium-'));
  const browser = await playwright.chromium
    .launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, ...options })
    .catch(async (error: Error) => {
      await rm(profile, { recursive: true, force: true });
      throw new Error(`The inspector tests need Debian's chromium at ${CHROMIUM} (apt-get install -y chromium): ${error.message}`);
    });
  return {
    browser,
    close: async () => {
      await browser.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
