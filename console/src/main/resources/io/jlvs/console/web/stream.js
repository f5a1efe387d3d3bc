// The server-sent events of /api/v1/events, read with fetch rather than EventSource so that the Authorization
// header goes along (reads from another address than the listener's need the token, and EventSource sends no
// headers). Reconnects with a growing pause when the stream ends or fails.

import { authHeaders } from './api.js';

const URL = 'api/v1/events';
const FIRST_RETRY_MS = 1000;
const LONGEST_RETRY_MS = 15000;

/**
 * Opens the stream. handlers: onEvent(type, data) for each event, onState(state) with 'connecting', 'live' or
 * 'offline' (with the reason as second argument). Returns a function that closes the stream for good.
 */
export function openEventStream({ onEvent, onState }) {
  let stopped = false;
  let retryMs = FIRST_RETRY_MS;
  let controller = null;
  let retryTimer = 0;

  async function connect() {
    controller = new AbortController();
    onState('connecting');
    let reason = 'the stream ended';
    try {
      const response = await fetch(URL, {
        headers: { Accept: 'text/event-stream', ...authHeaders() },
        cache: 'no-store',
        signal: controller.signal,
      });
      if (!response.ok) {
        reason = 'HTTP ' + response.status;
      } else {
        onState('live');
        retryMs = FIRST_RETRY_MS;
        await readEvents(response.body, onEvent);
      }
    } catch (e) {
      if (stopped) return;
      reason = e.message;
    }
    if (stopped) return;
    onState('offline', reason);
    retryTimer = setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, LONGEST_RETRY_MS);
  }

  connect();
  return () => {
    stopped = true;
    clearTimeout(retryTimer);
    if (controller) controller.abort();
  };
}

/** Reads the text/event-stream format: blocks separated by a blank line, "event:" and "data:" fields. */
async function readEvents(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let carriageReturn = ''; // a chunk's last \r may be the first half of a \r\n
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    let text = carriageReturn + value;
    carriageReturn = text.endsWith('\r') ? '\r' : '';
    if (carriageReturn) text = text.slice(0, -1);
    buffer += text.replace(/\r\n?/g, '\n');
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      dispatch(buffer.slice(0, end), onEvent);
      buffer = buffer.slice(end + 2);
    }
  }
}

function dispatch(block, onEvent) {
  let type = 'message';
  const data = [];
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') type = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return;
  let parsed;
  try {
    parsed = JSON.parse(data.join('\n'));
  } catch {
    parsed = data.join('\n');
  }
  onEvent(type, parsed);
}
