package io.jlvs.forwarder;

import io.jlvs.connections.ConnectionView;
import io.jlvs.control.model.ForwardMethod;

/**
 * The flags word stored with each connection: its forwarding method, chosen once when the connection is created
 * (IPVS binds the transmit function per connection the same way), so a later change of the server's method
 * does not switch live connections.
 */
final class ConnFlags {
    static final int METHOD_MASK = 0x7;
    static final int MASQ = 0, LOCAL = 1, TUNNEL = 2, ROUTE = 3, FULLNAT = 4;
    /**
     * A connection the SYN proxy opened: its segments are spliced between two sequence spaces (the kernel's
     * IP_VS_CONN_F_IN_SEQ, whose sequence adjustment it is).
     */
    static final int SPLICED = 0x0400;
    /** The method of a view that holds no connection (a miss, a stale handle): equal to no forwarding method. */
    static final int NO_METHOD = -1;

    private ConnFlags() {}

    static int of(ForwardMethod m) {
        return switch (m) {
            case MASQ -> MASQ;
            case LOCAL -> LOCAL;
            case TUNNEL -> TUNNEL;
            case ROUTE -> ROUTE;
            case FULLNAT -> FULLNAT;
        };
    }

    /** Whether the connection in {@code entry} was opened by the SYN proxy. */
    static boolean spliced(ConnectionView entry) {
        return entry.isValid() && (entry.flags() & SPLICED) != 0;
    }

    /** The forwarding method of the connection in {@code entry}, or {@link #NO_METHOD} if the view is invalid. */
    static int method(ConnectionView entry) {
        return entry.isValid() ? entry.flags() & METHOD_MASK : NO_METHOD;
    }
}
