// Measures the pages under load: frames drawn per second (requestAnimationFrame callbacks) and the JS heap.
// Usage: node load.js <base url> <seconds per page> <page>... Prints one line per page and sample.
"use strict";
const { chromium } = require("playwright-core");
const fs = require("fs");
const os = require("os");
const path = require("path");

const [base, seconds, ...pages] = process.argv.slice(2);

(async () => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "chromium-profile-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium", headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--enable-precise-memory-info", "--no-first-run"],
  });
  try {
    for (const name of pages) {
      const page = await context.newPage();
      await page.goto(base + "/" + name);
      await page.evaluate(() => {
        window.__frames = 0;
        const tick = () => { window.__frames++; requestAnimationFrame(tick); };
        requestAnimationFrame(tick);
      });
      for (let s = 0; s < Number(seconds); s += 5) {
        const before = await page.evaluate(() => window.__frames);
        await page.waitForTimeout(5000);
        const [after, heap, status] = await page.evaluate(() => [window.__frames, performance.memory.usedJSHeapSize,
          document.getElementById("status").textContent]);
        console.log(name + " t=" + (s + 5) + "s fps=" + ((after - before) / 5).toFixed(1) + " heapMB=" + (heap / 1e6).toFixed(1) + " " + status);
      }
      await page.close();
    }
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
})();
