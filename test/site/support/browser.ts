import { access } from 'node:fs/promises';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium (.ci/run installs it); playwright cannot download browsers on these machines. */
export const chromiumPath = '/usr/bin/chromium';

/** The flags of ../shared/spec/facts.md, and every host name but the loopback unresolvable: no test page reaches the internet. */
const flags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
];

/**
 * Starts the real browser. A machine without it fails the test with the way to fix it: a browser
 * test that skips itself would pass while nothing was tested.
 */
export async function launchBrowser(): Promise<Browser> {
  try {
    await access(chromiumPath);
  } catch {
    throw new Error(`${chromiumPath} is missing: install Debian's chromium (apt-get install -y chromium; .ci/run does it)`);
  }
  return chromium.launch({ executablePath: chromiumPath, args: flags, headless: true });
}
