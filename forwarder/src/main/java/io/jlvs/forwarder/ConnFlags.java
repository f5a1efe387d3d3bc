package io.jlvs.forwarder;

import io.jlvs.control.model.ForwardMethod;

/**
 * The flags word stored with each connection: its forwarding method, chosen once when the connection is created
 * (IPVS binds the transmit function per connection the same way), so a later change of the server's method
 * does not switch live connections.
 */
final class ConnFlags {
    static final int METHOD_MASK = 0x7;
    static final int MASQ = 0, LOCAL = 1, TUNNEL = 2, ROUTE = 3;

    private ConnFlags() {}

    static int of(ForwardMethod m) {
        return switch (m) {
            case MASQ -> MASQ;
            case LOCAL -> LOCAL;
            case TUNNEL -> TUNNEL;
            case ROUTE -> ROUTE;
        };
    }
}
