package io.jlvs.control;

import java.util.List;

/** The IPVS knobs jlvs lets operators read and set at run time (names of /proc/sys/net/ipv4/vs). */
public final class Sysctls {
    public static final String PREFIX = "net.ipv4.vs.";
    public static final List<String> NAMES = List.of("expire_nodest_conn", "expire_quiescent_template",
            "conn_reuse_mode", "sloppy_tcp", "nat_icmp_send", "pmtu_disc");

    private Sysctls() {}
}
