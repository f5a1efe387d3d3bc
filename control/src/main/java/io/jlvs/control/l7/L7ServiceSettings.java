package io.jlvs.control.l7;

/**
 * What -A and -E set: the whole of a service's settings, as tcpvsadm sends them (an option not given takes its
 * default, on -E too: 0.0.0.0:8080, http, no jlvs options).
 *
 * @param scheduler the name as given; L7Changes refuses an unknown one ("Scheduler not found"), as KTCPVS did
 */
public record L7ServiceSettings(L7Endpoint listen, String scheduler, L7Options options) {
    public static final L7ServiceSettings DEFAULT = new L7ServiceSettings(L7Endpoint.any(L7Service.DEFAULT_PORT),
            L7Scheduler.DEFAULT.schedulerName(), L7Options.DEFAULT);

    public L7ServiceSettings {
        if (listen == null || scheduler == null || options == null) throw new NullPointerException();
    }
}
