package io.jlvs.connections;

/**
 * The three timeouts ipvsadm --set changes, in seconds: TCP ESTABLISHED, TCP FIN_WAIT and UDP. The other TCP
 * states keep IPVS's fixed defaults (see {@link TcpState#defaultTimeoutSeconds}).
 */
public record Timeouts(int tcp, int tcpFin, int udp) {
    public static final Timeouts DEFAULTS = new Timeouts(900, 120, 300);

    public Timeouts {
        if (tcp < 0 || tcpFin < 0 || udp < 0) {
            throw new IllegalArgumentException("timeouts must not be negative: " + tcp + " " + tcpFin + " " + udp);
        }
    }

    /** The result of ipvsadm --set: a 0 in {@code update} keeps the current value. */
    public Timeouts merge(Timeouts update) {
        return new Timeouts(update.tcp != 0 ? update.tcp : tcp,
                update.tcpFin != 0 ? update.tcpFin : tcpFin,
                update.udp != 0 ? update.udp : udp);
    }
}
