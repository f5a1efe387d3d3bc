package io.jlvs.forwarder;

import io.jlvs.control.model.ForwardMethod;
import io.jlvs.control.model.MarkRule;
import io.jlvs.control.model.Protocol;
import io.jlvs.platform.hostguard.Ipv6Endpoint;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.stream.LongStream;

/**
 * Immutable lookup from (protocol, IPv4 VIP, port) to a running service, and the set of VIPs, built by the control
 * plane on every change and published with one volatile write. Open addressing over primitive arrays: a lookup
 * allocates nothing. A persistent port-0 service answers for every port of its VIP.
 */
public final class ServiceIndex {
    public static final ServiceIndex EMPTY = new ServiceIndex(List.of());

    private final long[] keys;
    private final RuntimeService[] services;
    private final Map<Integer, RuntimeService> byMark;
    private final int mask;
    private final int[] vips;          // sorted, distinct: services', /32 mark rules', VRRP-managed and kernel ports' addresses
    private final int[] standby;       // sorted: managed addresses this director does not own now
    private final VipOwnership ownership;
    private final KernelPorts kernelPorts;
    private final RuntimeService[] byId;
    private final MarkRules marks;
    /** NAT real servers (proto, addr, port; port 0 = any): nat_icmp_send answers their strays. */
    private final long[] natEndpoints;     // sorted
    /** NAT real servers of one-packet UDP services (addr, port; port 0 = any), sorted, and their dests. */
    private final long[] onePacketEndpoints;
    private final RuntimeDest[] onePacketDests;
    private final Ipv6Services ipv6;
    /** FullNAT local addresses (sorted) and their ports: owned as VIPs are, their packets are FullNAT replies. */
    private final int[] localAddresses;
    private final LocalAddressPorts[] localAddressPorts;

    public ServiceIndex(List<RuntimeService> all) {
        this(all, List.of());
    }

    /** The services and the jlvs mark rules (jlvsadm --mark) that lead packets to the -f services. */
    public ServiceIndex(List<RuntimeService> all, List<MarkRule> markRules) {
        this(all, markRules, VipOwnership.UNMANAGED);
    }

    /** As {@link #ServiceIndex(List, List)}, with the VRRP-managed addresses and those this director owns. */
    public ServiceIndex(List<RuntimeService> all, List<MarkRule> markRules, VipOwnership ownership) {
        this(all, markRules, ownership, KernelPorts.NONE);
    }

    /**
     * As {@link #ServiceIndex(List, List, VipOwnership)}, with the ports on VIPs the director's kernel terminates:
     * their VIPs are VIPs (owned as the others are), TCP to those ports is left to the kernel.
     */
    public ServiceIndex(List<RuntimeService> all, List<MarkRule> markRules, VipOwnership ownership,
                        KernelPorts kernelPorts) {
        int size = Integer.highestOneBit(Math.max(4, all.size() * 4 - 1)) << 1;
        keys = new long[size];
        Arrays.fill(keys, -1L);
        services = new RuntimeService[size];
        mask = size - 1;
        int maxId = 0;
        int[] v = new int[all.size()];
        int n = 0;
        Map<Integer, RuntimeService> byMark = new HashMap<>();
        for (RuntimeService s : all) {
            maxId = Math.max(maxId, s.id);
            if (s.key.isFwmark() && s.key.af() == 4) byMark.put(s.key.fwmark(), s);
            if (s.key.isFwmark() || s.key.af() != 4) continue;
            int proto = s.key.protocol().number();
            long key = key(proto, (int) s.key.addrLo(), s.key.port());
            int i = slot(key);
            while (keys[i] != -1L) i = (i + 1) & mask;
            keys[i] = key;
            services[i] = s;
            v[n++] = (int) s.key.addrLo();
        }
        TreeMap<Integer, LocalAddressPorts> pools = new TreeMap<>();
        for (RuntimeService s : all) for (LocalAddressPorts p : s.localAddresses) if (!p.ipv6) pools.put(p.address, p);
        localAddresses = pools.keySet().stream().mapToInt(Integer::intValue).toArray();
        localAddressPorts = pools.values().toArray(new LocalAddressPorts[0]);
        marks = markRules.isEmpty() ? MarkRules.NONE : new MarkRules(markRules, byMark);
        this.byMark = Map.copyOf(byMark);
        vips = Stream.of(Arrays.copyOf(v, n), marks.hostAddresses(), ownership.managed(), kernelPorts.vips(), localAddresses)
                .flatMapToInt(Arrays::stream).distinct().sorted().toArray();
        this.ownership = ownership;
        this.kernelPorts = kernelPorts;
        standby = ownership.standby();
        byId = new RuntimeService[maxId + 1];
        for (RuntimeService s : all) byId[s.id] = s;
        natEndpoints = natEndpoints(all, markRules);
        TreeMap<Long, RuntimeDest> onePacket = onePacketNatServers(all);
        onePacketEndpoints = onePacket.keySet().stream().mapToLong(Long::longValue).toArray();
        onePacketDests = onePacket.values().toArray(new RuntimeDest[0]);
        ipv6 = new Ipv6Services(all, markRules, ownership);
    }

    /**
     * Where a reply of a one-packet service's NAT server must appear to come from is the service's VIP:port; a
     * server endpoint shared by two such services, or a port-0 service whose server has a port (any virtual port
     * maps to it), cannot say which, so it is left out: its replies go the ordinary way (nat_icmp_send or a drop).
     */
    private static TreeMap<Long, RuntimeDest> onePacketNatServers(List<RuntimeService> all) {
        TreeMap<Long, RuntimeDest> map = new TreeMap<>();
        List<Long> ambiguous = new ArrayList<>();
        for (RuntimeService s : all) {
            if (!s.onePacket || s.key.isFwmark() || s.key.af() != 4 || s.key.protocol() != Protocol.UDP) continue;
            for (RuntimeDest d : s.dests) {
                if (d.method != ForwardMethod.MASQ || !d.config.isV4()) continue;
                int port = d.server.port() == 0 ? s.key.port() : d.server.port();
                if (s.key.port() == 0 && port != 0) continue;
                long key = key(Protocol.UDP.number(), d.addressV4(), port);
                if (map.putIfAbsent(key, d) != null) ambiguous.add(key);
            }
        }
        for (Long key : ambiguous) map.remove(key);
        return map;
    }

    private static long[] natEndpoints(List<RuntimeService> all, List<MarkRule> markRules) {
        LongStream.Builder b = LongStream.builder();
        for (RuntimeService s : all) {
            if (s.key.af() != 4) continue;
            for (RuntimeDest d : s.dests) {
                if (d.method != ForwardMethod.MASQ || !d.config.isV4()) continue;
                int port = d.server.port();
                if (!s.key.isFwmark()) {
                    b.add(key(s.key.protocol().number(), d.addressV4(), port));
                } else {
                    for (MarkRule r : markRules) {
                        if (r.mark() == s.key.fwmark() && !r.isIpv6()) b.add(key(r.protocol().number(), d.addressV4(), port));
                    }
                }
            }
        }
        return b.build().distinct().sorted().toArray();
    }

    private static long key(int proto, int addr, int port) {
        return ((long) proto << 48) | ((long) port << 32) | (addr & 0xFFFF_FFFFL);
    }

    private int slot(long key) {
        long h = key * 0x9E37_79B9_7F4A_7C15L;
        return (int) (h >>> 40) & mask;
    }

    /**
     * The -f service of the first mark rule that matches the packet, or null. Asked only when {@link #lookup}
     * found no service: as in IPVS, where a fwmark service is looked up only for packets that carry a mark.
     */
    /** The IPv4 -f service of a firewall mark, or null (connections re-attached or imported by their mark). */
    public RuntimeService byMark(int fwmark) { return byMark.get(fwmark); }

    public RuntimeService lookupMarked(int proto, int addr, int port) {
        return marks.lookup(proto, addr, port);
    }

    /** Whether a mark rule wider than /32 covers addr: the operator routes those destinations to the director. */
    public boolean coveredByRoutedMarkRule(int addr) { return marks.coversRouted(addr); }

    /** Whether some mark rule is wider than /32 (the kernel socket filter cannot list its destinations). */
    public boolean hasRoutedMarkRules() { return marks.hasRoutedRules(); }

    /** Whether proto, addr, port is a NAT real server's endpoint (a port-0 server of a -f service: any port). */
    public boolean isNatRealServer(int proto, int addr, int port) {
        return Arrays.binarySearch(natEndpoints, key(proto, addr, port)) >= 0
                || Arrays.binarySearch(natEndpoints, key(proto, addr, 0)) >= 0;
    }

    /**
     * The NAT real server of a one-packet UDP service that a UDP packet from addr:port is a reply of, or null. Its
     * service's VIP:port (or, for a port-0 service, the reply's own source port) is the reply's new source.
     */
    public RuntimeDest onePacketNatServer(int addr, int port) {
        if (onePacketEndpoints.length == 0) return null;
        int udp = Protocol.UDP.number();
        int i = Arrays.binarySearch(onePacketEndpoints, key(udp, addr, port));
        if (i < 0) i = Arrays.binarySearch(onePacketEndpoints, key(udp, addr, 0));
        return i < 0 ? null : onePacketDests[i];
    }

    /** The service for a packet to addr:port, or the VIP's port-0 service, or null. */
    public RuntimeService lookup(int proto, int addr, int port) {
        RuntimeService s = find(key(proto, addr, port));
        return s != null ? s : find(key(proto, addr, 0));
    }

    private RuntimeService find(long key) {
        int i = slot(key);
        long k;
        while ((k = keys[i]) != -1L) {
            if (k == key) return services[i];
            i = (i + 1) & mask;
        }
        return null;
    }

    /** A VIP, a /32 mark rule's address or a VRRP-managed address: the director's, never the kernel's. */
    public boolean isVip(int addr) { return Arrays.binarySearch(vips, addr) >= 0; }

    /** A FullNAT local address: packets to it are real servers' replies. */
    public boolean isLocalAddress(int addr) {
        return localAddresses.length != 0 && Arrays.binarySearch(localAddresses, addr) >= 0;
    }

    /** The ports of a FullNAT local address, or null. */
    LocalAddressPorts localAddressPorts(int addr) {
        int i = localAddresses.length == 0 ? -1 : Arrays.binarySearch(localAddresses, addr);
        return i < 0 ? null : localAddressPorts[i];
    }

    /** A VRRP-managed address this director does not own now: no ARP, no ping, no forwarding. */
    public boolean isStandby(int addr) { return standby.length != 0 && Arrays.binarySearch(standby, addr) >= 0; }

    /** Whether the director answers ARP and ping for the address now. */
    public boolean owns(int addr) { return isVip(addr) && !isStandby(addr); }

    public VipOwnership ownership() { return ownership; }

    /** Whether TCP to addr:port is the director's kernel's (a layer-7 listener on a VIP), not the data plane's. */
    public boolean isKernelPort(int addr, int port) { return kernelPorts.contains(addr, port); }

    public KernelPorts kernelPorts() { return kernelPorts; }

    public int[] vips() { return vips.clone(); }

    /** The IPv6 services and VIPs. */
    Ipv6Services ipv6() { return ipv6; }

    /** Whether the director answers neighbour solicitations and echo for the IPv6 address now. */
    public boolean ownsIpv6(long hi, long lo) { return ipv6.isVip(hi, lo) && !ipv6.isStandby(hi, lo); }

    /**
     * Whether some service is on an IPv6 VIP or an IPv6 mark rule wider than /128 has its prefix routed here (the
     * capture filter then passes IPv6).
     */
    public boolean handlesIpv6() { return !ipv6.isEmpty(); }

    /** The IPv6 VIPs, for the host guard and the unsolicited neighbour advertisements. */
    public List<Ipv6Endpoint> ipv6Vips() { return ipv6.vips(); }

    /** The IPv6 NAT real servers' endpoints, for the host guard. */
    public List<Ipv6Endpoint> ipv6NatBackends() { return ipv6.natBackends(); }

    /** Every service of the index (control plane only: it walks them). */
    void forEachService(java.util.function.Consumer<RuntimeService> action) {
        for (RuntimeService s : byId) if (s != null) action.accept(s);
    }

    public RuntimeService byId(int id) { return id >= 0 && id < byId.length ? byId[id] : null; }
}
