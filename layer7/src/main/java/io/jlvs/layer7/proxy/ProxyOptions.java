package io.jlvs.layer7.proxy;

import io.jlvs.platform.splice.SpliceMode;

import java.net.InetAddress;
import java.time.Duration;

/**
 * How a layer-7 service handles its connections.
 *
 * @param headLimit      the largest request head read (a larger one is answered 431)
 * @param headTimeout    how long a client has to send its whole head (slowloris: closed after it)
 * @param connectTimeout how long the server has to accept (504 after it)
 * @param forwardedFor   add X-Forwarded-For with the client's address to the head
 * @param proxyProtocol  send a PROXY protocol v2 header before the head
 * @param source         the address server connections come from, or null for the kernel's choice
 * @param splice         how connections are spliced after the decision, or null for the proxy's default
 * @param spliceAfter    bytes relayed on the event loop (both ways together) before a connection is spliced; 0
 *                       splices at once
 */
public record ProxyOptions(int headLimit, Duration headTimeout, Duration connectTimeout, boolean forwardedFor,
                           boolean proxyProtocol, InetAddress source, SpliceMode splice, long spliceAfter) {
    /** Enough for a typical request and its answer to end before any splice is set up. */
    public static final long DEFAULT_SPLICE_AFTER = 64 * 1024;
    public static final ProxyOptions DEFAULTS = new ProxyOptions(16 * 1024, Duration.ofSeconds(10),
            Duration.ofSeconds(5), false, false, null, null, DEFAULT_SPLICE_AFTER);

    public ProxyOptions {
        if (headLimit < 256 || headLimit > 1 << 20) throw new IllegalArgumentException("head limit 256 B to 1 MiB");
        if (spliceAfter < 0) throw new IllegalArgumentException("splice-after must be 0 or more bytes");
    }

    public ProxyOptions withSpliceAfter(long value) {
        return new ProxyOptions(headLimit, headTimeout, connectTimeout, forwardedFor, proxyProtocol, source, splice, value);
    }

    public ProxyOptions withForwardedFor(boolean value) {
        return new ProxyOptions(headLimit, headTimeout, connectTimeout, value, proxyProtocol, source, splice, spliceAfter);
    }

    public ProxyOptions withProxyProtocol(boolean value) {
        return new ProxyOptions(headLimit, headTimeout, connectTimeout, forwardedFor, value, source, splice, spliceAfter);
    }

    public ProxyOptions withTimeouts(Duration head, Duration connect) {
        return new ProxyOptions(headLimit, head, connect, forwardedFor, proxyProtocol, source, splice, spliceAfter);
    }

    public ProxyOptions withSource(InetAddress value) {
        return new ProxyOptions(headLimit, headTimeout, connectTimeout, forwardedFor, proxyProtocol, value, splice, spliceAfter);
    }

    public ProxyOptions withSplice(SpliceMode value) {
        return new ProxyOptions(headLimit, headTimeout, connectTimeout, forwardedFor, proxyProtocol, source, value, spliceAfter);
    }
}
