package io.jlvs.health.config;

import java.util.Map;

/**
 * The keywords of each checker block: the endpoint keywords (connect_ip, connect_port, bindto, bind_port, fwmark)
 * and the inherited timing keywords where keepalived takes them, then each kind's own.
 */
final class CheckerKeywords {
    private CheckerKeywords() {}

    static final Map<String, KeywordTable<CheckerBlock>> KINDS = Map.of(
            "TCP_CHECK", endpointChecker("TCP_CHECK"),
            "HTTP_GET", http("HTTP_GET"),
            "SSL_GET", http("SSL_GET"),
            "UDP_CHECK", endpointChecker("UDP_CHECK")
                    .leaf("payload", (s, c) -> c.payload = Values.hexBytes(s.value()))
                    .leaf("require_reply", (s, c) -> c.requireReply = Values.replyPattern(s.value()))
                    .leaf("min_reply_length", (s, c) -> c.minReplyLength = (int) Values.integer(s.value(), 0, 65535))
                    .leaf("max_reply_length", (s, c) -> c.maxReplyLength = (int) Values.integer(s.value(), 0, 65535)),
            "DNS_CHECK", endpointChecker("DNS_CHECK")
                    .leaf("type", (s, c) -> c.dnsType = Values.choice(s.value(), "a DNS query type",
                            CheckerBlock.DNS_TYPES.toArray(String[]::new)))
                    .leaf("name", (s, c) -> c.dnsName = s.value()),
            "SMTP_CHECK", endpointChecker("SMTP_CHECK")
                    .leaf("helo_name", (s, c) -> c.heloName = s.value()),
            "PING_CHECK", endpointChecker("PING_CHECK"),
            "MISC_CHECK", misc(),
            "FILE_CHECK", new KeywordTable<CheckerBlock>("FILE_CHECK")
                    .leaf("track_file", (s, c) -> c.trackName = s.value())
                    .leaf("weight", (s, c) -> {
                        s.requireArgs(1, 2);
                        c.fileWeight = TrackFiles.weight(s.arg(0));
                        if (s.argCount() == 2) throw new ValueException(s.arg(1).equals("reverse")
                                ? "reverse is not supported by jlvs yet" : "unexpected '" + s.arg(1) + "'");
                    }));

    /** Whether keyword opens a checker block. */
    static boolean isChecker(String keyword) { return KINDS.containsKey(keyword); }

    private static KeywordTable<CheckerBlock> endpointChecker(String kind) {
        KeywordTable<CheckerBlock> t = new KeywordTable<CheckerBlock>(kind)
                .leaf("connect_ip", (s, c) -> c.connectIp = IpAddress.parse(s.value()).inet())
                .leaf("connect_port", (s, c) -> c.connectPort = Values.port(s.value()))
                .leaf("bindto", (s, c) -> c.bindTo = IpAddress.parse(s.value()).inet())
                .leaf("bind_port", (s, c) -> c.bindPort = Values.port(s.value()))
                .leaf("fwmark", (s, c) -> c.fwmark = Values.fwmark(s.value()))
                .ignore("the virtual server's alpha applies to all its checkers", "alpha");
        InheritedSettings.register(t, c -> c.settings, false, true);
        return t;
    }

    private static KeywordTable<CheckerBlock> http(String kind) {
        return endpointChecker(kind)
                .block("url", (s, c) -> {
                    s.noValue();
                    CheckerSpec.UrlSpec url = UrlBlock.parse(s, c.diagnostics);
                    if (url != null) c.urls.add(url);
                })
                .leaf("virtualhost", (s, c) -> c.settings.virtualhost = s.value())
                .leaf("http_protocol", (s, c) -> c.httpProtocol = Values.choice(s.value(), "an HTTP protocol",
                        CheckerBlock.HTTP_PROTOCOLS.toArray(String[]::new)))
                .leaf("enable_sni", (s, c) -> { s.noValue(); c.enableSni = true; })
                .leaf("sni_name", (s, c) -> c.sniName = s.value())
                .ignore("jlvs always rechecks a failed server at delay_before_retry", "fast_recovery");
    }

    private static KeywordTable<CheckerBlock> misc() {
        KeywordTable<CheckerBlock> t = new KeywordTable<CheckerBlock>("MISC_CHECK")
                .leaf("misc_path", (s, c) -> { Scripts.of(s, null); c.miscPath = s; })
                .leaf("misc_timeout", (s, c) -> c.miscTimeout = Values.seconds(s.value(), true))
                .leaf("misc_dynamic", (s, c) -> { s.noValue(); c.miscDynamic = true; })
                .leaf("user", (s, c) -> { s.requireArgs(1, 2); c.user = String.join(" ", s.args().stream().map(Word::text).toList()); })
                .ignore("the virtual server's alpha applies to all its checkers", "alpha");
        InheritedSettings.register(t, c -> c.settings, false, false);
        return t;
    }
}
