package io.jlvs.control.model;

import java.util.List;

/**
 * The director's announcement of its VIPs by BGP, as `jlvs status` shows it.
 *
 * @param daemon   the routing daemon driven ("bird")
 * @param include  the include file jlvs writes for it
 * @param drained  the operator drained the director (`jlvs director drain`): every VIP withdrawn
 * @param sessions the routing daemon's BGP sessions, one line each as it reports them ("" when it did not answer)
 * @param problem  why the last reconfiguration or query of the routing daemon failed ("" when none)
 * @param vips     every VIP of a service, announced or not and why
 */
public record BgpStatus(String daemon, String include, boolean drained, List<String> sessions, String problem,
                        List<Vip> vips) {
    public BgpStatus {
        sessions = List.copyOf(sessions);
        vips = List.copyOf(vips);
    }

    /** One VIP: its prefix as text (10.0.0.100/32), whether this director announces it, and the reason. */
    public record Vip(String address, boolean announced, String reason) {}
}
