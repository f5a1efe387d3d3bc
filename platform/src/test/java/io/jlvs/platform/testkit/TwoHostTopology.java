package io.jlvs.platform.testkit;

import java.io.IOException;

/**
 * Director namespace {@code D} (d0 10.0.0.1/24, 02:00:00:00:0d:01, mtu 1400, route 10.9.0.0/16 via 10.0.0.2)
 * wired to peer namespace {@code P} (p0 10.0.0.2/24 and 10.0.0.3/24, 02:00:00:00:0e:01).
 */
public final class TwoHostTopology implements AutoCloseable {
    public static final String DIRECTOR_MAC = "02:00:00:00:0d:01";
    public static final String PEER_MAC = "02:00:00:00:0e:01";

    public final String d;
    public final String p;
    public final TestNamespaces ns;

    public TwoHostTopology(String suffix) throws IOException {
        d = "jlvsnetD" + suffix;
        p = "jlvsnetP" + suffix;
        ns = new TestNamespaces(d, p);
        try {
            ns.sh(d, "ip link set lo up && ip link add d0 type veth peer name p0 netns " + p
                    + " && ip link set d0 address " + DIRECTOR_MAC + " mtu 1400 up && ip addr add 10.0.0.1/24 dev d0"
                    + " && ip route add 10.9.0.0/16 via 10.0.0.2");
            ns.sh(p, "ip link set lo up && ip link set p0 address " + PEER_MAC + " mtu 1400 up"
                    + " && ip addr add 10.0.0.2/24 dev p0 && ip addr add 10.0.0.3/24 dev p0");
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    @Override
    public void close() {
        ns.close();
    }
}
