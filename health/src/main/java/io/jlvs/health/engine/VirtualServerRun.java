package io.jlvs.health.engine;

import io.jlvs.control.model.RealServerConfig;
import io.jlvs.control.model.ServiceConfig;
import io.jlvs.control.model.ServiceKey;
import io.jlvs.health.config.VirtualServer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One virtual_server as the engine runs it: its servers, its quorum, and the real servers its services get.
 * Engine thread only.
 */
final class VirtualServerRun {
    final VirtualServer def;
    final Map<Endpoint, ServerRun> servers = new LinkedHashMap<>();
    boolean quorumHeld = true;

    VirtualServerRun(VirtualServer def) {
        this.def = def;
    }

    String name() { return def.name(); }

    int liveWeight() {
        int sum = 0;
        for (ServerRun s : servers.values()) sum += s.liveWeight();
        return sum;
    }

    /** The sorry server serves while quorum is lost. */
    boolean sorryActive() { return !quorumHeld && def.sorryServer() != null; }

    /**
     * Updates the quorum state from the live weight, with hysteresis; returns +1 when quorum was regained, -1 when
     * it was lost, 0 when unchanged.
     */
    int updateQuorum() {
        int live = liveWeight();
        if (quorumHeld && live < def.quorum() - def.hysteresis()) {
            quorumHeld = false;
            return -1;
        }
        if (!quorumHeld && live >= def.quorum() + def.hysteresis()) {
            quorumHeld = true;
            return 1;
        }
        return 0;
    }

    /**
     * The real servers each service of this virtual server gets: the servers in force with their weights; while
     * the sorry server serves, the live servers stay at weight 0 (their connections continue) and the sorry server
     * takes the new ones. With sorry_server_inhibit the sorry server stays at weight 0 while quorum holds.
     */
    List<RealServerConfig> realServers() {
        List<RealServerConfig> out = new ArrayList<>();
        boolean sorry = sorryActive();
        RealServerConfig sorryServer = def.sorryServer();
        Endpoint sorryEndpoint = sorryServer == null ? null : Endpoint.of(sorryServer);
        for (ServerRun s : servers.values()) {
            if (s.endpoint.equals(sorryEndpoint)) continue;
            int w = s.weightInForce();
            if (w < 0) continue;
            out.add(s.def.config().withWeight(sorry ? 0 : w));
        }
        if (sorryServer != null) {
            if (sorry) out.add(sorryServer);
            else if (def.sorryServerInhibit()) out.add(sorryServer.withWeight(0));
        }
        return out;
    }

    List<ServiceKey> keys() {
        List<ServiceKey> keys = new ArrayList<>(def.services().size());
        for (ServiceConfig s : def.services()) keys.add(s.key());
        return keys;
    }
}
