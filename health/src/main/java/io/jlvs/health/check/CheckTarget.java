package io.jlvs.health.check;

import io.jlvs.health.config.CheckEndpoint;
import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * Where one checker connects and from where: connect_ip/connect_port else the real server's address and port,
 * bindto/bind_port as the local address (null: the kernel chooses), and the fwmark put on the socket (0: none).
 */
record CheckTarget(InetSocketAddress remote, InetSocketAddress local, int fwmark) {
    static CheckTarget of(CheckEndpoint endpoint, InetSocketAddress realServer) {
        InetAddress ip = endpoint.connectIp() != null ? endpoint.connectIp() : realServer.getAddress();
        int port = endpoint.connectPort() != 0 ? endpoint.connectPort() : realServer.getPort();
        InetSocketAddress local = null;
        if (endpoint.bindTo() != null || endpoint.bindPort() != 0) {
            local = endpoint.bindTo() != null ? new InetSocketAddress(endpoint.bindTo(), endpoint.bindPort())
                    : new InetSocketAddress(endpoint.bindPort());
        }
        return new CheckTarget(new InetSocketAddress(ip, port), local, endpoint.fwmark());
    }

    /** "10.0.0.2:80", "[2001:db8::2]:80". */
    String hostPort() {
        return hostLiteral(remote.getAddress()) + ":" + remote.getPort();
    }

    /** The address as it appears in a URL or Host header: IPv6 compressed (RFC 5952) in brackets. */
    static String hostLiteral(InetAddress address) {
        String text = NetUtil.toAddressString(address);
        return text.indexOf(':') >= 0 ? "[" + text + "]" : text;
    }
}
