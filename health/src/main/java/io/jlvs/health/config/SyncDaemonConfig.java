package io.jlvs.health.config;

import java.net.InetAddress;

/**
 * global_defs lvs_sync_daemon {@code IF [INSTANCE] [id N] [maxlen N] [port N] [ttl N] [group IP]}: the IPVS
 * connection sync daemon, whose role (master or backup) follows the named VRRP instance's state.
 *
 * @param instance the VRRP instance it follows, or null (then it runs as backup until told otherwise)
 * @param syncId   0..255 (default: the followed instance's virtual_router_id, as keepalived; 0 without instance)
 * @param maxLength largest sync message payload in bytes (default: the interface's MTU less the IP and UDP
 *                 headers; 0 here means that default)
 * @param port     UDP port (default 8848)
 * @param ttl      multicast TTL 1..255 (default 1)
 * @param group    multicast group (default 224.0.0.81)
 */
public record SyncDaemonConfig(String interfaceName, String instance, int syncId, int maxLength, int port, int ttl,
                               InetAddress group) {}
