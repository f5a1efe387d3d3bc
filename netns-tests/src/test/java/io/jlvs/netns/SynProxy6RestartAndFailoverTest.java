package io.jlvs.netns;

import io.jlvs.tools.netns.FailoverTopology;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

/**
 * {@link SynProxyRestartAndFailoverTest} for an IPv6 NAT66 service: streams opened through the SYN proxy of the
 * IPv6 VIP go on intact across a SIGKILL and restart of the daemon, and across a failover to a backup that learnt
 * them, splice included, from the connection sync. IPv6 VRRP moves the VIP (on the client side) and the servers'
 * gateway (on the servers' side) together, a sync group of two IPv6 instances; the rules come from jlvsadm on each
 * director.
 */
class SynProxy6RestartAndFailoverTest {
    /** The real servers' IPv6 default gateway: a VRRP address of the directors' server side. */
    static final String GATEWAY6 = "fd00:2::1";

    @Test
    void proxiedIpv6StreamsSurviveAKillAndRestartOfTheDaemon() {
        try (LvsTopology topology = LvsTopology.nat("jlvst6-r", 1).withIpv6()) {
            SynProxyRestartAndFailoverTest.proxiedStreamsSurviveAKillAndRestart(topology, topology.clientSeat6(),
                    topology.serverAddress6(1));
        }
    }

    @Test
    void proxiedIpv6StreamsSurviveAFailoverToTheBackup() throws IOException {
        try (FailoverTopology topology = FailoverTopology.nat("jlvst6-f", 1).withIpv6()) {
            topology.inServer(1, "ip", "-6", "route", "add", "default", "via", GATEWAY6).stdoutOrThrow();
            SynProxyRestartAndFailoverTest.startTheServer(topology);
            JlvsDirector first = FullNatFailoverTest.start(topology, 1, 150, LvsTopology.VIP6 + "/64",
                    GATEWAY6 + "/64");
            try {
                JlvsDirector second = FullNatFailoverTest.start(topology, 2, 100, LvsTopology.VIP6 + "/64",
                        GATEWAY6 + "/64");
                try {
                    String rules = MasqueradedService.rules("-t", SynProxyRestartAndFailoverTest.PORT,
                            SynProxyRestartAndFailoverTest.PORT, LvsTopology.VIP6, List.of(topology.serverAddress6(1)),
                            " --synproxy");
                    first.restore(rules);
                    second.restore(rules);
                    SynProxyRestartAndFailoverTest.proxiedStreamsSurviveAFailover(first, second,
                            topology.clientSeat6());
                } finally {
                    second.close();
                }
            } finally {
                first.close();
            }
        }
    }
}
