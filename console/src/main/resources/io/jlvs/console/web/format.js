// How numbers, addresses and settings are written in the console: as ipvsadm writes them where it has a form.

const FORWARD_NAMES = { masq: 'Masq', route: 'Route', tunnel: 'Tunnel', local: 'Local' };

/** ipvsadm's Forward column: Masq, Route, Tunnel. */
export function forwardName(method) {
  return FORWARD_NAMES[method] || method || '';
}

/** ipvsadm's Prot column: TCP, UDP, SCTP, FWM. */
export function protocolName(protocol) {
  return (protocol || '').toUpperCase();
}

/** The LocalAddress:Port column: the address, or the mark of a fwmark service (with IPv6 as ipvsadm adds it). */
export function serviceAddress(service) {
  if (service.protocol !== 'fwm') return service.address;
  return String(service.fwmark) + (isIpv6(service) ? ' IPv6' : '');
}

function isIpv6(service) {
  return service.family === 'inet6' || (service.address || '').startsWith('[');
}

/** A prefix length as a dotted IPv4 mask: 24 -> 255.255.255.0. */
function dottedMask(prefix) {
  const bits = prefix <= 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  return [24, 16, 8, 0].map((shift) => (bits >>> shift) & 255).join('.');
}

/**
 * The flags part of ipvsadm's service line: "(flag-1) persistent 300 mask 255.255.255.0 pe sip ops synproxy",
 * the mask only when it is not the host mask.
 */
export function flagsText(service) {
  const parts = [];
  if (service.flags && service.flags.length) parts.push('(' + service.flags.join(',') + ')');
  if (service.persistent) {
    parts.push('persistent ' + service.persistent);
    const v6 = isIpv6(service);
    const host = v6 ? 128 : 32;
    if (service.netmask !== undefined && service.netmask !== null && service.netmask !== host) {
      parts.push('mask ' + (v6 ? service.netmask : dottedMask(service.netmask)));
    }
    if (service.pe) parts.push('pe ' + service.pe);
  }
  if (service.onePacket) parts.push('ops');
  if (service.synproxy) parts.push('synproxy');
  return parts.join(' ');
}

/** A count or a per-second rate as a plain integer, as ipvsadm prints them. */
export function integer(n) {
  return String(Math.round(n || 0));
}

const UNITS = ['', 'k', 'M', 'G', 'T'];

/** Bytes (per second) in SI units: 950, 9.5 k, 12 M. */
export function bytes(n) {
  let value = n || 0;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return value.toFixed(digits) + (UNITS[unit] ? ' ' + UNITS[unit] : '');
}

/** Seconds left as ipvsadm -c prints them: mm:ss. */
export function expires(seconds) {
  const s = Math.max(0, Math.round(seconds || 0));
  return String(Math.floor(s / 60)).padStart(2, '0') + ':' + String(s % 60).padStart(2, '0');
}

/** A time of day (hh:mm:ss) from milliseconds since the epoch. */
export function clock(ms) {
  return new Date(ms).toLocaleTimeString([], { hour12: false });
}
