// Shared by the plot pages (d3 and Observable Plot, served from vendor/): the control bar (pause, time window,
// filters), and per-second counts by arrival time: events from several sources (a replay of an old capture, a live
// node) carry clocks that need not agree, and a replay then draws at the pace it is replayed.
"use strict";

const WINDOWS = [["1 min", 60], ["5 min", 300], ["15 min", 900], ["1 h", 3600]];

// Builds the control bar in #controls: pause/resume, the time window, and a text filter per name given
// (e.g. ["peer", "command"]). Returns the live state the page reads when it draws.
function plotControls(filterNames, onChange) {
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
  bar.append(pause, el("label", {}, "window ", windowSelect));
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
  if (!hasData) {
    box.replaceChildren(el("p", { className: "empty" }, emptyText));
    return;
  }
  const plot = Plot.plot(Object.assign({ width: Math.max(280, box.clientWidth), height: 260, marginLeft: 60, style: { fontSize: "12px" } }, options));
  box.replaceChildren(plot);
  box.dataset.drawn = Number(box.dataset.drawn || 0) + 1;
}
