package io.jlvs.control.model;

import java.util.List;

/**
 * One service as `jlvs status` shows it.
 *
 * @param virtualServer the virtual_server it comes from ("10.0.0.1 80", "group WEB"); empty for a jlvsadm service
 * @param quorum        the quorum (0 when none applies)
 * @param hysteresis    the quorum's hysteresis
 * @param liveWeight    sum of the weights of live servers
 * @param quorumHeld    quorum holds (always true without a quorum)
 * @param sorryActive   the sorry server is serving in place of the real servers
 */
public record ServiceHealth(ServiceKey key, String virtualServer, int quorum, int hysteresis, int liveWeight,
                            boolean quorumHeld, boolean sorryActive, List<ServerHealth> servers) {
    public ServiceHealth {
        servers = List.copyOf(servers);
    }
}
