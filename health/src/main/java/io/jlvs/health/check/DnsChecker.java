package io.jlvs.health.check;

import io.jlvs.health.config.CheckerSpec;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryEncoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseDecoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsSection;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * DNS_CHECK: one query of the configured type and name over UDP; up on a response with the query's id and RCODE
 * NOERROR. Responses with another id are ignored (a late answer to an earlier check).
 */
final class DnsChecker extends NettyChecker {
    private static final String[] RCODE_NAMES = {"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED",
            "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE"};

    private final DnsRecordType type;
    private final String name;

    DnsChecker(CheckChannels channels, CheckerSpec.Dns spec, CheckTarget target) {
        super(channels, target, spec.timing().connectTimeout(), "DNS_CHECK " + target.hostPort());
        this.type = DnsRecordType.valueOf((spec.type() == null ? "SOA" : spec.type()).toUpperCase(Locale.ROOT));
        String n = spec.name() == null || spec.name().isEmpty() ? "." : spec.name();
        this.name = n.endsWith(".") ? n : n + ".";
    }

    @Override
    protected void start(CheckAttempt attempt, EventLoop loop) {
        int id = ThreadLocalRandom.current().nextInt(1 << 16);
        channels.connectUdp(target, attempt, loop, pipeline -> {
            pipeline.addLast(new DatagramDnsQueryEncoder(), new DatagramDnsResponseDecoder());
            pipeline.addLast(new ResponseHandler(attempt, id));
        }, connected -> {
            DatagramDnsQuery query = new DatagramDnsQuery(null, target.remote(), id);
            query.setRecursionDesired(true);
            query.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(name, type));
            connected.writeAndFlush(query).addListener(f -> {
                    if (!f.isSuccess()) attempt.down(FailureReasons.ofDatagram(f.cause()));
                });
        });
    }

    /** The RCODE in the words of RFC 1035 and 2136: "NXDOMAIN". */
    static String rcodeName(int rcode) {
        return rcode >= 0 && rcode < RCODE_NAMES.length ? RCODE_NAMES[rcode] : "RCODE " + rcode;
    }

    private static final class ResponseHandler extends SimpleChannelInboundHandler<DatagramDnsResponse> {
        private final CheckAttempt attempt;
        private final int id;

        ResponseHandler(CheckAttempt attempt, int id) {
            this.attempt = attempt;
            this.id = id;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsResponse response) {
            if (response.id() != id) return;
            int rcode = response.code().intValue();
            if (rcode == 0) attempt.up("DNS rcode NOERROR");
            else attempt.down("DNS rcode " + rcodeName(rcode));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            attempt.down(FailureReasons.ofDatagram(cause));
        }
    }
}
