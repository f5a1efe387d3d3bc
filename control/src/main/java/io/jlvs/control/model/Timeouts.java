package io.jlvs.control.model;

/**
 * The connection timeouts ipvsadm --set changes and --list --timeout shows, in seconds: TCP ESTABLISHED,
 * TCP FIN_WAIT and UDP. Their defaults are the data plane's (IPVS's per-protocol state tables); in an update,
 * 0 means "keep the current value".
 */
public record Timeouts(int tcp, int tcpFin, int udp) {
    public Timeouts {
        if (tcp < 0 || tcpFin < 0 || udp < 0) {
            throw new IllegalArgumentException("timeouts must not be negative: " + tcp + " " + tcpFin + " " + udp);
        }
    }

    /** The result of ipvsadm --set {@code update} on these values: each 0 in {@code update} keeps the value here. */
    public Timeouts merge(Timeouts update) {
        return new Timeouts(update.tcp != 0 ? update.tcp : tcp,
                update.tcpFin != 0 ? update.tcpFin : tcpFin,
                update.udp != 0 ? update.udp : udp);
    }
}
