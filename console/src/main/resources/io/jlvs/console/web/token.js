// The API token: the field that keeps it for this tab (sessionStorage), and the banner that asks for it when the
// daemon answers 401 or 403.

import { setToken, token } from './api.js';
import { byId, setText } from './dom.js';

/** What to tell the operator when a call was refused for its token. */
export function tokenMessage(error) {
  if (error.status === 401) {
    return 'This change needs the API token: enter it in the “API token” field at the top '
      + '(the content of the daemon’s --http-token-file).';
  }
  return token()
    ? 'The daemon refused the API token (403): check the “API token” field against its --http-token-file.'
    : 'The daemon answers this address only with the API token (403): enter it in the “API token” field.';
}

/** Shows the banner asking for the token. */
export function askForToken(error) {
  setText(byId('auth-banner-text'), tokenMessage(error));
  byId('auth-banner').hidden = false;
}

function showState() {
  setText(byId('token-state'), token() ? 'token set' : 'no token');
}

/** Wires the token field; onChange runs after the token was set or forgotten (to reopen the stream, say). */
export function setUpTokenField(onChange) {
  const form = byId('token-form');
  const input = byId('token-input');
  input.value = token();
  showState();
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    setToken(input.value.trim());
    byId('auth-banner').hidden = true;
    showState();
    onChange();
  });
  byId('token-forget').addEventListener('click', () => {
    input.value = '';
    setToken('');
    showState();
    onChange();
  });
  byId('auth-banner-focus').addEventListener('click', () => input.focus());
}
