package io.jlvs.schedulers;

import io.jlvs.packets.FlowDescription;
import java.util.ArrayList;
import java.util.List;

/** Builders for flows and servers used by the scheduler tests. */
final class TestFlows {
    private TestFlows() {}

    static int v4(String dotted) {
        String[] p = dotted.split("\\.");
        return (Integer.parseInt(p[0]) << 24) | (Integer.parseInt(p[1]) << 16) | (Integer.parseInt(p[2]) << 8) | Integer.parseInt(p[3]);
    }

    static FlowDescription tcp(String src, int srcPort, String dst, int dstPort) {
        FlowDescription f = new FlowDescription();
        f.reset();
        f.ipVersion = 4;
        f.protocol = 6;
        f.srcHi = 0;
        f.srcLo = FlowDescription.mappedLo(v4(src));
        f.dstHi = 0;
        f.dstLo = FlowDescription.mappedLo(v4(dst));
        f.srcPort = srcPort;
        f.dstPort = dstPort;
        return f;
    }

    static FlowDescription fromClient(int clientV4) {
        FlowDescription f = tcp("0.0.0.0", 40000, "192.0.2.1", 80);
        f.srcLo = FlowDescription.mappedLo(clientV4);
        return f;
    }

    /** A server with an allocator of its own: schedulers never read ids, and tests share no state through them. */
    static Destination server(String addr, int port, int weight) {
        return new Destination(new DestinationIds(), 0, FlowDescription.mappedLo(v4(addr)), port, weight);
    }

    /** Servers 172.16.x.y:80 with the given weights, named by their index in tests. */
    static List<Destination> servers(int... weights) {
        List<Destination> list = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            list.add(server("172.16." + (i / 250) + "." + (i % 250 + 1), 80, weights[i]));
        }
        return list;
    }

    /** Runs n decisions and returns the chosen servers' indexes in the list ("-" for none), e.g. "AABABCABC". */
    static String sequence(Scheduler bound, ServerSet set, List<Destination> named, FlowDescription flow, int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            Destination s = bound.schedule(set, flow);
            sb.append(s == null ? '-' : (char) ('A' + named.indexOf(s)));
        }
        return sb.toString();
    }
}
