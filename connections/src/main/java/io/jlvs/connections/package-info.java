/**
 * The director's connection table: a bounded off-heap slab of IPVS connection entries, indexed both by the
 * client-side (inbound) and the real-server-side (outbound) five-tuple, with IPVS's TCP state machine and
 * timeouts, a lazy timer wheel for expiry, and per-real-server active/inactive counts reported through
 * {@link io.jlvs.connections.ConnectionEvents}.
 */
package io.jlvs.connections;
