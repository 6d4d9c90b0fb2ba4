// Opens a brink report in Debian's headless Chromium (never a downloaded
// browser), takes a full-page screenshot and prints what it saw as JSON:
// console errors, page errors, requests that would leave the machine (all
// blocked), and the state of every image. Exit status 0 when the page was
// checked (the Rust test judges the result), 2 on bad usage, 3 when the
// browser could not be run.
//
// usage: node check_report.mjs REPORT.html SCREENSHOT.png [CHROMIUM]

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const [report, screenshot, executable = "/usr/bin/chromium"] = process.argv.slice(2);
if (!report || !screenshot) {
  console.error("usage: node check_report.mjs REPORT.html SCREENSHOT.png [CHROMIUM]");
  process.exit(2);
}

const profile = mkdtempSync(join(tmpdir(), "brink-chromium-"));
const result = { console_errors: [], page_errors: [], blocked: [], images: [] };
let context;
try {
  context = await chromium.launchPersistentContext(profile, {
    executablePath: executable,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
    timeout: 30000,
  });
} catch (e) {
  console.error(`could not start ${executable}: ${e.message}`);
  rmSync(profile, { recursive: true, force: true });
  process.exit(3);
}
try {
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file:") || url.startsWith("data:")) {
      return route.continue();
    }
    result.blocked.push(url);
    return route.abort();
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("console", (msg) => {
    if (msg.type() === "error") result.console_errors.push(msg.text());
  });
  page.on("pageerror", (err) => result.page_errors.push(String(err)));
  page.on("requestfailed", (req) => {
    const url = req.url();
    if (url.startsWith("file:")) result.console_errors.push(`failed to load ${url}`);
  });
  await page.goto(pathToFileURL(resolve(report)).href, { waitUntil: "load", timeout: 20000 });
  result.images = await page.$$eval("img", (imgs) =>
    imgs.map((img) => ({
      alt: img.alt.slice(0, 60),
      complete: img.complete,
      natural_width: img.naturalWidth,
      natural_height: img.naturalHeight,
      shown_width: img.getBoundingClientRect().width,
    })),
  );
  result.title = await page.title();
  result.scroll_height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.screenshot({ path: screenshot, fullPage: true });
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(JSON.stringify(result));
