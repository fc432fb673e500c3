// Shared by the pages: the connection to the feed, the status line, and small DOM and chart helpers.
// Event fields are untrusted text: they only ever reach the page through textContent, never as HTML.
"use strict";

// Connects to ws://<this host>/events with the page's filter (a query string, or "") and calls onFrame for every event frame.
// Redraws are batched (render runs at most twice a second) so a busy node cannot freeze the page.
function openFeed(query, onFrame, render) {
  const status = document.getElementById("status");
  let events = 0, missed = 0, last = 0, dirty = true, retry = 1000;
  function line(text, state) {
    status.textContent = text;
    status.dataset.state = state;
  }
  function connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    // our frames whatever WEBSOCKET_FORMAT says
    const ws = new WebSocket(scheme + "//" + location.host + "/events" + (query ? query + "&" : "?") + "format=proto-json");
    line("Connecting to the feed…", "connecting");
    ws.onopen = () => { retry = 1000; line("Connected; no data has arrived yet.", "waiting"); };
    ws.onmessage = (m) => {
      let frame;
      try { frame = JSON.parse(m.data); } catch (e) { return; }
      if (frame.missed !== undefined) {
        missed = frame.missed_total;
      } else {
        events++;
        last = Date.now();
        onFrame(frame);
      }
      dirty = true;
    };
    ws.onclose = (e) => {
      line("Disconnected from the feed" + (e.reason ? " (" + e.reason + ")" : "") + "; retrying.", "disconnected");
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 30000);
    };
  }
  setInterval(() => {
    if (last) {
      const ago = Math.round((Date.now() - last) / 1000);
      line("Receiving data: " + events + " events, the last " + (ago < 2 ? "just now" : ago + " s ago")
        + (missed ? "; " + missed + " missed because this page fell behind" : "") + ".", "receiving");
    }
    if (dirty) {
      dirty = false;
      render();
    }
  }, 500);
  connect();
}

// Builds an element; children are nodes or text.
function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k.startsWith("data-")) e.setAttribute(k, v); else e[k] = v;
  }
  for (const c of children) e.append(c instanceof Node ? c : String(c));
  return e;
}

// Replaces the rows of tbody with one <tr> per row (an array of cell values).
function fillTable(tbody, rows) {
  tbody.replaceChildren(...rows.map((r) => el("tr", {}, ...r.map((c) => el("td", {}, c)))));
}

// protobuf's JSON mapping writes 64-bit integers as strings.
function num(v) {
  return v === undefined ? 0 : Number(v);
}

// A line chart of named series ({name: [[time ms, value]...]}) as inline SVG.
function drawChart(svg, series, unit) {
  const W = 800, H = 240, L = 60, B = 20, colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];
  const all = Object.values(series).flat();
  svg.setAttribute("viewBox", "0 0 " + W + " " + H);
  svg.replaceChildren();
  if (!all.length) return;
  const t0 = Math.min(...all.map((p) => p[0])), t1 = Math.max(...all.map((p) => p[0]), t0 + 1);
  const vmax = Math.max(...all.map((p) => p[1]), 1e-9);
  const x = (t) => L + (W - L - 10) * (t - t0) / (t1 - t0), y = (v) => H - B - (H - B - 10) * v / vmax;
  const ns = "http://www.w3.org/2000/svg";
  const add = (tag, attrs, text) => {
    const e = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    svg.append(e);
  };
  add("line", { x1: L, y1: H - B, x2: W - 10, y2: H - B, stroke: "#999" });
  add("line", { x1: L, y1: 10, x2: L, y2: H - B, stroke: "#999" });
  add("text", { x: L - 4, y: 16, "text-anchor": "end", "font-size": 11 }, vmax.toFixed(1) + " " + unit);
  add("text", { x: L - 4, y: H - B, "text-anchor": "end", "font-size": 11 }, "0");
  add("text", { x: W - 10, y: H - 4, "text-anchor": "end", "font-size": 11 }, new Date(t1).toISOString().substring(11, 19) + " UTC");
  Object.entries(series).forEach(([name, points], i) => {
    const color = colors[i % colors.length];
    add("polyline", { fill: "none", stroke: color, "stroke-width": 1.5, "data-series": name,
      points: points.map((p) => x(p[0]).toFixed(1) + "," + y(p[1]).toFixed(1)).join(" ") });
    // the latest value as a dot: a series of one point draws no line
    const [lt, lv] = points[points.length - 1];
    add("circle", { cx: x(lt).toFixed(1), cy: y(lv).toFixed(1), r: 3, fill: color });
    add("text", { x: L + 8, y: 24 + 14 * i, fill: color, "font-size": 12 }, name);
  });
}

// Keeps at most max items, dropping the oldest.
function pushBounded(list, item, max) {
  list.push(item);
  if (list.length > max) list.splice(0, list.length - max);
}

// The same navigation on every page.
const PAGES = [["index.html", "Overview"], ["peers.html", "Peers"], ["messages.html", "Messages"],
  ["pings.html", "Pings"], ["connections.html", "Connections"], ["races.html", "Block races"],
  ["rates.html", "Message rates"], ["connection-events.html", "Connections over time"], ["mempool.html", "Mempool"], ["race-timeline.html", "Race timeline"], ["ping-times.html", "Ping times"], ["addr-relay.html", "Address relay"], ["tx-relay.html", "Transaction relay"], ["peer-map.html", "Peer map"]];
document.addEventListener("DOMContentLoaded", () => {
  const nav = document.querySelector("nav");
  if (!nav) return;
  nav.replaceChildren(...PAGES.map(([href, name]) => el("a", { href }, name)));
  // Grafana, when WEBSOCKET_GRAFANA_URL names it
  fetch("links.json").then((r) => r.json()).then((links) => {
    if (links.grafana) nav.append(el("a", { href: links.grafana, id: "grafana" }, "Grafana"));
  }).catch(() => {});
});
