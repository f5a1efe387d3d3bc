// The daemon's recent log events on the overview (changes applied, health transitions, VRRP states, refusals):
// the last ones from GET /api/v1/log at start, then those the event stream's log events bring, newest first.

import { getJson } from './api.js';
import { byId, el } from './dom.js';
import { clock } from './format.js';

const SHOWN = 50;

export function createDaemonLog() {
  const list = byId('daemon-log');
  const empty = byId('no-daemon-log');
  let events = []; // oldest first
  let lastSeq = 0;

  function render() {
    list.replaceChildren(...events.slice(-SHOWN).reverse().map((e) =>
      el('li', { class: 'log-' + String(e.level).toLowerCase(), 'data-seq': e.seq },
        el('time', { datetime: new Date(e.time).toISOString() }, clock(e.time)), ' ',
        el('span', { class: 'log-level' }, e.level), ' ',
        el('span', { class: 'log-source' }, e.source), ' ',
        el('span', { class: 'log-message' }, e.message))));
    empty.hidden = events.length > 0;
  }

  /** Takes events in the order of their numbers; those already shown (the read and the stream overlap) are skipped. */
  function add(fresh) {
    const newer = (fresh || []).filter((e) => e.seq > lastSeq);
    if (newer.length === 0) return;
    lastSeq = newer[newer.length - 1].seq;
    events = events.concat(newer).slice(-SHOWN);
    render();
  }

  return {
    add,
    async load() {
      try {
        const body = await getJson('log' + (lastSeq ? '?after=' + lastSeq : ''));
        add(body.events);
      } catch {
        // the overview works without its log; the stream's log events fill it later
      }
    },
  };
}
