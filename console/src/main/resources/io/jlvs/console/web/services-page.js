// The configuration page: the two forms, and every service with its real servers and their actions (edit, change
// the weight, drain or undrain, delete).

import { send, serverPath, servicePath } from './api.js';
import { byId, el, setText } from './dom.js';
import { flagsText, forwardName, integer, protocolName, serviceAddress } from './format.js';
import { askForToken, tokenMessage } from './token.js';
import { conditionDetail, serverCondition } from './health.js';
import { createServerForm } from './server-form.js';
import { createServiceForm } from './service-form.js';
import { refreshServices, settingsKey, state, subscribe } from './state.js';

const CONFIRM_MS = 4000;

/**
 * A delete button that asks for a second click within a few seconds before it acts; onArm(text) says so where a
 * screen reader hears it.
 */
function deleteButton(label, what, focusKey, onArm, action) {
  let armedUntil = 0;
  const button = el('button', { type: 'button', class: 'danger', 'data-focus-key': focusKey,
    'aria-label': label + ' ' + what }, label);
  button.addEventListener('click', () => {
    if (Date.now() < armedUntil) {
      armedUntil = 0;
      action();
      return;
    }
    armedUntil = Date.now() + CONFIRM_MS;
    onArm('Press the button again within ' + CONFIRM_MS / 1000 + ' seconds to delete ' + what + '.');
    button.textContent = 'Confirm: ' + label.toLowerCase();
    button.setAttribute('aria-label', 'Confirm: ' + label.toLowerCase() + ' ' + what);
    button.classList.add('armed');
    setTimeout(() => {
      button.textContent = label;
      button.setAttribute('aria-label', label + ' ' + what);
      button.classList.remove('armed');
    }, CONFIRM_MS);
  });
  return button;
}

export function createServicesPage() {
  const list = byId('service-list');
  const empty = byId('no-service-list');
  const serverForm = createServerForm();
  const serviceForm = createServiceForm({ onAdded: (service) => serverForm.addTo(service.id) });

  function listError(message) {
    setText(byId('service-list-status'), '');
    setText(byId('service-list-error'), message);
  }

  function listStatus(message) {
    setText(byId('service-list-error'), '');
    setText(byId('service-list-status'), message);
  }

  /**
   * Runs a change from the list: doing names it in a failure ("Draining 10.0.1.2:80 failed: ..."), done in the
   * success; the outcome is announced at the list, or next to the field given.
   */
  async function act(doing, done, call, fieldError) {
    listError('');
    if (fieldError) setText(fieldError, '');
    try {
      await call();
      listStatus(done + '.');
      await refreshServices();
    } catch (e) {
      if (e.needsToken) {
        askForToken(e);
        listError(tokenMessage(e));
        return;
      }
      const message = doing + ' failed: ' + e.message + (e.command ? ' (' + e.command + ')' : '');
      if (fieldError) setText(fieldError, message);
      else listError(message);
    }
  }

  function weightControl(service, server) {
    const key = service.id + ' ' + server.address;
    const inputId = 'weight-' + key.replace(/[^A-Za-z0-9]/g, '-');
    const error = el('p', { class: 'field-error', id: inputId + '-error', 'aria-live': 'polite' });
    const input = el('input', { id: inputId, type: 'number', min: 0, step: 1, value: server.weight, class: 'weight-input',
      'aria-label': 'Weight of ' + server.address, 'aria-describedby': inputId + '-error',
      'data-focus-key': 'weight ' + key });
    const set = el('button', { type: 'button', class: 'secondary', 'data-focus-key': 'set-weight ' + key,
      'data-action': 'set-weight', 'aria-label': 'Set the weight of ' + server.address }, 'Set');
    const apply = () => {
      if (!/^\d+$/.test(input.value)) {
        setText(error, 'Enter a whole number from 0 up.');
        return;
      }
      act('Setting the weight of ' + server.address, 'Weight of ' + server.address + ' set to ' + input.value,
        () => send('PUT', serverPath(service.id, server.address), { weight: Number(input.value) }), error);
    };
    set.addEventListener('click', apply);
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter') apply();
    });
    return el('div', { class: 'weight-control' }, el('div', { class: 'inline' }, input, set), error);
  }

  function serverRow(service, server) {
    const key = service.id + ' ' + server.address;
    const condition = serverCondition(server);
    const drained = server.health && server.health.drained;
    const drainAction = drained ? 'undrain' : 'drain';
    return el('tr', { class: 'health-' + condition.key, 'data-config-server': server.address },
      el('th', { scope: 'row', 'data-label': 'Real server' }, server.address),
      el('td', { 'data-label': 'Forward' }, forwardName(server.method)),
      el('td', { class: 'weight', 'data-label': 'Weight' }, weightControl(service, server)),
      el('td', { 'data-label': 'Thresholds' }, integer(server.upperThreshold) + ' / ' + integer(server.lowerThreshold)),
      el('td', { 'data-label': 'Health', title: conditionDetail(server) },
        el('span', { class: 'health-badge' }, condition.label)),
      el('td', { 'data-label': 'Actions' }, el('div', { class: 'row-actions' },
        el('button', { type: 'button', class: 'secondary', 'data-action': 'edit-server',
          'aria-label': 'Edit ' + server.address, 'data-focus-key': 'edit ' + key,
          onclick: () => serverForm.edit(service.id, server) }, 'Edit'),
        el('button', { type: 'button', class: 'secondary', 'data-action': drainAction,
          'aria-label': (drained ? 'Undrain ' : 'Drain ') + server.address, 'data-focus-key': drainAction + ' ' + key,
          onclick: () => act((drained ? 'Undraining ' : 'Draining ') + server.address,
            (drained ? 'Undrained ' : 'Drained ') + server.address,
            () => send('POST', serverPath(service.id, server.address) + '/' + drainAction)) },
        drained ? 'Undrain' : 'Drain'),
        deleteButton('Delete', server.address, 'delete ' + key, listStatus, () => act('Deleting ' + server.address,
          'Deleted ' + server.address, () => send('DELETE', serverPath(service.id, server.address)))))));
  }

  function serviceCard(service) {
    const name = protocolName(service.protocol) + ' ' + serviceAddress(service);
    const servers = service.servers || [];
    const titleId = 'card-' + service.id.replace(/[^A-Za-z0-9]/g, '-');
    return el('article', { class: 'panel service-card', 'data-service-card': service.id, 'aria-labelledby': titleId },
      el('header', { class: 'card-head' },
        el('h3', { id: titleId }, name),
        el('span', { class: 'card-settings' }, [service.scheduler, flagsText(service)].filter(Boolean).join(' ')),
        el('div', { class: 'row-actions' },
          el('button', { type: 'button', class: 'secondary', 'data-action': 'edit-service',
            'aria-label': 'Edit service ' + name, 'data-focus-key': 'edit ' + service.id,
            onclick: () => serviceForm.edit(service) }, 'Edit service'),
          el('button', { type: 'button', class: 'secondary', 'data-action': 'add-server',
            'aria-label': 'Add real server to ' + name, 'data-focus-key': 'add ' + service.id,
            onclick: () => serverForm.addTo(service.id) }, 'Add real server'),
          deleteButton('Delete service', name, 'delete ' + service.id, listStatus, () => act('Deleting ' + name,
            'Deleted ' + name, () => send('DELETE', 'services/' + servicePath(service.id)))))),
      servers.length === 0
        ? el('p', { class: 'empty' }, 'No real server.')
        : el('div', { class: 'table-scroll' },
          el('table', { class: 'lvs-table config-table' },
            el('caption', { class: 'visually-hidden' }, 'Real servers of ' + name),
            el('thead', {}, el('tr', {},
              ...['Real server', 'Forward', 'Weight', 'Thresholds (upper / lower)', 'Health', 'Actions']
                .map((h) => el('th', { scope: 'col' }, h)))),
            el('tbody', {}, servers.map((server) => serverRow(service, server))))));
  }

  let shownKey = null;

  /** Redraws the list when what it shows changed, keeping the focus (and a weight being typed) where it was. */
  function render(services) {
    const key = settingsKey(services);
    if (key === shownKey) return;
    shownKey = key;
    const focused = document.activeElement && list.contains(document.activeElement)
      ? document.activeElement : null;
    const focusKey = focused && focused.dataset.focusKey;
    const typed = focused && focused.tagName === 'INPUT' ? focused.value : null;
    list.replaceChildren(...services.map(serviceCard));
    empty.hidden = services.length > 0;
    if (focusKey) {
      const again = list.querySelector('[data-focus-key="' + CSS.escape(focusKey) + '"]');
      if (again) {
        if (typed !== null) again.value = typed;
        again.focus();
      }
    }
  }

  subscribe('services', render);
  if (state.services) render(state.services);
  return { show() {}, hide() {} };
}
