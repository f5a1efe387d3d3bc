// A real server's condition at a glance, for the colours of the tables: from its health (when the health engine
// reports it) and its weight.

/**
 * { key, label }: key is up (green), down (red), held (amber: flap damping holds it down), drained, maintenance or
 * quiesced (weight 0), all grey, or unchecked (no checker watches it: a server jlvsadm or the API made).
 */
export function serverCondition(server) {
  const health = server.health;
  const state = health ? health.state : null;
  if (health && health.drained) return { key: 'drained', label: 'drained' };
  if (state === 'DOWN') return { key: 'down', label: 'DOWN' };
  if (state === 'HELD') return { key: 'held', label: 'HELD' };
  if (state === 'MAINTENANCE') return { key: 'maintenance', label: 'maintenance' };
  if (server.weight === 0) return { key: 'quiesced', label: 'weight 0' };
  if (state === 'UP') return { key: 'up', label: 'UP' };
  return { key: 'unchecked', label: 'not checked' };
}

/** A short explanation for a tooltip: the checker and its last result, when known. */
export function conditionDetail(server) {
  const health = server.health;
  if (!health || health.state === 'UNCHECKED') return 'no health check watches this server';
  const parts = [];
  if (health.checker) parts.push(health.checker);
  if (health.lastResult) parts.push('last: ' + health.lastResult);
  if (health.since) parts.push('since ' + new Date(health.since).toLocaleString());
  if (health.drained && health.configuredWeight !== undefined) parts.push('weight when undrained: ' + health.configuredWeight);
  return parts.join('; ');
}
