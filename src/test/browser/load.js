// Measures the pages under load: frames drawn per second (requestAnimationFrame callbacks) and the JS heap.
// Usage: node load.js <base url> <seconds> <together|one-by-one> <page>... Prints one line per page and sample:
// one-by-one gives each page the seconds alone, together opens them all at once for the seconds.
"use strict";
const { chromium } = require("playwright-core");

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
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium", headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--enable-precise-memory-info", "--no-first-run"],
  });
  // a context of its own for each page: its own window, drawn as if in front (tabs of one window behind the
  // first would be throttled)
  const inWindow = async (name) => open(await browser.newContext(), name);
  try {
    if (mode === "together") {
      await measure(await Promise.all(pages.map(inWindow)));
    } else {
      for (const name of pages) await measure([await inWindow(name)]);
    }
  } finally {
    await browser.close();
  }
})();
