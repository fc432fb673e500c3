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
  return { name, page, last: null };
}

// The page's own frame count and clock, so a busy page that answers late is not credited with the wait.
function sample(o) {
  return o.page.evaluate(() => ({ frames: window.__frames, at: performance.now(), heap: performance.memory.usedJSHeapSize,
    status: document.getElementById("status").textContent }));
}

// every 5 s of wall time until the seconds are up, one line per open page
async function measure(open) {
  const start = Date.now();
  for (const o of open) o.last = await sample(o);
  while (Date.now() - start < Number(seconds) * 1000) {
    await new Promise((resolve) => setTimeout(resolve, 5000));
    for (const o of open) {
      const now = await sample(o);
      const fps = (now.frames - o.last.frames) * 1000 / (now.at - o.last.at);
      console.log(o.name + " t=" + Math.round((Date.now() - start) / 1000) + "s fps=" + fps.toFixed(1) + " heapMB="
        + (now.heap / 1e6).toFixed(1) + " " + now.status);
      o.last = now;
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
