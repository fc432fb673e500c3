// Loads each page of the websocket tool in headless Chromium and checks what it shows.
// Usage: node pages.js <base url> <screenshot directory>. Prints "ok <page>" per page; exits 1 on the first failure.
"use strict";
const { chromium } = require("playwright-core");
const fs = require("fs");
const http = require("http");
const os = require("os");
const path = require("path");

const [base, shots] = process.argv.slice(2);
const WAIT = { timeout: 20000 };

// what each page must show, fed by the bundled sample capture
const checks = {
  "index.html": async (page) => {
    await page.waitForFunction(() => document.querySelectorAll("#counts tbody tr").length >= 10, null, WAIT);
    await expectText(page, "#counts", "rpc.peer_infos");
    await expectText(page, "#counts", "message.inv");
  },
  "peers.html": async (page) => {
    await page.waitForSelector("#peers tr[data-peer='1']", WAIT);
    await expectText(page, "#peers tr[data-peer='0']", "203.0.113.7:8333");
    await expectText(page, "#peers tr[data-peer='0'] td:nth-child(2)", "out");
    await expectText(page, "#peers tr[data-peer='1']", "[2001:db8::7]:8333");
    await expectText(page, "#peers tr[data-peer='1'] td:nth-child(2)", "in");
  },
  "messages.html": async (page) => {
    await page.waitForSelector("#messages tr[data-peer='0'][data-command='version']", WAIT);
    await page.waitForSelector("#messages tr[data-peer='1'][data-command='inv']", WAIT);
    // version is only sent by the node (out), inv only received (in)
    const cell = (n) => page.textContent("#messages tr[data-peer='0'][data-command='version'] td:nth-child(" + n + ")");
    const [received, sent] = [Number(await cell(4)), Number(await cell(6))];
    if (received !== 0 || !(sent >= 1)) throw new Error("version in/out counts are " + received + "/" + sent);
  },
  "pings.html": async (page) => {
    await page.waitForFunction(() => document.querySelectorAll("#ping-chart polyline").length === 2, null, WAIT);
    await page.waitForSelector("#backlog-chart polyline", WAIT);
    await expectText(page, "#ping-summary", "2 peers.");
    await expectText(page, "#backlog-summary", "samples; the latest");
  },
  "connections.html": async (page) => {
    await page.waitForFunction(() => /192\.0\.2\.44:8333/.test(document.querySelector("#connections").textContent), null, WAIT);
    await expectText(page, "#connections", "misbehaving");
    await expectText(page, "#connections", "203.0.113.7:8333");
    const outbound = Number(await page.textContent("#totals tbody td:nth-child(2)"));
    if (!(outbound >= 1)) throw new Error("outbound total is " + outbound);
  },
  "races.html": async (page) => {
    // the FIBRE exporter's race tracker closes a race every half second: cmpctblock from .4 beat headers from .5 by 25 ms
    await page.waitForSelector("#races tbody tr", WAIT);
    await expectText(page, "#races thead", "winner_peer");
    await expectText(page, "#races tbody tr", "cmpctblock");
    await expectText(page, "#races tbody tr", "198.51.100.4:8333");
    await expectText(page, "#races tbody tr", "headers");
  },
  "rates.html": async (page, shot) => {
    // the sample's netmsg commands, stacked: one area each, and bytes in and out as two lines
    const areas = () => page.locator("#rates svg g[aria-label='area'] path").count();
    await page.waitForFunction(() => document.querySelectorAll("#rates svg g[aria-label='area'] path").length >= 5, null, WAIT);
    await page.waitForFunction(() => document.querySelectorAll("#bytes svg g[aria-label='line'] path").length === 2, null, WAIT);
    await expectText(page, "#rates", "inv");
    await expectText(page, "#rates", "version");
    await expectText(page, "#rates", "messages/s");
    await shot();
    // a filter leaves one command
    await page.fill("#filter-command", "inv");
    await page.waitForFunction(() => document.querySelectorAll("#rates svg g[aria-label='area'] path").length === 1, null, WAIT);
    // the hover card names the command under the pointer
    await hoverUntil(page, page.locator("#rates figure > svg, #rates > svg").last(), "#rates g[aria-label='tip']", "inv");
    // paused, nothing is drawn; resumed, it is again
    await page.mouse.move(0, 0);
    await page.click("#pause");
    const drawn = await page.getAttribute("#rates", "data-drawn");
    await page.waitForTimeout(1500);
    if (await page.getAttribute("#rates", "data-drawn") !== drawn) throw new Error("drawn while paused");
    await page.click("#pause");
    await page.waitForFunction((d) => document.getElementById("rates").dataset.drawn !== d, drawn, WAIT);
    await page.fill("#filter-command", "");
    if (await areas() < 1) throw new Error("no areas");
  },
  "connection-events.html": async (page, shot) => {
    // the sample opens inbound and outbound connections, closes some and reports a misbehaving peer
    await page.waitForFunction(() => {
      const legend = document.querySelector("#events figure");
      return legend && document.querySelectorAll("#events svg g[aria-label='rect'] rect").length > 0
        && document.querySelectorAll("#networks svg g[aria-label='rect'] rect").length >= 1;
    }, null, WAIT);
    await expectText(page, "#events", "misbehaving");
    await expectText(page, "#events", "events/s");
    await expectText(page, "#networks", "ipv4");
    // the x axis is the last minute
    const ticks = await page.locator("#events g[aria-label='x-axis tick'] path, #events g[aria-label='x-axis tick'] line").count();
    if (ticks < 2) throw new Error(ticks + " x ticks");
    await shot();
    await page.fill("#filter-network", "ipv6");
    await page.waitForFunction(() => document.querySelector("#networks").textContent.includes("ipv6")
      && !document.querySelector("#networks").textContent.includes("ipv4"), null, WAIT);
  },
  "mempool.html": async (page) => {
    // the sample adds, removes (reason "expiry") and replaces transactions
    await page.waitForFunction(() => document.querySelectorAll("#events svg g[aria-label='rect'] rect").length > 0
      && document.querySelectorAll("#reasons svg g[aria-label='bar'] rect").length === 1, null, WAIT);
    await expectText(page, "#events", "added");
    await expectText(page, "#reasons", "expiry");
    await expectText(page, "#reasons", "transactions in the window");
    await hoverUntil(page, page.locator("#reasons g[aria-label='bar'] rect").first(), "#reasons g[aria-label='tip']", "expiry", 0.5);
  },
  "race-timeline.html": async (page) => {
    // a race every half second: cmpctblock from .4 wins over headers from .5 by 25 ms
    await page.waitForFunction(() => document.querySelectorAll("#races svg g[aria-label='dot'] circle").length >= 3, null, WAIT);
    await expectText(page, "#races", "cmpctblock");
    await expectText(page, "#wins", "races won");
    const bars = await page.locator("#wins svg g[aria-label='bar'] rect").count();
    if (bars !== 1) throw new Error(bars + " winner bars, not 1");
    // the y domain reaches the 25 ms margin
    const ticks = await page.locator("#races g[aria-label='y-axis tick label'] text").allTextContents();
    if (!ticks.some((t) => Number(t) >= 25)) throw new Error("y ticks " + ticks.join(","));
    await hoverUntil(page, page.locator("#races figure > svg").last(), "#races g[aria-label='tip']", "198.51.100.4:8333", 0.3);
  },
  "ping-times.html": async (page) => {
    // two peers in the sample's getpeerinfo: a solid ping line and a dotted min-ping line each
    await page.waitForFunction(() => document.querySelectorAll("#pings svg g[aria-label='line'] path").length === 4, null, WAIT);
    await expectText(page, "#pings", "ms");
    await hoverUntil(page, page.locator("#pings figure > svg").last(), "#pings g[aria-label='tip']", "min ping");
    // the card names the peer under the pointer, one of the sample's two
    const card = await page.textContent("#pings g[aria-label='tip']");
    if (!/address\s*(203\.0\.113\.7|\[2001:db8::7\]):8333/.test(card)) throw new Error("hover card " + card);
  },
  "addr-relay.html": async (page) => {
    // the sample's peer 1 announces IPv4 addresses in addrv2
    await page.waitForFunction(() => document.querySelectorAll("#peers svg g[aria-label='bar'] rect").length >= 1
      && document.querySelectorAll("#networks svg g[aria-label='rect'] rect").length >= 1, null, WAIT);
    await expectText(page, "#peers", "[2001:db8::7]:8333");
    await expectText(page, "#networks", "addresses/min");
    await expectText(page, "#networks", "ipv4");
    // flagged: a peer in LinkingLion's ranges, and one on the test's Tor exit list (METRICS_IP_LISTS)
    await expectText(page, "#peers", "⚑ 12 162.218.65.9:8333");
    await expectText(page, "#peers", "⚑ 15 198.51.100.77:8333");
    // the flagged peers' bars are outlined, and the hover card names the list
    await page.waitForFunction(() => [...document.querySelectorAll("#peers svg g[aria-label='bar'] rect")]
      .filter((r) => (r.getAttribute("stroke") || r.parentNode.getAttribute("stroke")) === "#d62728").length === 2, null, WAIT);
    const outlined = await page.evaluate(() => {
      const r = [...document.querySelectorAll("#peers svg g[aria-label='bar'] rect")]
        .find((r) => (r.getAttribute("stroke") || r.parentNode.getAttribute("stroke")) === "#d62728");
      r.scrollIntoView({ block: "center" });
      const b = r.getBoundingClientRect();
      return { x: b.x, y: b.y + b.height / 2, width: b.width };
    });
    let card = "";
    for (let i = 1; i < 20 && !/lists\s*(linkinglion|tor_exit)/.test(card); i++) {
      await page.mouse.move(outlined.x + outlined.width * i / 20, outlined.y);
      card = await page.locator("#peers g[aria-label='tip']").textContent({ timeout: 200 }).catch(() => "");
    }
    if (!/lists\s*(linkinglion|tor_exit)/.test(card)) throw new Error("hover card " + card);
  },
  "tx-relay.html": async (page, shot) => {
    // every half second peer 13 announces a transaction first and peer 14 second
    await page.waitForFunction(() => document.querySelectorAll("#order svg g[aria-label='bar'] rect").length >= 3
      && document.querySelectorAll("#announced svg g[aria-label='area'] path").length >= 3, null, WAIT);
    await expectText(page, "#order", "second");
    await shot();
    await page.fill("#filter-peer", "14");
    await page.waitForFunction(() => document.querySelectorAll("#order svg g[aria-label='bar'] rect").length === 1
      && document.querySelectorAll("#announced svg g[aria-label='area'] path").length === 1, null, WAIT);
    await hoverUntil(page, page.locator("#order g[aria-label='bar'] rect").first(), "#order g[aria-label='tip']", "second", 0.5);
    await expectText(page, "#order g[aria-label='tip']", "192.0.2.14:8333");
  },
  "peer-map.html": async (page, shot) => {
    // the sample's peers 0 (outbound, IPv4) and 1 (inbound, IPv6), the test's peers 9, 12, 13 and 14, and flights
    await page.waitForSelector("#map circle[data-peer='0']", WAIT);
    await page.waitForSelector("#map circle[data-peer='1']", WAIT);
    await page.waitForFunction(() => document.querySelectorAll("#map .flights circle").length > 0, null, WAIT);
    // peer 0 is outbound full relay, nearer the centre than inbound peer 1
    const r = (id) => page.evaluate((id) => {
      const c = document.querySelector("#map circle[data-peer='" + id + "']");
      return Math.hypot(c.cx.baseVal.value - 380, c.cy.baseVal.value - 380);
    }, id);
    const [r0, r1] = [await r("0"), await r("1")];
    if (!(r0 < r1)) throw new Error("outbound peer at " + r0 + ", inbound at " + r1);
    await page.hover("#map circle[data-peer='1']");
    await expectText(page, "#card", "[2001:db8::7]:8333");
    await expectText(page, "#card", "Inbound, ipv6");
    // it animates (how fast is measured, not asserted: docs/websocket.md)
    await page.waitForFunction(() => Number(document.querySelector("#map svg").dataset.fps) > 0, null, WAIT);
    await shot();
    // only peer 0's messages fly when filtered to it
    await page.fill("#filter-peer", "0");
    await page.waitForFunction(() => document.querySelectorAll("#map .peers circle").length === 1
      && [...document.querySelectorAll("#map .flights circle")].length > 0, null, WAIT);
  },
};

// moves the pointer across the plot until the hover card shows the text
async function hoverUntil(page, target, selector, text, height = 0.8) {
  // the plot may be redrawn (its marks replaced) between finding the mark and scrolling to it: find it again
  let box = null;
  for (let tries = 0; !box; tries++) {
    try {
      await target.scrollIntoViewIfNeeded({ timeout: 2000 });
      box = await target.boundingBox({ timeout: 2000 });
    } catch (e) {
      if (tries === 5) throw e;
    }
  }
  for (const h of [height, 0.15, 0.3, 0.5]) {
    for (let i = 1; i < 20; i++) {
      await page.mouse.move(box.x + box.width * i / 20, box.y + box.height * h);
      const shown = await page.locator(selector).textContent({ timeout: 200 }).catch(() => "");
      if (shown.includes(text)) return;
    }
  }
  throw new Error(selector + " never showed " + JSON.stringify(text));
}

// waits until the element shows the text (the sample comes round every few seconds)
async function expectText(page, selector, text) {
  try {
    await page.waitForFunction(([s, t]) => {
      const e = document.querySelector(s);
      return e !== null && e.textContent.includes(t);
    }, [selector, text], WAIT);
  } catch (e) {
    const shown = await page.textContent(selector, { timeout: 1000 }).catch(() => null);
    throw new Error(selector + " shows " + JSON.stringify((shown || "nothing").replace(/\s+/g, " ")) + ", not " + JSON.stringify(text));
  }
}

// Upstream peer-observer's pages, as they connect: served by a web server of their own (here on a free port),
// websockets.json naming the tool's bare address; the tool sends upstream's frames (WEBSOCKET_FORMAT=upstream).
async function upstreamPage(context) {
  const page = fs.readFileSync(path.join(__dirname, "upstream", "index.html"));
  const sockets = JSON.stringify({ node: base.replace(/^http/, "ws") });
  const server = http.createServer((req, res) => {
    if (req.url === "/websockets.json") res.writeHead(200, { "content-type": "application/json" }).end(sockets);
    else if (req.url === "/") res.writeHead(200, { "content-type": "text/html" }).end(page);
    else res.writeHead(404).end();
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const tab = await context.newPage();
  const errors = [];
  tab.on("pageerror", (e) => errors.push(e.message));
  try {
    await tab.goto("http://127.0.0.1:" + server.address().port + "/");
    await tab.waitForFunction(() => {
      const seen = JSON.parse(document.getElementById("seen").textContent || "{}");
      return seen.commands && seen.commands.version > 0 && seen.commands.inv > 0 && seen.inbound > 0 && seen.peers >= 2;
    }, null, WAIT);
    if (errors.length) throw new Error("script errors: " + errors.join("; "));
    const state = await tab.textContent("#state");
    if (!state.startsWith("open ws://")) throw new Error("state " + state);
    console.log("ok upstream protocol: " + await tab.textContent("#seen"));
  } finally {
    if (shots) await tab.screenshot({ path: path.join(shots, "upstream-protocol.png"), fullPage: true });
    await tab.close();
    server.close();
  }
}

// Before any data, in a phone-wide window: the feed's socket opens and stays silent. Each plot page says it is
// waiting, every plot shows its "nothing yet" text, and nothing is wider than the window.
const PLOT_PAGES = ["peer-map.html", "rates.html", "ping-times.html", "addr-relay.html", "tx-relay.html", "mempool.html",
  "race-timeline.html", "connection-events.html"];
async function beforeData(context) {
  for (const name of PLOT_PAGES) {
    const page = await context.newPage();
    try {
      await page.setViewportSize({ width: 390, height: 800 });
      await page.addInitScript(() => {
        window.WebSocket = class {
          constructor() { setTimeout(() => this.onopen && this.onopen(), 10); }
          close() {}
        };
      });
      await page.goto(base + "/" + name);
      await expectText(page, "#status", "no data has arrived yet");
      await page.waitForFunction(() => {
        const plots = [...document.querySelectorAll(".plot")];
        return plots.every((p) => /^No .* yet\.$/.test(p.textContent.trim()))
          && (plots.length > 0 || document.querySelector("#map text.empty").textContent === "No peers yet.");
      }, null, WAIT);
      const [scroll, width] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      if (scroll > width) throw new Error("wider than a 390 px window: " + scroll + " px");
      if (shots) await page.screenshot({ path: path.join(shots, "narrow-before-data-" + name.replace(".html", ".png")), fullPage: true });
      console.log("ok before data, narrow: " + name);
    } finally {
      await page.close();
    }
  }
}

(async () => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), "chromium-profile-"));
  // launchPersistentContext: a fresh profile directory of our own instead of Playwright's
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  let failed = false;
  try {
    for (const [name, check] of Object.entries(checks)) {
      const page = await context.newPage();
      let shotTaken = false;
      const errors = [];
      page.on("pageerror", (e) => errors.push(e.message));
      try {
        await page.goto(base + "/" + name);
        const about = await page.textContent("p.about");
        if (!about.trim()) throw new Error("no description");
        // every page links to the others and to Grafana (WEBSOCKET_GRAFANA_URL is set)
        await page.waitForSelector("nav a#grafana[href='http://127.0.0.1:3000/d/peer-observer']", WAIT);
        if (await page.locator("nav a[href='peer-map.html']").count() !== 1) throw new Error("no link to the peer map");
        // a page may take its screenshot before it filters what it shows
        const shot = async () => {
          shotTaken = true;
          if (shots) await page.screenshot({ path: path.join(shots, name.replace(".html", ".png")), fullPage: true });
        };
        await check(page, shot);
        await page.waitForFunction(() => document.getElementById("status").textContent !== "", null, WAIT);
        if (errors.length) throw new Error("script errors: " + errors.join("; "));
        console.log("ok " + name);
      } catch (e) {
        failed = true;
        console.log("FAILED " + name + ": " + e.message.split("\n")[0]);
      } finally {
        if (shots && !shotTaken) await page.screenshot({ path: path.join(shots, name.replace(".html", ".png")), fullPage: true });
        await page.close();
      }
    }
    try {
      await upstreamPage(context);
    } catch (e) {
      failed = true;
      console.log("FAILED upstream protocol: " + e.message.split("\n")[0]);
    }
    try {
      await beforeData(context);
    } catch (e) {
      failed = true;
      console.log("FAILED before data: " + e.message.split("\n")[0]);
    }
  } finally {
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  }
  process.exit(failed ? 1 : 0);
})().catch((e) => {
  console.log("FAILED " + e.message.split("\n")[0]);
  process.exit(1);
});
