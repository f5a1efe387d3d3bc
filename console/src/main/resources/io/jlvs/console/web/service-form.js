// The form that adds a virtual service (POST /services) or edits one (PUT /services/{id}).

import { send, servicePath } from './api.js';
import { byId, el } from './dom.js';
import { protocolName, serviceAddress } from './format.js';
import { clearMessages, focusFirstInvalid, showApiError, showFieldError, showFormStatus } from './form-errors.js';
import { DEFAULT_SCHEDULER, SCHEDULERS, flagNames, renameFlag } from './schedulers.js';
import { refreshServices } from './state.js';

const PREFIX = 'service';
const ADDRESS = /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9A-Fa-f:.]+\]):\d{1,5}$/;

export function createServiceForm({ onAdded }) {
  const form = byId('service-form');
  const f = form.elements;
  const flagsBox = byId('service-flags');
  let editing = null; // the Service being edited, or null when adding

  f.scheduler.replaceChildren(...SCHEDULERS.map(([name, description]) =>
    el('option', { value: name }, name + ' — ' + description)));
  f.scheduler.value = DEFAULT_SCHEDULER;

  function renderFlags(checked) {
    const scheduler = f.scheduler.value;
    flagsBox.replaceChildren(...flagNames(scheduler).map((name) => el('label', {},
      el('input', { type: 'checkbox', name: 'flag', value: name, checked: checked.includes(name),
        'aria-describedby': 'service-flags-error' }), ' ' + name)));
  }

  function checkedFlags() {
    return [...flagsBox.querySelectorAll('input:checked')].map((i) => i.value);
  }

  function showProtocol() {
    const fwm = f.protocol.value === 'fwm';
    form.querySelector('[data-for="address"]').hidden = fwm;
    form.querySelector('[data-for="fwmark"]').hidden = !fwm;
  }

  f.protocol.addEventListener('change', showProtocol);
  f.scheduler.addEventListener('change', () => {
    renderFlags(checkedFlags().map((flag) => renameFlag(flag, f.scheduler.value)).filter(Boolean));
  });

  /** Client-side checks of what the API would refuse anyway, answered at once and next to the field. */
  function validate() {
    let ok = true;
    const fail = (field, message) => {
      showFieldError(form, PREFIX, field, message);
      ok = false;
    };
    if (!editing) {
      if (f.protocol.value === 'fwm') {
        if (!/^\d+$/.test(f.fwmark.value) || Number(f.fwmark.value) < 1) fail('fwmark', 'Enter a mark from 1 up.');
      } else if (!ADDRESS.test(f.address.value.trim())) {
        fail('address', 'Enter ADDRESS:PORT, such as 10.0.0.1:80 or [2001:db8::1]:80.');
      }
    }
    if (!/^\d+$/.test(f.persistent.value || '0')) fail('persistent', 'Enter a number of seconds, 0 for none.');
    if (f.netmask.value !== '' && !/^\d+$/.test(f.netmask.value)) fail('netmask', 'Enter a prefix length.');
    return ok;
  }

  function body() {
    const b = {
      scheduler: f.scheduler.value,
      flags: checkedFlags(),
      persistent: Number(f.persistent.value || 0),
      onePacket: f.onePacket.checked,
      synproxy: f.synproxy.checked,
    };
    // the granularity of persistence only: ipvsadm takes -M with -p
    if (f.netmask.value !== '' && b.persistent > 0) b.netmask = Number(f.netmask.value);
    if (!editing) {
      b.protocol = f.protocol.value;
      if (b.protocol === 'fwm') {
        b.fwmark = Number(f.fwmark.value);
        if (f.fwmarkIpv6.checked) b.family = 'inet6';
      } else {
        b.address = f.address.value.trim();
      }
    }
    return b;
  }

  function reset() {
    editing = null;
    form.reset();
    form.dataset.mode = 'add';
    for (const name of ['protocol', 'address', 'fwmark', 'fwmarkIpv6']) f[name].disabled = false;
    f.scheduler.value = DEFAULT_SCHEDULER;
    renderFlags([]);
    showProtocol();
    byId('service-form-title').textContent = 'Add a virtual service';
    byId('service-submit').textContent = 'Add service';
    byId('service-cancel').hidden = true;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearMessages(form);
    if (!validate()) {
      focusFirstInvalid(form);
      return;
    }
    const submit = byId('service-submit');
    submit.disabled = true;
    try {
      const wasEditing = editing;
      const saved = wasEditing
        ? await send('PUT', 'services/' + servicePath(wasEditing.id), body())
        : await send('POST', 'services', body());
      const name = saved ? protocolName(saved.protocol) + ' ' + serviceAddress(saved) : 'the service';
      reset();
      showFormStatus(PREFIX, (wasEditing ? 'Saved ' : 'Added ') + name + '.');
      await refreshServices();
      if (saved && !wasEditing) onAdded(saved); // its servers come next
    } catch (e) {
      showApiError(form, PREFIX, e);
    } finally {
      submit.disabled = false;
    }
  });
  byId('service-cancel').addEventListener('click', () => {
    reset();
    clearMessages(form);
  });

  reset();
  return {
    /** Fills the form with a service to edit it, and takes the focus there. */
    edit(service) {
      reset();
      clearMessages(form);
      editing = service;
      form.dataset.mode = 'edit';
      f.protocol.value = service.protocol;
      f.address.value = service.address || '';
      f.fwmark.value = service.fwmark || '';
      for (const name of ['protocol', 'address', 'fwmark', 'fwmarkIpv6']) f[name].disabled = true;
      f.scheduler.value = service.scheduler;
      renderFlags(service.flags || []);
      f.persistent.value = service.persistent || 0;
      const hostMask = service.family === 'inet6' ? 128 : 32;
      f.netmask.value = service.persistent && service.netmask !== hostMask ? service.netmask : '';
      f.fwmarkIpv6.checked = service.family === 'inet6';
      f.onePacket.checked = !!service.onePacket;
      f.synproxy.checked = !!service.synproxy;
      showProtocol();
      const title = byId('service-form-title');
      title.textContent = 'Edit ' + protocolName(service.protocol) + ' ' + serviceAddress(service);
      byId('service-submit').textContent = 'Save service';
      byId('service-cancel').hidden = false;
      form.scrollIntoView({ block: 'start' });
      f.scheduler.focus();
    },
  };
}
