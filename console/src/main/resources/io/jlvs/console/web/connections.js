// The connections page: GET /api/v1/connections with its filters and paging, which live in the page's hash
// (#/connections?service=...&offset=100) so that a view can be bookmarked and the browser's back button pages back.

import { getJson } from './api.js';
import { byId, el, setText } from './dom.js';
import { expires, protocolName, serviceAddress } from './format.js';
import { askForToken, tokenMessage } from './token.js';
import { state, subscribe } from './state.js';

const FILTERS = ['service', 'server', 'client', 'state'];
const DEFAULT_LIMIT = 100;

export function createConnections({ navigate }) {
  const form = byId('connections-filter');
  const f = form.elements;
  let params = new URLSearchParams();
  let loads = 0; // numbers the loads, so that an answer overtaken by a newer request is dropped

  function renderServiceChoices(services) {
    const chosen = f.service.value;
    f.service.replaceChildren(el('option', { value: '' }, 'any'), ...services.map((s) =>
      el('option', { value: s.id }, protocolName(s.protocol) + ' ' + serviceAddress(s))));
    f.service.value = chosen;
  }
  subscribe('services', renderServiceChoices);

  function limit() {
    return Number(params.get('limit')) || DEFAULT_LIMIT;
  }

  function offset() {
    return Number(params.get('offset')) || 0;
  }

  function go(changes) {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(changes)) {
      if (v === '' || v === null || v === undefined) next.delete(k);
      else next.set(k, v);
    }
    navigate('connections', next);
  }

  async function load() {
    const query = new URLSearchParams();
    for (const name of FILTERS) if (params.get(name)) query.set(name, params.get(name));
    query.set('offset', offset());
    query.set('limit', limit());
    setText(byId('connections-error'), '');
    const table = byId('connections-table');
    table.setAttribute('aria-busy', 'true');
    const load = ++loads;
    let answer;
    try {
      answer = await getJson('connections?' + query);
    } catch (e) {
      if (load !== loads) return;
      table.setAttribute('aria-busy', 'false');
      if (e.needsToken) askForToken(e);
      setText(byId('connections-error'), e.needsToken ? tokenMessage(e) : 'Cannot list the connections: ' + e.message);
      return;
    }
    if (load !== loads) return;
    const last = answer;
    const rows = last.connections || [];
    byId('connections-body').replaceChildren(...rows.map((c) => el('tr', { 'data-connection': c.client },
      el('td', {}, c.protocol), el('td', { class: 'state' }, c.state), el('td', { class: 'num' }, expires(c.expires)),
      el('td', { class: 'client' }, c.client), el('td', {}, c.virtual), el('td', { class: 'server' }, c.server))));
    const first = rows.length ? last.offset + 1 : 0;
    setText(byId('connections-range'), rows.length
      ? first + '–' + (last.offset + rows.length) + ' of ' + last.total
      : (last.total ? 'nothing on this page, ' + last.total + ' in all' : 'no connection matches'));
    byId('connections-range').dataset.total = last.total;
    table.dataset.query = query.toString(); // which filters the rows shown answer
    table.setAttribute('aria-busy', 'false');
    byId('connections-prev').disabled = last.offset === 0;
    byId('connections-next').disabled = last.offset + rows.length >= last.total;
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const changes = { offset: '', limit: f.limit.value === String(DEFAULT_LIMIT) ? '' : f.limit.value };
    for (const name of FILTERS) changes[name] = f[name].value.trim();
    go(changes);
  });
  form.addEventListener('reset', () => {
    setTimeout(() => navigate('connections', new URLSearchParams()), 0); // after the fields are cleared
  });
  byId('connections-prev').addEventListener('click', () => go({ offset: Math.max(0, offset() - limit()) || '' }));
  byId('connections-next').addEventListener('click', () => go({ offset: offset() + limit() }));
  byId('connections-refresh').addEventListener('click', load);

  return {
    show(query) {
      params = query;
      if (state.services) renderServiceChoices(state.services);
      for (const name of FILTERS) f[name].value = params.get(name) || '';
      f.limit.value = String(limit());
      load();
    },
    hide() {},
  };
}
