// Errors of a form shown where they belong: next to the field they concern (its <p id="PREFIX-FIELD-error">, the
// field marked aria-invalid) or, when no field can be named, at the form's own error line. Those elements are
// aria-live, so screen readers announce the message.

import { byId, setText } from './dom.js';
import { askForToken, tokenMessage } from './token.js';

/** Which field an ipvsadm message concerns, for the service form and the real-server form. */
const SERVICE_FIELDS = [
  [/scheduler flag|sched.*flag/i, 'flags'],
  [/scheduler|persistence engine/i, 'scheduler'],
  [/persistent mask|netmask|prefix length/i, 'netmask'],
  [/persist|timeout/i, 'persistent'],
  [/one-packet/i, 'onePacket'],
  [/synproxy/i, 'synproxy'],
  [/fwmark|firewall mark|mark rule/i, 'fwmark'],
  [/virtual server address|zero port|illegal ip address|invalid service|service already exists|address/i, 'address'],
];

const SERVER_FIELDS = [
  [/service not defined|no such service|invalid service/i, 'service'],
  [/weight/i, 'weight'],
  [/u_threshold|upper/i, 'upperThreshold'],
  [/l_threshold|lower/i, 'lowerThreshold'],
  [/tunnel port/i, 'tunPort'],
  [/tunnel type/i, 'tunType'],
  [/checksum|csum/i, 'tunCsum'],
  [/tunnel options|forward|address family/i, 'method'],
  [/real server address|destination|invalid server|address/i, 'address'],
];

const ATTRIBUTIONS = { service: SERVICE_FIELDS, server: SERVER_FIELDS };

/** Clears every message of the form, errors and status. */
export function clearMessages(form) {
  for (const p of form.querySelectorAll('.field-error, .form-error, .form-status')) setText(p, '');
  for (const input of form.querySelectorAll('[aria-invalid]')) input.removeAttribute('aria-invalid');
}

/** Shows message next to field; answers false when the form has no such field on show. */
export function showFieldError(form, prefix, field, message) {
  const slot = byId(prefix + '-' + field + '-error');
  if (!slot || slot.closest('[hidden]')) return false;
  setText(slot, message);
  const input = form.elements[field];
  if (input && input.setAttribute) input.setAttribute('aria-invalid', 'true');
  return true;
}

/** Moves the focus to the first field marked invalid, after a check in the browser refused the submit. */
export function focusFirstInvalid(form) {
  const first = form.querySelector('[aria-invalid="true"]');
  if (first) first.focus();
}

function showFormError(prefix, message) {
  setText(byId(prefix + '-form-error'), message);
}

export function showFormStatus(prefix, message) {
  setText(byId(prefix + '-form-status'), message);
}

/**
 * Shows an ApiError of a submit: a token problem at the form and in the banner, a refused change next to the
 * field its message names (with the command it stood for at the form), anything else at the form.
 */
export function showApiError(form, prefix, error) {
  if (error.needsToken) {
    showFormError(prefix, tokenMessage(error));
    askForToken(error);
    return;
  }
  const match = (ATTRIBUTIONS[prefix] || []).find(([pattern]) => pattern.test(error.message));
  const placed = match && showFieldError(form, prefix, match[1], error.message);
  const refused = error.command ? 'Refused: ' + error.command : '';
  if (placed) showFormError(prefix, refused);
  else showFormError(prefix, [error.message, refused].filter(Boolean).join(' — '));
}
