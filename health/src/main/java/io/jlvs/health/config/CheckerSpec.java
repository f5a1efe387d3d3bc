package io.jlvs.health.config;

import java.nio.file.Path;
import java.util.BitSet;
import java.util.List;
import java.util.regex.Pattern;

/** One checker block of a real_server, with keepalived's parameters and defaults resolved. */
public sealed interface CheckerSpec {
    Source source();

    CheckTiming timing();

    /** keepalived's name of the checker: TCP_CHECK, HTTP_GET, ... */
    String kind();

    /** TCP_CHECK: up when a TCP connection is established. */
    record Tcp(Source source, CheckEndpoint endpoint, CheckTiming timing) implements CheckerSpec {
        public String kind() { return "TCP_CHECK"; }
    }

    /**
     * HTTP_GET and SSL_GET (tls): each url is fetched; all must answer as required.
     *
     * @param virtualhost  Host header (checker's, else real server's, else virtual server's virtualhost); null: the
     *                     address
     * @param httpProtocol "1.0" (default), "1.1", "1.0C" (1.0 with Connection: close), "1.0K" (keep-alive)
     * @param enableSni    send the virtualhost (or sniName) as TLS SNI
     */
    record Http(Source source, CheckEndpoint endpoint, CheckTiming timing, boolean tls, List<UrlSpec> urls,
                String virtualhost, String httpProtocol, boolean enableSni, String sniName) implements CheckerSpec {
        public Http {
            urls = List.copyOf(urls);
        }

        public String kind() { return tls ? "SSL_GET" : "HTTP_GET"; }
    }

    /**
     * One url block.
     *
     * @param digest       MD5 of the whole body in lower-case hex as genhash prints it; null: not checked
     * @param statusCodes  accepted status codes (default 200-299)
     * @param regex        a pattern the body must match (or must not, with regexNoMatch); null: not checked
     * @param virtualhost  this url's Host header; null: the checker's
     */
    record UrlSpec(String path, String digest, BitSet statusCodes, Pattern regex, boolean regexNoMatch,
                   String virtualhost) {
        public boolean accepts(int status) { return status >= 0 && statusCodes.get(status); }
    }

    /**
     * UDP_CHECK: sends payload; up when no ICMP unreachable comes back, or with requireReply when the reply
     * matches it.
     *
     * @param payload        bytes sent (default empty datagram)
     * @param requireReply   hex pattern the reply must start with, 'X' matching any nibble; null: no reply needed
     * @param minReplyLength shortest reply accepted (0 = any)
     * @param maxReplyLength longest reply accepted (0 = any)
     */
    record Udp(Source source, CheckEndpoint endpoint, CheckTiming timing, byte[] payload, String requireReply,
               int minReplyLength, int maxReplyLength) implements CheckerSpec {
        public String kind() { return "UDP_CHECK"; }
    }

    /** DNS_CHECK: a query of type (default SOA) for name (default "."); up on an answer with RCODE NOERROR. */
    record Dns(Source source, CheckEndpoint endpoint, CheckTiming timing, String type, String name)
            implements CheckerSpec {
        public String kind() { return "DNS_CHECK"; }
    }

    /** SMTP_CHECK: the 220 greeting, HELO heloName answered 250, QUIT. */
    record Smtp(Source source, CheckEndpoint endpoint, CheckTiming timing, String heloName) implements CheckerSpec {
        public String kind() { return "SMTP_CHECK"; }
    }

    /** PING_CHECK: an ICMP echo answered within connect_timeout. */
    record Ping(Source source, CheckEndpoint endpoint, CheckTiming timing) implements CheckerSpec {
        public String kind() { return "PING_CHECK"; }
    }

    /**
     * MISC_CHECK: runs script (killed after timing's connectTimeout, which is misc_timeout). Exit 0 is up, 1 down;
     * with dynamic, 2-255 is up with weight exit-2.
     */
    record Misc(Source source, CheckTiming timing, Script script, boolean dynamic) implements CheckerSpec {
        public String kind() { return "MISC_CHECK"; }
    }

    /**
     * FILE_CHECK: reads a number from file (track_file). With weight 0 a non-zero value is down; otherwise the
     * value times weight adjusts the server's weight, and a result below 1 is down.
     */
    record File(Source source, CheckTiming timing, String trackName, Path file, int weight) implements CheckerSpec {
        public String kind() { return "FILE_CHECK"; }
    }
}
