package io.jlvs.health.config;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One checker block of a real_server as written; {@link #resolve} completes it with the values inherited from the
 * real and virtual server and keepalived's defaults, once the whole virtual_server has been read.
 */
final class CheckerBlock {
    static final String DEFAULT_HELO_NAME = "smtpchecker.keepalived.org";
    static final List<String> DNS_TYPES = List.of("A", "NS", "CNAME", "SOA", "MX", "TXT", "AAAA");
    static final List<String> HTTP_PROTOCOLS = List.of("1.0", "1.1", "1.0C", "1.0K");

    final String kind;
    final Source source;
    /** Where nested blocks (url) report their own statements. */
    final Diagnostics diagnostics;
    final InheritedSettings settings = new InheritedSettings();
    InetAddress connectIp;
    int connectPort;
    InetAddress bindTo;
    int bindPort;
    int fwmark;
    final List<CheckerSpec.UrlSpec> urls = new ArrayList<>();
    String httpProtocol = "1.0";
    boolean enableSni;
    String sniName;
    byte[] payload = new byte[0];
    String requireReply;
    int minReplyLength;
    int maxReplyLength;
    String dnsType = "SOA";
    String dnsName = ".";
    String heloName = DEFAULT_HELO_NAME;
    Statement miscPath;
    Duration miscTimeout;
    boolean miscDynamic;
    String user;
    String trackName;
    Integer fileWeight;

    private CheckerBlock(String kind, Source source, Diagnostics diagnostics) {
        this.kind = kind;
        this.source = source;
        this.diagnostics = diagnostics;
    }

    /** Reads a checker statement whose keyword is one of {@link CheckerKeywords#KINDS}. */
    static CheckerBlock read(Statement s, Diagnostics diagnostics) throws ValueException {
        s.noValue();
        CheckerBlock block = new CheckerBlock(s.name(), s.source(), diagnostics);
        CheckerKeywords.KINDS.get(s.name()).apply(s.block(), block, diagnostics);
        if (block.miscPath == null && s.name().equals("MISC_CHECK")) throw new ValueException("missing misc_path");
        if (block.trackName == null && s.name().equals("FILE_CHECK")) throw new ValueException("missing track_file");
        if (block.urls.isEmpty() && (s.name().equals("HTTP_GET") || s.name().equals("SSL_GET")))
            throw new ValueException("needs at least one url block");
        if (block.maxReplyLength != 0 && block.minReplyLength > block.maxReplyLength)
            throw new ValueException("min_reply_length " + block.minReplyLength + " exceeds max_reply_length "
                    + block.maxReplyLength);
        return block;
    }

    /** The checker with everything resolved; parent is the real server's settings over the virtual server's. */
    CheckerSpec resolve(InheritedSettings parent, TrackFiles trackFiles, Diagnostics diagnostics) {
        InheritedSettings all = settings.over(parent);
        CheckEndpoint endpoint = new CheckEndpoint(connectIp, connectPort, bindTo, bindPort, fwmark);
        Duration second = Duration.ofSeconds(1);
        return switch (kind) {
            case "TCP_CHECK" -> new CheckerSpec.Tcp(source, endpoint, all.timing(1, second));
            case "HTTP_GET", "SSL_GET" -> new CheckerSpec.Http(source, endpoint, all.timing(1, Duration.ofSeconds(3)),
                    kind.equals("SSL_GET"), urls, all.virtualhost, httpProtocol, enableSni, sniName);
            case "UDP_CHECK" -> new CheckerSpec.Udp(source, endpoint, all.timing(1, second), payload, requireReply,
                    minReplyLength, maxReplyLength);
            case "DNS_CHECK" -> new CheckerSpec.Dns(source, endpoint, all.timing(3, second), dnsType, dnsName);
            case "SMTP_CHECK" -> new CheckerSpec.Smtp(source, endpoint, all.timing(1, second), heloName);
            case "PING_CHECK" -> new CheckerSpec.Ping(source, endpoint, all.timing(1, second));
            case "MISC_CHECK" -> misc(all);
            case "FILE_CHECK" -> file(all, trackFiles, diagnostics);
            default -> throw new IllegalStateException("no checker " + kind);
        };
    }

    /** MISC_CHECK: misc_timeout bounds the script; without it keepalived allows the whole delay_loop. */
    private CheckerSpec misc(InheritedSettings all) {
        CheckTiming t = all.timing(0, Duration.ofSeconds(1));
        CheckTiming timing = new CheckTiming(t.delayLoop(), miscTimeout != null ? miscTimeout : t.delayLoop(),
                t.retry(), t.delayBeforeRetry(), t.warmup(), t.logAllFailures());
        Script script;
        try {
            script = Scripts.of(miscPath, user);
        } catch (ValueException e) {
            throw new IllegalStateException("misc_path was checked when read", e);
        }
        return new CheckerSpec.Misc(source, timing, script, miscDynamic);
    }

    private CheckerSpec file(InheritedSettings all, TrackFiles trackFiles, Diagnostics diagnostics) {
        TrackFiles.TrackFile track = trackFiles.get(trackName);
        if (track == null) {
            diagnostics.error(source, "FILE_CHECK: no track_file block named " + trackName);
            return null;
        }
        return new CheckerSpec.File(source, all.timing(1, Duration.ofSeconds(1)), trackName, track.file(),
                fileWeight != null ? fileWeight : track.weight());
    }
}
