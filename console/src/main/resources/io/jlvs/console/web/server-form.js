// The form that adds a real server to a service (POST .../servers) or edits one (PUT .../servers/{address}).

import { send, serverPath, servicePath } from './api.js';
import { byId, el } from './dom.js';
import { protocolName, serviceAddress } from './format.js';
import { clearMessages, focusFirstInvalid, showApiError, showFieldError, showFormStatus } from './form-errors.js';
import { refreshServices, state, subscribe } from './state.js';

const PREFIX = 'server';
const ADDRESS = /^(\d{1,3}(\.\d{1,3}){3}|\[[0-9A-Fa-f:.]+\])(:\d{1,5})?$/;
const NUMBERS = ['weight', 'upperThreshold', 'lowerThreshold'];

export function createServerForm() {
  const form = byId('server-form');
  const f = form.elements;
  let editing = null; // { serviceId, server } while editing

  function showMethod() {
    form.querySelector('.tunnel-options').hidden = f.method.value !== 'tunnel';
  }
  f.method.addEventListener('change', showMethod);

  function renderServices(services) {
    const chosen = f.service.value;
    f.service.replaceChildren(...services.map((s) =>
      el('option', { value: s.id }, protocolName(s.protocol) + ' ' + serviceAddress(s))));
    if (services.some((s) => s.id === chosen)) f.service.value = chosen;
    byId('server-submit').disabled = services.length === 0;
  }
  subscribe('services', renderServices);

  function validate() {
    let ok = true;
    const fail = (field, message) => {
      showFieldError(form, PREFIX, field, message);
      ok = false;
    };
    if (!f.service.value) fail('service', 'Add a virtual service first.');
    if (!editing && !ADDRESS.test(f.address.value.trim())) {
      fail('address', 'Enter ADDRESS:PORT, such as 10.0.1.2:80 or [2001:db8::2]:80.');
    }
    for (const name of NUMBERS) {
      if (!/^\d+$/.test(f[name].value)) fail(name, 'Enter a whole number from 0 up.');
    }
    if (f.method.value === 'tunnel' && f.tunPort.value !== '' && !/^\d+$/.test(f.tunPort.value)) {
      fail('tunPort', 'Enter a port number.');
    }
    return ok;
  }

  function body() {
    const b = {};
    if (!editing) b.address = f.address.value.trim();
    if (f.method.value) b.method = f.method.value;
    for (const name of NUMBERS) b[name] = Number(f[name].value);
    if (f.method.value === 'tunnel') {
      b.tunType = f.tunType.value;
      if (f.tunPort.value !== '') b.tunPort = Number(f.tunPort.value);
      b.tunCsum = f.tunCsum.value;
    }
    return b;
  }

  function reset() {
    const service = f.service.value;
    editing = null;
    form.reset();
    if (service) f.service.value = service; // the next server most likely joins the same service
    form.dataset.mode = 'add';
    f.service.disabled = false;
    f.address.disabled = false;
    showMethod();
    byId('server-form-title').textContent = 'Add a real server';
    byId('server-submit').textContent = 'Add real server';
    byId('server-cancel').hidden = true;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearMessages(form);
    if (!validate()) {
      focusFirstInvalid(form);
      return;
    }
    const submit = byId('server-submit');
    submit.disabled = true;
    try {
      const wasEditing = editing;
      const serviceId = f.service.value;
      const saved = wasEditing
        ? await send('PUT', serverPath(serviceId, wasEditing.server.address), body())
        : await send('POST', 'services/' + servicePath(serviceId) + '/servers', body());
      const address = saved ? saved.address : wasEditing ? wasEditing.server.address : f.address.value.trim();
      reset();
      showFormStatus(PREFIX, (wasEditing ? 'Saved ' : 'Added ') + address + '.');
      if (!wasEditing) f.address.focus();
      await refreshServices();
    } catch (e) {
      showApiError(form, PREFIX, e);
    } finally {
      submit.disabled = (state.services || []).length === 0;
    }
  });
  byId('server-cancel').addEventListener('click', () => {
    reset();
    clearMessages(form);
  });

  reset();
  return {
    /** Prepares the form to add a server to the service, and takes the focus there. */
    addTo(serviceId) {
      reset();
      clearMessages(form);
      f.service.value = serviceId;
      form.scrollIntoView({ block: 'start' });
      f.address.focus();
    },
    /** Fills the form with a real server of the service to edit it, and takes the focus there. */
    edit(serviceId, server) {
      reset();
      clearMessages(form);
      editing = { serviceId, server };
      form.dataset.mode = 'edit';
      f.service.value = serviceId;
      f.service.disabled = true;
      f.address.value = server.address;
      f.address.disabled = true;
      f.method.value = server.method || '';
      f.weight.value = server.weight ?? 1;
      f.upperThreshold.value = server.upperThreshold ?? 0;
      f.lowerThreshold.value = server.lowerThreshold ?? 0;
      if (server.tunType) f.tunType.value = server.tunType;
      if (server.tunPort) f.tunPort.value = server.tunPort;
      if (server.tunCsum) f.tunCsum.value = server.tunCsum;
      showMethod();
      byId('server-form-title').textContent = 'Edit real server ' + server.address;
      byId('server-submit').textContent = 'Save real server';
      byId('server-cancel').hidden = false;
      form.scrollIntoView({ block: 'start' });
      f.weight.focus();
    },
  };
}
