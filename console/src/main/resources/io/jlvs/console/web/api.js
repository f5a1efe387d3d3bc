// The REST client of docs/api.md: JSON in and out, the bearer token from sessionStorage, errors as ApiError.

const TOKEN_KEY = 'jlvs.console.token';
const BASE = 'api/v1/';

/** A refused or failed call: the HTTP status, the API's error message and, for a refused change, its command. */
export class ApiError extends Error {
  constructor(status, message, command) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.command = command || null;
  }

  /** 401 (no token) or 403 (a wrong one, or a read from another address without one). */
  get needsToken() {
    return this.status === 401 || this.status === 403;
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY) || '';
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

/** The Authorization header when a token is set: reads from another address need it too. */
export function authHeaders() {
  const t = token();
  return t ? { Authorization: 'Bearer ' + t } : {};
}

/** One path segment: colons stay as they are (10.0.0.1:80), brackets and the rest are percent-encoded. */
function segment(text) {
  return encodeURIComponent(text).replace(/%3A/gi, ':');
}

/** A service id (tcp/10.0.0.1:80, fwm/1) as it goes into a path; its slash stays a separator. */
export function servicePath(id) {
  const slash = id.indexOf('/');
  return segment(id.slice(0, slash)) + '/' + segment(id.slice(slash + 1));
}

export function serverPath(serviceId, address) {
  return 'services/' + servicePath(serviceId) + '/servers/' + segment(address);
}

async function call(method, path, body, accept) {
  const headers = { Accept: accept, ...authHeaders() };
  const init = { method, headers, cache: 'no-store' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(BASE + path, init);
  } catch (e) {
    throw new ApiError(0, 'the daemon cannot be reached (' + e.message + ')');
  }
  if (!response.ok) throw await errorOf(response);
  return response;
}

async function errorOf(response) {
  let message = response.status + ' ' + response.statusText;
  let command = null;
  try {
    const body = await response.json();
    if (body && body.error) message = body.error;
    if (body && body.command) command = body.command;
  } catch {
    // a body that is not the API's JSON error: the status line says enough
  }
  return new ApiError(response.status, message, command);
}

export async function getJson(path) {
  return (await call('GET', path, undefined, 'application/json')).json();
}

export async function getText(path) {
  return (await call('GET', path, undefined, 'text/plain')).text();
}

/** POST, PUT or DELETE; answers the JSON body, or null for 204. */
export async function send(method, path, body) {
  const response = await call(method, path, body, 'application/json');
  if (response.status === 204) return null;
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}
