// The overview page: every service and real server as `jlvsadm -L -n` lists them, with live counters and rates from
// the stats events, the connection table's occupancy, the drops that happened and the VRRP state.

import { byId, el, setText } from './dom.js';
import { bytes, clock, flagsText, forwardName, integer, protocolName, serviceAddress } from './format.js';
import { conditionDetail, serverCondition } from './health.js';
import { serverKey, settingsKey, state, subscribe } from './state.js';

/** A row's cells by their data-cell name, for the live updates. */
function cells(row) {
  const found = {};
  for (const td of row.cells) found[td.dataset.cell] = td;
  return found;
}

function cell(name, text, numeric) {
  return el('td', { class: name + (numeric ? ' num' : ''), 'data-cell': name }, text);
}

function serviceRow(service) {
  return el('tr', { class: 'service-row', 'data-service': service.id },
    cell('prot', protocolName(service.protocol)),
    el('th', { scope: 'row', class: 'address', 'data-cell': 'address' }, serviceAddress(service)),
    cell('scheduler', service.scheduler),
    cell('flags', flagsText(service)),
    cell('weight', '', true),
    cell('active-conns', '', true),
    cell('inactive-conns', '', true),
    cell('conn-rate', '', true),
    cell('packet-rate', '', true),
    cell('byte-rate', '', true),
    cell('health', ''));
}

function serverRow(service, server) {
  const condition = serverCondition(server);
  return el('tr', {
    class: 'server-row health-' + condition.key,
    'data-server': server.address,
    'data-of-service': service.id,
  },
  cell('prot', '->'),
  el('th', { scope: 'row', class: 'address', 'data-cell': 'address' }, server.address),
  cell('forward', forwardName(server.method)),
  cell('flags', ''),
  cell('weight', integer(server.weight), true),
  cell('active-conns', integer(server.activeConnections), true),
  cell('inactive-conns', integer(server.inactiveConnections), true),
  cell('conn-rate', '', true),
  cell('packet-rate', '', true),
  cell('byte-rate', '', true),
  el('td', { class: 'health', 'data-cell': 'health', title: conditionDetail(server) },
    el('span', { class: 'health-badge' }, condition.label)));
}

/** The rates of a row, and its connections since the service was created (in the tooltip and data-connections). */
function showRates(tr, c, live) {
  const r = live.rates || {};
  const total = (live.stats && live.stats.connections) || 0;
  tr.dataset.connections = total;
  c['conn-rate'].title = integer(total) + ' connections in all';
  setText(c['conn-rate'], integer(r.connections));
  setText(c['packet-rate'], integer((r.packetsIn || 0) + (r.packetsOut || 0)));
  const b = (r.bytesIn || 0) + (r.bytesOut || 0);
  setText(c['byte-rate'], bytes(b));
  c['byte-rate'].title = integer(r.bytesIn) + ' in, ' + integer(r.bytesOut) + ' out bytes/s';
}

export function createOverview() {
  const body = byId('services-body');
  const empty = byId('no-services');
  let rows = []; // { kind, service, server, cells }

  let shownKey = null;

  /** Rebuilds the rows when the settings or health changed; the counters are the stats events' job. */
  function renderServices(services) {
    const key = settingsKey(services);
    if (key === shownKey) return;
    shownKey = key;
    const fresh = [];
    const nodes = [];
    for (const service of services) {
      const row = serviceRow(service);
      nodes.push(row);
      fresh.push({ kind: 'service', service, tr: row, cells: cells(row) });
      for (const server of service.servers || []) {
        const srow = serverRow(service, server);
        nodes.push(srow);
        fresh.push({ kind: 'server', service, server, tr: srow, cells: cells(srow) });
      }
    }
    body.replaceChildren(...nodes);
    rows = fresh;
    empty.hidden = services.length > 0;
    if (state.stats) updateCounters();
  }

  function updateCounters() {
    for (const row of rows) {
      if (row.kind === 'service') {
        const live = state.serviceStats.get(row.service.id);
        if (!live) continue;
        let active = 0;
        let inactive = 0;
        for (const s of live.servers || []) {
          active += s.activeConnections || 0;
          inactive += s.inactiveConnections || 0;
        }
        setText(row.cells['active-conns'], integer(active));
        setText(row.cells['inactive-conns'], integer(inactive));
        showRates(row.tr, row.cells, live);
      } else {
        const live = state.serverStats.get(serverKey(row.service.id, row.server.address));
        if (!live) continue;
        setText(row.cells['active-conns'], integer(live.activeConnections));
        setText(row.cells['inactive-conns'], integer(live.inactiveConnections));
        showRates(row.tr, row.cells, live);
      }
    }
  }

  function updateSummary(stats) {
    const table = stats.table || {};
    const meter = byId('table-meter');
    meter.max = Math.max(1, table.capacity || 1);
    meter.value = table.entries || 0;
    const percent = table.capacity ? ((100 * (table.entries || 0)) / table.capacity).toFixed(1) + ' %' : '';
    setText(byId('table-occupancy-text'),
      integer(table.entries) + ' of ' + integer(table.capacity) + (percent ? ' (' + percent + ')' : ''));
    const drops = Object.entries(stats.drops || {}).filter(([, n]) => n > 0);
    byId('drops').hidden = drops.length === 0;
    byId('drops-list').replaceChildren(...drops.map(([reason, n]) =>
      el('li', { class: 'badge badge-warn', 'data-drop': reason }, reason + ' ' + integer(n))));
    const time = byId('stats-time');
    setText(time, stats.time ? clock(stats.time) : '–');
    time.dataset.time = stats.time || 0; // the event's own time, in milliseconds
  }

  function renderStatus(status) {
    const instances = (status && status.vrrp) || [];
    byId('vrrp').hidden = instances.length === 0;
    byId('vrrp-list').replaceChildren(...instances.map((v) =>
      el('li', { class: 'badge vrrp-' + String(v.state).toLowerCase(), 'data-vrrp': v.instance },
        v.instance + ' ' + v.state)));
  }

  subscribe('services', renderServices);
  subscribe('stats', (stats) => {
    updateCounters();
    updateSummary(stats);
  });
  subscribe('status', renderStatus);
  return { show() {}, hide() {} };
}
