/**
 * Failover between directors: {@code vrrp} elects which director owns each group of VIPs (RFC 3768 / RFC 5798,
 * on the wire with keepalived), {@code sync} carries connection entries from the master's table to the backups'
 * in the kernel's IPVS sync protocol.
 */
package io.jlvs.failover;
