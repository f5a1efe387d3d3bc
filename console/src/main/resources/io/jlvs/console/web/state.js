// What the console knows of the daemon, shared by the pages: the services with their settings (refetched when the
// configuration changes), the latest stats event, and the status (health and VRRP). Pages subscribe to topics.

import { getJson } from './api.js';

const listeners = new Map(); // topic -> Set of functions

/** Subscribes fn to 'services', 'stats', 'status' or 'error' (an ApiError from a background read). */
export function subscribe(topic, fn) {
  if (!listeners.has(topic)) listeners.set(topic, new Set());
  listeners.get(topic).add(fn);
}

function publish(topic, value) {
  for (const fn of listeners.get(topic) || []) {
    try {
      fn(value);
    } catch (e) {
      // one page's fault must not stop the others' updates
      queueMicrotask(() => { throw e; });
    }
  }
}

export const state = {
  /** The Service objects of GET /api/v1/services, in its order; null until the first answer. */
  services: null,
  /** The body of the latest stats event, and its services and servers by id. */
  stats: null,
  serviceStats: new Map(),
  serverStats: new Map(), // key: serverKey(serviceId, address)
  /** The body of GET /api/v1/status, or null. */
  status: null,
};

/**
 * A text that changes when the settings or health of the services change, and not with their counters: pages that
 * show only those redraw when it changes, not on every refetch.
 */
export function settingsKey(services) {
  return JSON.stringify((services || []).map((s) => [s.id, s.family, s.scheduler, s.flags, s.persistent, s.netmask,
    s.pe, s.onePacket, s.synproxy, (s.servers || []).map((d) => [d.address, d.method, d.weight, d.upperThreshold,
      d.lowerThreshold, d.tunType, d.tunPort, d.tunCsum, d.health && [d.health.state, d.health.drained,
        d.health.configuredWeight, d.health.lastResult]])]));
}

export function serverKey(serviceId, address) {
  return serviceId + ' ' + address;
}

let servicesInFlight = null;
let servicesAgain = false;

/**
 * Refetches the services. Calls made while one is in flight are folded into one more fetch after it, so a burst of
 * change events costs two requests, and the last answer is never older than the last change.
 */
export function refreshServices() {
  if (servicesInFlight) {
    servicesAgain = true;
    return servicesInFlight;
  }
  servicesInFlight = (async () => {
    try {
      do {
        servicesAgain = false;
        const body = await getJson('services');
        state.services = body.services || [];
        publish('services', state.services);
      } while (servicesAgain);
    } catch (e) {
      publish('error', e);
    } finally {
      servicesInFlight = null;
    }
  })();
  return servicesInFlight;
}

export async function refreshStatus() {
  try {
    state.status = await getJson('status');
    publish('status', state.status);
  } catch (e) {
    publish('error', e);
  }
}

/** Takes a stats event (the body of GET /api/v1/stats). */
export function applyStats(stats) {
  state.stats = stats;
  state.serviceStats = new Map();
  state.serverStats = new Map();
  for (const service of stats.services || []) {
    state.serviceStats.set(service.id, service);
    for (const server of service.servers || []) {
      state.serverStats.set(serverKey(service.id, server.address), server);
    }
  }
  publish('stats', stats);
}
