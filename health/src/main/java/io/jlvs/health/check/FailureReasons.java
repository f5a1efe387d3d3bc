package io.jlvs.health.check;

import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.DecoderException;

import javax.net.ssl.SSLException;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;

/** Turns the exceptions of sockets and codecs into the short words of a check's reason. */
final class FailureReasons {
    private FailureReasons() {}

    static String of(Throwable cause) {
        if (cause instanceof DecoderException && cause.getCause() != null) cause = cause.getCause();
        if (cause instanceof PortUnreachableException) return "ICMP port unreachable";
        if (cause instanceof NoRouteToHostException) return "no route to host";
        if (cause instanceof ConnectTimeoutException) return "connect timeout";
        if (cause instanceof ClosedChannelException) return "connection closed";
        String message = cause.getMessage() == null ? "" : cause.getMessage();
        String known = fromErrnoText(message);
        if (known != null) return known;
        if (cause instanceof SSLException) return "TLS failure: " + message;
        return message.isEmpty() ? cause.getClass().getSimpleName() : message;
    }

    /**
     * A failure on a connected UDP socket: there ECONNREFUSED is the kernel passing on an ICMP port unreachable.
     */
    static String ofDatagram(Throwable cause) {
        String reason = of(cause);
        return reason.equals("connection refused") ? "ICMP port unreachable" : reason;
    }

    /** The errno texts native transports put in their messages ("connect(..) failed: Connection refused"). */
    private static String fromErrnoText(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        if (m.contains("connection refused")) return "connection refused";
        if (m.contains("no route to host")) return "no route to host";
        if (m.contains("network is unreachable")) return "network unreachable";
        if (m.contains("connection reset")) return "connection reset";
        if (m.contains("cannot assign requested address")) return "cannot bind the source address";
        if (m.contains("address already in use")) return "source address in use";
        if (m.contains("permission denied") || m.contains("operation not permitted")) return "permission denied";
        return null;
    }
}
