// The Layer 7 page: the layer-7 proxy's services (tcpvsadm -L -n --stats) with their servers, rules and hits, what
// the proxy did with their connections and the splicer that carries them; read again every few seconds while shown.

import { getJson } from './api.js';
import { byId, el, setText } from './dom.js';
import { askForToken, tokenMessage } from './token.js';

const REFRESH_EVERY_MS = 2000;
const STATUSES = ['400', '431', '502', '503', '504'];
const STATUS_MEANING = {
  400: 'malformed head',
  431: 'head too large',
  502: 'server refused',
  503: 'no server',
  504: 'server did not answer',
};

function count(n) {
  return Number(n).toLocaleString('en');
}

function settingsText(service) {
  const parts = ['listen ' + service.listen, 'scheduler ' + service.scheduler, 'splice ' + service.splice];
  if (service.xff) parts.push('xff');
  if (service.proxyProtocol !== 'none') parts.push('proxy-protocol ' + service.proxyProtocol);
  if (service.source) parts.push('source ' + service.source);
  return parts.join(' · ');
}

function table(caption, headings, rows, numeric) {
  return el('div', { class: 'table-scroll', tabindex: 0, role: 'region', 'aria-label': caption },
    el('table', { class: 'lvs-table' },
      el('caption', {}, caption),
      el('thead', {}, el('tr', {}, headings.map((h, i) =>
        el('th', { scope: 'col', class: numeric.includes(i) ? 'num' : null }, h)))),
      el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map((c, i) =>
        el('td', { class: numeric.includes(i) ? 'num' : null }, c)))))));
}

function figures(service) {
  const c = service.counters;
  const s = service.splicer;
  const items = [
    ['Accepted', count(c.accepted)],
    ['Spliced', count(c.spliced)],
    ['Spliced now', count(c.splicedNow)],
    ...STATUSES.map((status) => ['Answered ' + status + ' (' + STATUS_MEANING[status] + ')', count(c.answered[status])]),
    ['Slow heads closed', count(c.slowHeadsClosed)],
    ['Splicer', s.mode === null ? 'none (stopped)' : s.mode],
    ['Splicer pairs', count(s.pairs)],
    ['Sockhash entries', count(s.sockhashEntries)],
  ];
  // each term and its value in one div (allowed in a dl), so that the grid keeps them together
  return el('dl', { class: 'l7-figures' },
    items.map(([term, value]) => el('div', {}, el('dt', {}, term), el('dd', {}, value))));
}

function servicePanel(service) {
  const servers = service.servers.map((s) => [s.address, s.weight, count(s.activeConnections)]);
  const rules = service.rules.map((r) => [r.index, r.header || 'URL', r.pattern, r.match, r.server, count(r.hits)]);
  return el('section', { class: 'panel l7-service', 'aria-labelledby': 'l7-service-' + service.ident },
    el('h2', { id: 'l7-service-' + service.ident }, service.ident + ' ',
      el('span', { class: 'badge', 'data-state': service.state }, service.state)),
    el('p', { class: 'hint' }, settingsText(service)),
    figures(service),
    servers.length
      ? table('Servers of ' + service.ident, ['Server', 'Weight', 'Active connections'], servers, [1, 2])
      : el('p', { class: 'empty' }, 'No server: requests are answered 503.'),
    rules.length
      ? table('Rules of ' + service.ident, ['#', 'Matches', 'Pattern', 'Match group', 'Server', 'Hits'], rules, [0, 3, 5])
      : el('p', { class: 'empty' }, 'No rule.'));
}

export function createLayer7Page() {
  let timer = null;

  async function load() {
    try {
      const { services } = await getJson('l7/services');
      setText(byId('l7-error'), '');
      byId('l7-services').replaceChildren(...services.map(servicePanel));
      byId('no-l7-services').hidden = services.length > 0;
    } catch (e) {
      if (e.needsToken) askForToken(e);
      byId('l7-services').replaceChildren();
      byId('no-l7-services').hidden = true;
      setText(byId('l7-error'), e.needsToken ? tokenMessage(e)
        : e.status === 503 ? e.message : 'Cannot read the layer-7 services: ' + e.message);
    }
  }

  return {
    show() {
      load();
      if (!timer) timer = setInterval(load, REFRESH_EVERY_MS);
    },
    hide() {
      clearInterval(timer);
      timer = null;
    },
  };
}
