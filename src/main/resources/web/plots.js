// Shared by the plot pages (d3 and Observable Plot, served from vendor/): the control bar (pause, time window,
// filters), and per-second counts by arrival time: events from several sources (a replay of an old capture, a live
// node) carry clocks that need not agree, and a replay then draws at the pace it is replayed.
"use strict";

const WINDOWS = [["1 min", 60], ["5 min", 300], ["15 min", 900], ["1 h", 3600]];

// Builds the control bar in #controls: pause/resume, the time window (unless withWindow is false), and a text
// filter per name given (e.g. ["peer", "command"]). Returns the live state the page reads when it draws.
function plotControls(filterNames, onChange, withWindow = true) {
  const state = { paused: false, seconds: 60, filters: {} };
  const bar = document.getElementById("controls");
  const pause = el("button", { id: "pause", type: "button" }, "Pause");
  pause.onclick = () => {
    state.paused = !state.paused;
    pause.textContent = state.paused ? "Resume" : "Pause";
    bar.dataset.paused = state.paused;
    onChange();
  };
  const windowSelect = el("select", { id: "window" }, ...WINDOWS.map(([name, s]) => el("option", { value: s, selected: s === state.seconds }, name)));
  windowSelect.onchange = () => { state.seconds = Number(windowSelect.value); onChange(); };
  bar.append(pause);
  if (withWindow) bar.append(el("label", {}, "window ", windowSelect));
  for (const name of filterNames) {
    const input = el("input", { id: "filter-" + name, type: "search", placeholder: "all", size: 10 });
    input.oninput = () => { state.filters[name] = input.value.trim(); onChange(); };
    bar.append(el("label", {}, name + " ", input));
  }
  return state;
}

// True when the filter is empty or the value equals it.
function passes(filter, value) {
  return !filter || String(value) === filter;
}

// Counts per second (of arrival), by a key the page chooses; bounded in seconds and in keys per second
// (what does not fit is counted in dropped, and the page says so).
class SecondCounts {
  constructor(maxSeconds, maxKeysPerSecond) {
    this.maxSeconds = maxSeconds;
    this.maxKeys = maxKeysPerSecond;
    this.seconds = new Map();
    this.latest = 0;
    this.dropped = 0;
  }

  // fields: the row's fixed fields (its key is their values); adds n and the other sums to it.
  add(timeMs, fields, sums) {
    const second = Math.floor(timeMs / 1000);
    let rows = this.seconds.get(second);
    if (!rows) {
      if (second < Math.floor(this.latest / 1000) - this.maxSeconds) return;
      rows = new Map();
      this.seconds.set(second, rows);
      this.prune();
    }
    const key = Object.values(fields).join("\t");
    let row = rows.get(key);
    if (!row) {
      if (rows.size >= this.maxKeys) { this.dropped++; return; }
      row = Object.assign({}, fields);
      for (const k of Object.keys(sums)) row[k] = 0;
      rows.set(key, row);
    }
    for (const [k, v] of Object.entries(sums)) row[k] += v;
    this.latest = Math.max(this.latest, timeMs);
  }

  prune() {
    const oldest = Math.floor(this.latest / 1000) - this.maxSeconds;
    for (const second of this.seconds.keys()) if (second < oldest) this.seconds.delete(second);
  }

  // The rows of the last `seconds` before now, each with its second.
  *since(seconds) {
    const from = Math.floor(Date.now() / 1000) - seconds;
    for (const [second, rows] of this.seconds) {
      if (second > from) for (const row of rows.values()) yield [second, row];
    }
  }
}

// Seconds per bucket for a window: about 60 buckets.
function bucketSeconds(windowSeconds) {
  return Math.max(1, Math.round(windowSeconds / 60));
}

// Draws a plot into the element, or its "nothing yet" text; the width follows the element (narrow windows).
function drawPlot(id, hasData, emptyText, options) {
  const box = document.getElementById(id);
  // a plot under the pointer holds still, so its hover card can be read
  if (box.matches(":hover") && box.querySelector("svg")) return;
  if (!hasData) {
    box.replaceChildren(el("p", { className: "empty" }, emptyText));
    return;
  }
  const plot = Plot.plot(Object.assign({ width: Math.max(280, box.clientWidth), height: 260, marginLeft: 60, clip: true,
    style: { fontSize: "12px" } }, options));
  box.replaceChildren(plot);
  box.dataset.drawn = Number(box.dataset.drawn || 0) + 1;
}

// A stacked bar per time bucket of the window: each row's n, coloured by its field fill (rows of bucketRows).
function drawBuckets(id, rows, emptyText, yLabel, fill, color, windowSeconds) {
  drawPlot(id, rows.length > 0, emptyText, {
    x: timeAxis(windowSeconds),
    y: { label: yLabel, grid: true },
    color: Object.assign({ legend: true }, color),
    marks: [Plot.rectY(rows, { x: "time", interval: d3.utcSecond.every(bucketSeconds(windowSeconds)), y: "n", fill, tip: true }),
      Plot.ruleY([0])],
  });
}

// The counts of the window in buckets, summed by the fields named: rows {time, <field>..., <sum>...}, every
// combination of fields present in every bucket (zeros included) so stacks have no holes.
function bucketRows(counts, windowSeconds, fields, sums, keep) {
  const bucket = bucketSeconds(windowSeconds);
  const now = Math.floor(Date.now() / 1000);
  const sumsByKey = new Map(), groups = new Map();
  for (const [second, row] of counts.since(windowSeconds)) {
    if (keep && !keep(row)) continue;
    const b = Math.floor(second / bucket) * bucket;
    const group = fields.map((f) => row[f]).join("\t");
    if (!groups.has(group)) groups.set(group, Object.fromEntries(fields.map((f) => [f, row[f]])));
    const key = b + "\t" + group;
    const s = sumsByKey.get(key) || Object.fromEntries(sums.map((k) => [k, 0]));
    for (const k of sums) s[k] += row[k];
    sumsByKey.set(key, s);
  }
  const rows = [];
  // one bucket past now: a step curve draws the current bucket up to its end (the plots clip at now)
  for (let b = Math.floor((now - windowSeconds) / bucket) * bucket; b <= now + bucket; b += bucket) {
    for (const [group, values] of groups) {
      const s = sumsByKey.get(b + "\t" + group) || Object.fromEntries(sums.map((k) => [k, 0]));
      const row = Object.assign({ time: new Date(b * 1000) }, values);
      for (const k of sums) row[k] = s[k] / bucket;
      rows.push(row);
    }
  }
  return rows;
}

// The x scale of a window ending now.
function timeAxis(windowSeconds) {
  const now = Date.now();
  return { type: "time", domain: [new Date(now - windowSeconds * 1000), new Date(now)], label: null };
}

// Bitcoin Core's Network numbers, as the ebpf extractor's connection events carry them.
const NETWORKS = ["unroutable", "ipv4", "ipv6", "onion", "i2p", "cjdns", "internal"];
