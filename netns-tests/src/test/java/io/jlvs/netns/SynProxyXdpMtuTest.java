package io.jlvs.netns;

import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.JlvsDirector;
import io.jlvs.tools.netns.LvsTopology;
import io.jlvs.tools.netns.ServerLauncher;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * --synproxy: the MSS the SYN-ACKs offer follows the MTU of the director's interface when an operator changes it
 * while the daemon runs (the housekeeping reads the interfaces every 2 s), whether the XDP program answers (--fast-path
 * xdp) or jlvs (the port's MTU). The MSS is read from the SYN-ACK the client receives.
 */
class SynProxyXdpMtuTest {
    private static final int PORT = 80;

    @Test
    void theOfferedMssFollowsTheInterfacesMtu() throws Exception {
        try (LvsTopology topology = LvsTopology.nat("jlvsfm", 1)) {
            ServerLauncher.startHttpIdentityServers(topology, PORT);
            try (JlvsDirector director = JlvsDirector.start(topology, "nat", "afpacket", Duration.ofSeconds(120),
                    List.of("--fast-path", "xdp", "--xdp-mode", "generic"))) {
                String service = topology.vip() + ":" + PORT;
                director.restore("-A -t " + service + " -s rr --synproxy\n-a -t " + service + " -r "
                        + topology.serverAddress(1) + ":" + PORT + " -m\n");
                Conditions.await("the XDP program to answer for the service", Duration.ofSeconds(10),
                        () -> director.jlvs("status").stdoutOrThrow().contains("XDP SYN proxy: 1 service(s)"));
                assertEquals(1460, offeredMss(topology), "a 1500-byte link's MSS");

                topology.inDirector("ip", "link", "set", topology.directorClientSide(), "mtu", "1400")
                        .stdoutOrThrow();

                Conditions.await("the offered MSS to follow the MTU of 1400", Duration.ofSeconds(10),
                        () -> offeredMss(topology) == 1360);
            }
        }
    }

    @Test
    void theMssJlvsOffersFollowsTheInterfacesMtu() throws Exception {
        try (LvsTopology topology = LvsTopology.nat("jlvsmf", 1)) {
            ServerLauncher.startHttpIdentityServers(topology, PORT);
            try (JlvsDirector director = JlvsDirector.start(topology, "nat", "afpacket", Duration.ofSeconds(120),
                    List.of())) {
                String service = topology.vip() + ":" + PORT;
                director.restore("-A -t " + service + " -s rr --synproxy\n-a -t " + service + " -r "
                        + topology.serverAddress(1) + ":" + PORT + " -m\n");
                assertEquals(1460, offeredMss(topology), "a 1500-byte link's MSS");

                topology.inDirector("ip", "link", "set", topology.directorClientSide(), "mtu", "1400")
                        .stdoutOrThrow();

                Conditions.await("the offered MSS to follow the MTU of 1400", Duration.ofSeconds(10),
                        () -> offeredMss(topology) == 1360);
            }
        }
    }

    /** The MSS option of the SYN-ACK a client's connection to the VIP gets (0: none), read with a raw socket. */
    private static int offeredMss(LvsTopology topology) {
        String script = String.join("\n",
                "import socket, struct",
                "raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_TCP)",
                "raw.settimeout(5)",
                "client = socket.create_connection(('" + topology.vip() + "', " + PORT + "), timeout=5)",
                "port = client.getsockname()[1]",
                "while True:",
                "    d = raw.recv(65535)",
                "    t = d[(d[0] & 15) * 4:]",
                "    sport, dport = struct.unpack('!HH', t[:4])",
                "    if sport == " + PORT + " and dport == port and t[13] & 0x12 == 0x12: break",
                "o, i, mss = t[20:(t[12] >> 4) * 4], 0, 0",
                "while i < len(o) and o[i] != 0:",
                "    if o[i] == 1:",
                "        i += 1",
                "        continue",
                "    if o[i] == 2: mss = struct.unpack('!H', o[i + 2:i + 4])[0]",
                "    i += o[i + 1]",
                "print(mss)",
                "client.close()");
        return Integer.parseInt(topology.inClient("python3", "-c", script).stdoutOrThrow().strip());
    }
}
