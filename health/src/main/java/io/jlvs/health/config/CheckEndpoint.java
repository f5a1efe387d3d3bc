package io.jlvs.health.config;

import java.net.InetAddress;

/**
 * Where a checker connects and from where.
 *
 * @param connectIp   connect_ip; null: the real server's address
 * @param connectPort connect_port; 0: the real server's port
 * @param bindTo      bindto; null: the kernel chooses the source address
 * @param bindPort    bind_port; 0: any
 * @param fwmark      fwmark set on the check's socket (SO_MARK); 0: none
 */
public record CheckEndpoint(InetAddress connectIp, int connectPort, InetAddress bindTo, int bindPort, int fwmark) {
    public static final CheckEndpoint DEFAULT = new CheckEndpoint(null, 0, null, 0, 0);
}
