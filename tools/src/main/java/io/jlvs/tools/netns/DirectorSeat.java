package io.jlvs.tools.netns;

import java.util.List;

/**
 * Where a jlvs daemon runs in a test network: its namespace and interfaces, the topology's process runner, and the
 * service it usually balances (the VIP and the real servers' addresses).
 *
 * @param name       a short name for log files and sockets ("d1"), unique within the topology
 * @param clientSide the interface towards the clients
 * @param serverSide the interface towards the real servers (the same as clientSide on a single LAN)
 */
public record DirectorSeat(String name, ProcessRunner processes, String namespace, String clientSide,
                           String serverSide, String vip, List<String> serverAddresses) {
    public DirectorSeat {
        serverAddresses = List.copyOf(serverAddresses);
    }

    /** The same seat under another name: a second daemon started there keeps its own files and socket. */
    public DirectorSeat named(String other) {
        return new DirectorSeat(other, processes, namespace, clientSide, serverSide, vip, serverAddresses);
    }
}
