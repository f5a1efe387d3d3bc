package io.jlvs.platform.hostguard;

import io.jlvs.packets.Ipv4;
import io.jlvs.platform.net.Link;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a HostGuard changed on the host, kept in /run/jlvs/host-NETNSINODE.state so that the next start undoes it
 * after a crash. Written before each change is made, so a crash half-way leaves nothing unrecorded.
 * Format, one fact per line: {@code owner PID STARTTIME}, {@code offload IFACE FEATURE} (was on, we turned it
 * off), {@code table inet jlvs}, {@code clsact IFACE} (we added the qdisc), {@code tcfilter IFACE} (our ingress
 * classifier), {@code localroute A.B.C.D} (our {@code local A.B.C.D/32 dev lo} route, for a layer-7 listener
 * on a VIP), {@code xdp IFACE} (jlvs's XDP program may be attached: AF_XDP packet I/O).
 */
record HostGuardState(long ownerPid, long ownerStartTime, List<String[]> offloadsTurnedOff, boolean table,
                      List<String> clsactsAdded, List<String> tcFilters, List<Integer> localRoutes, List<String> xdpLinks) {
    HostGuardState(long ownerPid, long ownerStartTime) {
        this(ownerPid, ownerStartTime, List.of(), false, List.of(), List.of(), List.of(), List.of());
    }

    static final Path DIRECTORY = Path.of("/run/jlvs");

    static Path pathFor(long netnsInode) {
        return DIRECTORY.resolve("host-" + netnsInode + ".state");
    }

    static Optional<HostGuardState> read(Path path) throws IOException {
        if (!Files.exists(path)) return Optional.empty();
        long pid = -1, start = -1;
        boolean table = false;
        List<String[]> offloads = new ArrayList<>();
        List<String> clsacts = new ArrayList<>();
        List<String> filters = new ArrayList<>();
        List<Integer> routes = new ArrayList<>();
        List<String> xdp = new ArrayList<>();
        for (String line : Files.readAllLines(path)) {
            String[] words = line.strip().split("\\s+");
            switch (words[0]) {
                case "owner" -> {
                    pid = Long.parseLong(words[1]);
                    start = Long.parseLong(words[2]);
                }
                case "offload" -> offloads.add(new String[] {words[1], words[2]});
                case "table" -> table = true;
                case "clsact" -> clsacts.add(words[1]);
                case "tcfilter" -> filters.add(words[1]);
                case "localroute" -> routes.add(Ipv4.parse(words[1]));
                case "xdp" -> xdp.add(words[1]);
                default -> { } // blank or unknown lines from a newer version: ignore
            }
        }
        return Optional.of(new HostGuardState(pid, start, offloads, table, List.copyOf(clsacts), List.copyOf(filters),
                List.copyOf(routes), List.copyOf(xdp)));
    }

    void write(Path path) throws IOException {
        StringBuilder text = new StringBuilder("owner ").append(ownerPid).append(' ').append(ownerStartTime).append('\n');
        for (String[] offload : offloadsTurnedOff) text.append("offload ").append(offload[0]).append(' ').append(offload[1]).append('\n');
        if (table) text.append("table inet jlvs\n");
        for (String iface : clsactsAdded) text.append("clsact ").append(iface).append('\n');
        for (String iface : tcFilters) text.append("tcfilter ").append(iface).append('\n');
        for (int vip : localRoutes) text.append("localroute ").append(Link.formatIpv4(vip)).append('\n');
        for (String iface : xdpLinks) text.append("xdp ").append(iface).append('\n');
        Files.createDirectories(path.getParent());
        Path temporary = path.resolveSibling(path.getFileName() + ".tmp");
        Files.writeString(temporary, text);
        Files.move(temporary, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    HostGuardState withOffload(String iface, String feature) {
        List<String[]> more = new ArrayList<>(offloadsTurnedOff);
        more.add(new String[] {iface, feature});
        return new HostGuardState(ownerPid, ownerStartTime, List.copyOf(more), table, clsactsAdded, tcFilters,
                localRoutes, xdpLinks);
    }

    HostGuardState withTable() {
        return new HostGuardState(ownerPid, ownerStartTime, offloadsTurnedOff, true, clsactsAdded, tcFilters, localRoutes, xdpLinks);
    }

    HostGuardState withClsact(String iface) {
        return new HostGuardState(ownerPid, ownerStartTime, offloadsTurnedOff, table, plus(clsactsAdded, iface), tcFilters,
                localRoutes, xdpLinks);
    }

    HostGuardState withTcFilter(String iface) {
        return new HostGuardState(ownerPid, ownerStartTime, offloadsTurnedOff, table, clsactsAdded, plus(tcFilters, iface),
                localRoutes, xdpLinks);
    }

    HostGuardState withLocalRoute(int vip) {
        if (localRoutes.contains(vip)) return this;
        List<Integer> more = new ArrayList<>(localRoutes);
        more.add(vip);
        return new HostGuardState(ownerPid, ownerStartTime, offloadsTurnedOff, table, clsactsAdded, tcFilters,
                List.copyOf(more), xdpLinks);
    }

    HostGuardState withoutLocalRoute(int vip) {
        List<Integer> fewer = new ArrayList<>(localRoutes);
        fewer.remove(Integer.valueOf(vip));
        return new HostGuardState(ownerPid, ownerStartTime, offloadsTurnedOff, table, clsactsAdded, tcFilters,
                List.copyOf(fewer), xdpLinks);
    }

    HostGuardState withXdpLink(String iface) {
        if (xdpLinks.contains(iface)) return this;
        return new HostGuardState(ownerPid, ownerStartTime, offloadsTurnedOff, table, clsactsAdded, tcFilters,
                localRoutes, plus(xdpLinks, iface));
    }

    private static List<String> plus(List<String> list, String item) {
        List<String> more = new ArrayList<>(list);
        more.add(item);
        return List.copyOf(more);
    }

    /** Process start time (clock ticks since boot, /proc/PID/stat field 22): tells a live owner from a reused pid. */
    static long startTimeOf(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] afterName = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(afterName[19]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
