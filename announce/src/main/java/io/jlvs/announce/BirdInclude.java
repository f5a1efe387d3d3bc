package io.jlvs.announce;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The BIRD 2 include file jlvs owns: two static protocols, jlvs_vips (IPv4) and jlvs_vips6 (IPv6), holding a host
 * route per announced VIP through the liveness link. The operator's bird.conf includes the file and exports
 * {@code proto = "jlvs_vips"} (and jlvs_vips6) to its BGP sessions; the static routes are valid only while the
 * link is up, and the link lives only as long as the jlvs daemon, so a killed daemon's VIPs leave BIRD's table at
 * once. With BFD (--bgp-bfd) the file also holds a BFD protocol, jlvs_bfd, with the chosen timers on every
 * interface; the operator's BGP protocols turn it on with {@code bfd on}. Nothing else is in the file: the
 * operator's own configuration is never written.
 */
public final class BirdInclude {
    public static final String PROTOCOL_V4 = "jlvs_vips", PROTOCOL_V6 = "jlvs_vips6", PROTOCOL_BFD = "jlvs_bfd";
    private static final Pattern LINK_NAME = Pattern.compile("[A-Za-z0-9_.-]{1,15}");

    private BirdInclude() {}

    /** Whether name can be the liveness link (an interface name BIRD's configuration can quote as is). */
    public static boolean validLinkName(String name) { return LINK_NAME.matcher(name).matches(); }

    /** The file's text for the announced VIPs among decisions, without BFD. */
    public static String render(List<VipDecision> decisions, String link) {
        return render(decisions, link, null);
    }

    /** The file's text for the announced VIPs among decisions, with a BFD protocol when bfd is not null. */
    public static String render(List<VipDecision> decisions, String link, BfdSettings bfd) {
        if (!validLinkName(link)) throw new IllegalArgumentException("bad liveness link name " + link);
        StringBuilder v4 = new StringBuilder(), v6 = new StringBuilder();
        for (VipDecision d : decisions) {
            if (!d.announced()) continue;
            (d.isV4() ? v4 : v6).append("\troute ").append(d.prefix()).append(" via \"").append(link).append("\";\n");
        }
        return "# Written by jlvs daemon --bgp: the VIPs this director announces. jlvs rewrites this file;\n"
                + "# configure BIRD in the file that includes it.\n"
                + "protocol static " + PROTOCOL_V4 + " {\n\tipv4;\n" + v4 + "}\n"
                + "protocol static " + PROTOCOL_V6 + " {\n\tipv6;\n" + v6 + "}\n"
                + (bfd == null ? "" : bfdProtocol(bfd));
    }

    private static String bfdProtocol(BfdSettings bfd) {
        return "protocol bfd " + PROTOCOL_BFD + " {\n\tinterface \"*\" {\n\t\tinterval " + bfd.interval().toMillis()
                + " ms;\n\t\tmultiplier " + bfd.multiplier() + ";\n\t};\n}\n";
    }
}
