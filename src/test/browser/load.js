// Measures the pages under load: frames drawn per second (requestAnimationFrame callbacks) and the JS heap.
// Usage: node load.js <base url> <seconds> <together|one-by-one> <page>... Prints one line per page and sample:
// one-by-one gives each page the seconds alone, together opens them all at once for the seconds.
"use strict";
const { chromium } = require("playwright-core");
const fs = require("fs");
const os = require("os");
const path = require("path");

const [base, seconds, mode, ...pages] = process.argv.slice(2);

async function open(context, name) {
  const page = await context.newPage();
  await page.goto(base + "/" + name);
  await page.evaluate(() => {
    window.__frames = 0;
    const tick = () => { window.__frames++; requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  });
  return { name, page, frames: 0 };
}

// every 5 s, one line per open page
async function measure(open) {
  for (let s = 0; s < Number(seconds); s += 5) {
    for (const o of open) o.frames = await o.page.evaluate(() => window.__frames);
    await open[0].page.waitForTimeout(5000);
    for (const o of open) {
      const [after, heap, status] = await o.page.evaluate(() => [window.__frames, performance.memory.usedJSHeapSize,
        document.getElementById("status").textContent]);
      console.log(o.name + " t=" + (s + 5) + "s fps=" + ((after - o.frames) / 5).toFixed(1) + " heapMB=" + (heap / 1e6).toFixed(1) + " " + status);
    }
  }
  for (const o of open) await o.page.close();
}

(async () => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "chromium-profile-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium", headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--enable-precise-memory-info", "--no-first-run",
      // pages opened together all draw, as in windows side by side
      "--disable-background-timer-throttling", "--disable-renderer-backgrounding", "--disable-backgrounding-occluded-windows"],
  });
  try {
    if (mode === "together") {
      await measure(await Promise.all(pages.map((name) => open(context, name))));
    } else {
      for (const name of pages) await measure([await open(context, name)]);
    }
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
})();
