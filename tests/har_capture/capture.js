// Opens a page in headless Chromium through the DevTools protocol (playwright-core driving the
// system's Chromium, no browser of its own), waits until the page's title says how it ended,
// and writes the HAR of everything the page loaded, answers' bodies included.
//
//   node tests/har_capture/capture.js CHROMIUM URL OUT.har 'MAP shop.example 127.0.0.1, ...' [DONE]
//
// DONE: the start of the title that ends the wait ("signed in:" unless given). Prints one
// JSON line: the page's final title. Exits 1 when the page does not get there within 30 s.
'use strict';

const { chromium } = require('playwright-core');

const WAIT_MS = 30000;

async function main() {
  const [executablePath, url, out, rules, done = 'signed in:'] = process.argv.slice(2);
  if (!executablePath || !url || !out || !rules) {
    throw new Error('usage: capture.js CHROMIUM URL OUT.har HOST-RESOLVER-RULES [DONE]');
  }
  const browser = await chromium.launch({
    executablePath,
    headless: true,
    timeout: WAIT_MS,
    args: [
      `--host-resolver-rules=${rules}`,
      // Nothing but the page: no update checks, no Google services, no HTTPS upgrade of
      // the page's plain-HTTP hosts.
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-features=HttpsUpgrades,HttpsFirstBalancedModeAutoEnable',
    ],
  });
  try {
    // content 'embed': the bodies inside the HAR, as DevTools' "Save all as HAR with content".
    const context = await browser.newContext({ recordHar: { path: out, content: 'embed' } });
    const page = await context.newPage();
    await page.goto(url, { timeout: WAIT_MS });
    await page.waitForFunction((prefix) => document.title.startsWith(prefix), done, { timeout: WAIT_MS });
    const title = await page.title();
    // The HAR is written when its context closes.
    await context.close();
    process.stdout.write(JSON.stringify({ title }) + '\n');
  } finally {
    await browser.close();
  }
}

main().catch((e) => {
  process.stderr.write(`capture: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
