package io.jlvs.health.config;

import io.jlvs.control.model.RealServerConfig;
import io.jlvs.control.model.ServiceConfig;

import java.time.Duration;
import java.util.List;

/**
 * One virtual_server block. A virtual_server group expands to one service per member of its
 * virtual_server_group; all of them share the real servers, checks and quorum of the block.
 *
 * @param name               as written after virtual_server ("10.0.0.1 80", "fwmark 1", "group WEB")
 * @param services           the IPVS services it defines (scheduler, flags, persistence, ops)
 * @param delayLoop          delay_loop (default 60 s): the interval between checks of each real server
 * @param alpha              servers start down until their first successful check
 * @param omega              notify_down and quorum_down run when the daemon stops
 * @param quorum             minimum sum of weights of live servers (default 1)
 * @param hysteresis         margin around quorum (default 0)
 * @param quorumUp           run when quorum is gained; null if none
 * @param quorumDown         run when quorum is lost; null if none
 * @param sorryServer        replaces the real servers while quorum is lost; null if none
 * @param sorryServerInhibit the sorry server is kept at weight 0 instead of being removed while quorum holds
 * @param realServers        the real servers, in file order
 */
public record VirtualServer(Source source, String name, List<ServiceConfig> services, Duration delayLoop,
                            boolean alpha, boolean omega, int quorum, int hysteresis, Script quorumUp,
                            Script quorumDown, RealServerConfig sorryServer, boolean sorryServerInhibit,
                            List<RealServer> realServers) {
    public VirtualServer {
        services = List.copyOf(services);
        realServers = List.copyOf(realServers);
    }
}
