/** The jlvs daemon: packet I/O, connection table, forwarding, VIP ownership, control API. */
package io.jlvs.forwarder;
