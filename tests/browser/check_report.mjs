// Opens brink reports in Debian's headless Chromium (never a downloaded
// browser), takes a full-page screenshot of each and prints what it saw as
// one JSON line per report: console errors, page errors, requests that would
// leave the machine (all blocked), and the state of every image. Exit status
// 0 when the pages were checked (the Rust test judges the result), 2 on bad
// usage, 3 when the browser could not be run.
//
// usage: node check_report.mjs REPORT.html SCREENSHOT.png [CHROMIUM [REPORT.html SCREENSHOT.png]...]

import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const [report, screenshot, executable = "/usr/bin/chromium", ...more] = process.argv.slice(2);
if (!report || !screenshot || more.length % 2 !== 0) {
  console.error(
    "usage: node check_report.mjs REPORT.html SCREENSHOT.png [CHROMIUM [REPORT.html SCREENSHOT.png]...]",
  );
  process.exit(2);
}
const pages = [[report, screenshot]];
for (let i = 0; i < more.length; i += 2) pages.push([more[i], more[i + 1]]);

const profile = mkdtempSync(join(tmpdir(), "brink-chromium-"));
const results = [];
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
  let result;
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url.startsWith("file:") || url.startsWith("data:")) {
      return route.continue();
    }
    result.blocked.push(url);
    return route.abort();
  });
  for (const [file, shot] of pages) {
    result = { report: file, console_errors: [], page_errors: [], blocked: [], images: [] };
    const page = await context.newPage();
    page.on("console", (msg) => {
      if (msg.type() === "error") result.console_errors.push(msg.text());
    });
    page.on("pageerror", (err) => result.page_errors.push(String(err)));
    page.on("requestfailed", (req) => {
      const url = req.url();
      if (url.startsWith("file:")) result.console_errors.push(`failed to load ${url}`);
    });
    await page.goto(pathToFileURL(resolve(file)).href, { waitUntil: "load", timeout: 20000 });
    result.images = await page.$$eval("img", (imgs) =>
      imgs.map((img) => ({
        alt: img.alt.slice(0, 60),
        complete: img.complete,
        natural_width: img.naturalWidth,
        natural_height: img.naturalHeight,
        attr_width: Number(img.getAttribute("width")),
        attr_height: Number(img.getAttribute("height")),
        shown_width: img.getBoundingClientRect().width,
      })),
    );
    result.title = await page.title();
    result.scroll_height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.screenshot({ path: shot, fullPage: true });
    await page.close();
    results.push(result);
  }
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
for (const r of results) console.log(JSON.stringify(r));
