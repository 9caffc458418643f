import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const required = process.env.REQUIRE_BROWSER === '1';

/**
 * `describe` when Debian's chromium is installed, else a loud skip — or a failure when
 * REQUIRE_BROWSER=1 (CI installs chromium and sets it), so CI cannot pass by skipping.
 */
export function describeWithBrowser(name: string, body: () => void): void {
  if (existsSync(CHROMIUM)) return describe(name, body);
  if (required) {
    return describe(name, () =>
      it('needs chromium (REQUIRE_BROWSER=1)', () => {
        throw new Error(`REQUIRE_BROWSER=1 but ${CHROMIUM} does not exist (apt-get install chromium)`);
      }),
    );
  }
  process.stderr.write(`\n*** SKIPPED "${name}": install Debian's chromium (apt-get install chromium) to run the browser tests ***\n\n`);
  describe.skip(name, body);
}

/** Headless Chromium as this machine allows it: as root, offline, without background traffic. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}
