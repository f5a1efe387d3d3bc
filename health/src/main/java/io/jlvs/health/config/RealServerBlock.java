package io.jlvs.health.config;

import java.util.ArrayList;
import java.util.List;

/** A {@code real_server IP [PORT] { }} block as written; the virtual server completes it (method, inheritance). */
final class RealServerBlock {
    static final int MAX_THRESHOLD = Integer.MAX_VALUE;

    static final KeywordTable<RealServerBlock> KEYWORDS = keywords();

    final Source source;
    final IpAddress address;
    /** -1: not written, the virtual server's port. */
    final int port;
    final Diagnostics diagnostics;
    final InheritedSettings settings = new InheritedSettings();
    int weight = 1;
    int upperThreshold;
    int lowerThreshold;
    Script notifyUp;
    Script notifyDown;
    final List<CheckerBlock> checkers = new ArrayList<>();

    private RealServerBlock(Source source, IpAddress address, int port, Diagnostics diagnostics) {
        this.source = source;
        this.address = address;
        this.port = port;
        this.diagnostics = diagnostics;
    }

    static RealServerBlock read(Statement s, Diagnostics diagnostics) throws ValueException {
        s.requireArgs(1, 2);
        RealServerBlock rs = new RealServerBlock(s.source(), IpAddress.parse(s.arg(0)),
                s.argCount() == 2 ? Values.port(s.arg(1)) : -1, diagnostics);
        KEYWORDS.apply(s.block(), rs, diagnostics);
        return rs;
    }

    /** "IP PORT" as written, for messages. */
    String name() { return address + (port >= 0 ? " " + port : ""); }

    private static KeywordTable<RealServerBlock> keywords() {
        KeywordTable<RealServerBlock> t = new KeywordTable<RealServerBlock>("real_server")
                .leaf("weight", (s, rs) -> rs.weight = (int) Values.integer(s.value(), 0, 65535))
                .leaf("uthreshold", (s, rs) -> rs.upperThreshold = (int) Values.integer(s.value(), 0, MAX_THRESHOLD))
                .leaf("lthreshold", (s, rs) -> rs.lowerThreshold = (int) Values.integer(s.value(), 0, MAX_THRESHOLD))
                .leaf("notify_up", (s, rs) -> rs.notifyUp = Scripts.of(s, null))
                .leaf("notify_down", (s, rs) -> rs.notifyDown = Scripts.of(s, null))
                .ignore("the virtual server's alpha applies to all its real servers", "alpha")
                .ignore("jlvs does not send mail", "smtp_alert")
                .refuse("BFD is not supported by this jlvs yet; remove the checker or run keepalived", "BFD_CHECK");
        InheritedSettings.register(t, rs -> rs.settings, true, true);
        for (String kind : CheckerKeywords.KINDS.keySet())
            t.block(kind, (s, rs) -> rs.checkers.add(CheckerBlock.read(s, rs.diagnostics)));
        return t;
    }
}
