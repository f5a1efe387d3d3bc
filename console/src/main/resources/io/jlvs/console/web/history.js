// The rates of the last ten minutes, one point per stats event, kept in the browser for the charts: connections/s
// and bytes/s (in + out) of every service and every real server, aligned on one time axis.

import { serverKey } from './state.js';

const CAPACITY = 600; // points: ten minutes of one event a second

const times = []; // seconds since the epoch, as uPlot's x axis wants them
const series = new Map(); // key (service id, or serverKey) -> { connections: [], bytes: [] }

function push(key, connections, bytes, seen) {
  let s = series.get(key);
  if (!s) {
    // a series born now has no points before: nulls keep it aligned with the time axis
    const gap = times.length - 1;
    s = { connections: new Array(gap).fill(null), bytes: new Array(gap).fill(null) };
    series.set(key, s);
  }
  s.connections.push(connections);
  s.bytes.push(bytes);
  seen.add(key);
}

/** Adds the rates of one stats event. */
export function record(stats) {
  const t = (stats.time || Date.now()) / 1000;
  if (times.length && t <= times[times.length - 1]) return; // a repeated event after a reconnection
  times.push(t);
  const seen = new Set();
  for (const service of stats.services || []) {
    const r = service.rates || {};
    push(service.id, r.connections ?? 0, (r.bytesIn ?? 0) + (r.bytesOut ?? 0), seen);
    for (const server of service.servers || []) {
      const sr = server.rates || {};
      push(serverKey(service.id, server.address), sr.connections ?? 0, (sr.bytesIn ?? 0) + (sr.bytesOut ?? 0), seen);
    }
  }
  for (const [key, s] of series) {
    if (!seen.has(key)) {
      s.connections.push(null);
      s.bytes.push(null);
    }
  }
  if (times.length > CAPACITY) {
    times.shift();
    for (const [key, s] of series) {
      s.connections.shift();
      s.bytes.shift();
      if (s.connections.every((v) => v === null)) series.delete(key); // gone for the whole window
    }
  }
}

/**
 * The points of the last windowSeconds: { times, values(key, metric) } where metric is 'connections' or 'bytes'
 * and values answers an array aligned with times (nulls where the series had no point).
 */
export function lastSeconds(windowSeconds) {
  const newest = times.length ? times[times.length - 1] : 0;
  let from = 0;
  while (from < times.length && times[from] < newest - windowSeconds) from++;
  return {
    times: times.slice(from),
    values(key, metric) {
      const s = series.get(key);
      if (!s) return new Array(times.length - from).fill(null);
      return s[metric].slice(from);
    },
  };
}
