package io.jlvs.forwarder;

/**
 * The IPVS knobs of /proc/sys/net/ipv4/vs that jlvs honours, with the kernel's defaults. Read by workers on the
 * packet path (volatile, no lock), set through jlvsadm --sysctl.
 */
public final class Knobs {
    public volatile boolean expireNodestConn = false;
    public volatile boolean expireQuiescentTemplate = false;
    public volatile int connReuseMode = 1;
    public volatile boolean sloppyTcp = false;
    public volatile boolean natIcmpSend = false;
    public volatile boolean pmtuDisc = true;

    /**
     * pmtu_disc, for the tunnel path: whether a packet too big for the tunnel is answered with ICMP fragmentation
     * needed (only DF packets, and only while pmtu_disc is 1). With pmtu_disc 0 IPVS clears DF and lets the
     * packet be fragmented instead, which TunnelTransmitter then does to the outer packet.
     */
    public boolean answersFragmentationNeeded(boolean dontFragment) {
        return dontFragment && pmtuDisc;
    }

    public String get(String name) {
        return switch (name) {
            case "expire_nodest_conn" -> bool(expireNodestConn);
            case "expire_quiescent_template" -> bool(expireQuiescentTemplate);
            case "conn_reuse_mode" -> Integer.toString(connReuseMode);
            case "sloppy_tcp" -> bool(sloppyTcp);
            case "nat_icmp_send" -> bool(natIcmpSend);
            case "pmtu_disc" -> bool(pmtuDisc);
            default -> null;
        };
    }

    /** Sets a knob; returns an error text, or null when done. */
    public String set(String name, String value) {
        int v;
        try {
            v = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            return "invalid value for " + name + ": " + value;
        }
        boolean isBool = !name.equals("conn_reuse_mode");
        if (isBool && v != 0 && v != 1) return name + " takes 0 or 1";
        if (!isBool && (v < 0 || v > 3)) return "conn_reuse_mode takes 0 to 3";
        switch (name) {
            case "expire_nodest_conn" -> expireNodestConn = v == 1;
            case "expire_quiescent_template" -> expireQuiescentTemplate = v == 1;
            case "conn_reuse_mode" -> connReuseMode = v;
            case "sloppy_tcp" -> sloppyTcp = v == 1;
            case "nat_icmp_send" -> natIcmpSend = v == 1;
            case "pmtu_disc" -> pmtuDisc = v == 1;
            default -> { return "unknown knob: " + name; }
        }
        return null;
    }

    private static String bool(boolean b) { return b ? "1" : "0"; }
}
