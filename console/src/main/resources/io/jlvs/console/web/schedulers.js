// The fourteen IPVS schedulers and the names of their three flag bits, as ipvsadm names them.

export const SCHEDULERS = [
  ['rr', 'round robin'],
  ['wrr', 'weighted round robin'],
  ['lc', 'least connection'],
  ['wlc', 'weighted least connection'],
  ['lblc', 'locality-based least connection'],
  ['lblcr', 'locality-based least connection with replication'],
  ['dh', 'destination hashing'],
  ['sh', 'source hashing'],
  ['sed', 'shortest expected delay'],
  ['nq', 'never queue'],
  ['fo', 'weighted failover'],
  ['ovf', 'weighted overflow'],
  ['mh', 'maglev hashing'],
  ['twos', 'weighted random twos choice'],
];

export const DEFAULT_SCHEDULER = 'wlc';

/** The flags a scheduler takes: sh and mh name two (fallback, port), the others have flag-1 to flag-3. */
export function flagNames(scheduler) {
  if (scheduler === 'sh' || scheduler === 'mh') return [scheduler + '-fallback', scheduler + '-port'];
  return ['flag-1', 'flag-2', 'flag-3'];
}

/** A flag of one scheduler under another's name (sh-port becomes mh-port, flag-2), by its bit. */
export function renameFlag(flag, scheduler) {
  const bit = /fallback$|flag-1$/.test(flag) ? 0 : /port$|flag-2$/.test(flag) ? 1 : 2;
  return flagNames(scheduler)[bit] || null;
}
