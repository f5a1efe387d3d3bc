package io.jlvs.control.model;

/**
 * One real server as `jlvs status` shows it.
 *
 * @param state            what the checks say
 * @param sinceMillis      when the server entered that state (epoch ms)
 * @param configuredWeight the weight the configuration (or jlvsadm) gives it
 * @param weight           the weight in force in IPVS (0 when drained or inhibited; -1 when removed from the service)
 * @param drained          drained by the operator (weight 0 until undrained)
 * @param checker          the checker of the last result ("HTTP_GET 10.0.0.2:80 /health"), empty if none
 * @param lastResult       the last check's verdict in words ("HTTP 503"), empty if none yet
 * @param lastCheckMillis  when the last check ended (epoch ms), 0 if none
 * @param lastCheckNanos   how long it took
 * @param heldUntilMillis  end of a flap-damping hold (epoch ms), 0 if none
 * @param activeConns      established connections to the server (IPVS's ActiveConn)
 * @param inactiveConns    other connections to the server (InActConn)
 */
public record ServerHealth(long addrHi, long addrLo, int port, ServerState state, long sinceMillis,
                           int configuredWeight, int weight, boolean drained, String checker, String lastResult,
                           long lastCheckMillis, long lastCheckNanos, long heldUntilMillis, int activeConns,
                           int inactiveConns) {

    /** The same server with the connection counts of the data plane. */
    public ServerHealth withConnections(int active, int inactive) {
        return new ServerHealth(addrHi, addrLo, port, state, sinceMillis, configuredWeight, weight, drained, checker,
                lastResult, lastCheckMillis, lastCheckNanos, heldUntilMillis, active, inactive);
    }
}
