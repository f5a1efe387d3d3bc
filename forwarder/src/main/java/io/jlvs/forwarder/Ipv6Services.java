package io.jlvs.forwarder;

import io.jlvs.control.model.ForwardMethod;
import io.jlvs.control.model.MarkRule;
import io.jlvs.platform.hostguard.Ipv6Endpoint;

import io.jlvs.control.model.Protocol;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The IPv6 half of a {@link ServiceIndex}: from (protocol, IPv6 VIP, port) to a running service, the IPv6 mark
 * rules to the IPv6 -f services ({@link Ipv6MarkRules}), and the set of IPv6 VIPs the director owns through
 * Neighbour Discovery (the services' and the /128 mark rules' addresses, the FullNAT local addresses and the
 * VRRP-managed IPv6 addresses, of which those on standby are not answered for). Immutable, built with its index and published with it.
 * Open addressing over primitive arrays: a lookup allocates nothing. A persistent port-0 service answers for every
 * port of its VIP.
 */
final class Ipv6Services {
    static final Ipv6Services NONE = new Ipv6Services(List.of(), List.of(), VipOwnership.UNMANAGED);

    private final int[] protoPorts;
    private final long[] his, los;
    private final RuntimeService[] services;
    private final int mask;
    private final long[] vipHis, vipLos;
    private final boolean[] vipUsed;
    private final int vipMask;
    private final int vipCount;
    private final List<Ipv6Endpoint> vipList;
    private final List<Ipv6Endpoint> natBackends;
    /** NAT real servers of one-packet UDP services (address, port; port 0 = any) and their dests. */
    private final long[] onePacketHis, onePacketLos;
    private final int[] onePacketPorts;
    private final RuntimeDest[] onePacketDests;

    /** The FullNAT IPv6 local addresses with their ports: owned as VIPs are, their packets are FullNAT replies. */
    private final LocalAddressPorts[] localAddresses;

    /** The VRRP-managed IPv6 addresses this director does not own now, as (hi, lo) pairs: a scan, few of them. */
    private final long[] standby;

    /** The IPv6 -f services by their mark. */
    private final Map<Integer, RuntimeService> byMark;
    private final Ipv6MarkRules marks;

    Ipv6Services(List<RuntimeService> all, List<MarkRule> markRules, VipOwnership ownership) {
        List<RuntimeService> v6 = new ArrayList<>();
        Map<Integer, RuntimeService> marked = new HashMap<>();
        for (RuntimeService s : all) {
            if (s.key.af() != 6) continue;
            if (s.key.isFwmark()) marked.put(s.key.fwmark(), s);
            else v6.add(s);
        }
        byMark = Map.copyOf(marked);
        marks = marked.isEmpty() && markRules.stream().noneMatch(MarkRule::isIpv6) ? Ipv6MarkRules.NONE
                : new Ipv6MarkRules(markRules, marked);
        int size = Integer.highestOneBit(Math.max(4, v6.size() * 4 - 1)) << 1;
        protoPorts = new int[size];
        his = new long[size];
        los = new long[size];
        services = new RuntimeService[size];
        mask = size - 1;
        Set<Ipv6Endpoint> vips = new LinkedHashSet<>();
        Set<Ipv6Endpoint> backends = new LinkedHashSet<>();
        for (RuntimeService s : v6) {
            int pp = protoPort(s.key.protocol().number(), s.key.port());
            int i = slot(pp, s.key.addrHi(), s.key.addrLo(), mask);
            while (services[i] != null) i = (i + 1) & mask;
            protoPorts[i] = pp;
            his[i] = s.key.addrHi();
            los[i] = s.key.addrLo();
            services[i] = s;
            vips.add(Ipv6Endpoint.address(s.key.addrHi(), s.key.addrLo()));
            for (RuntimeDest d : s.dests) {
                if (d.method != ForwardMethod.MASQ) continue;
                backends.add(new Ipv6Endpoint(d.server.addrHi(), d.server.addrLo(), s.key.protocol().number(),
                        d.server.port() == 0 ? s.key.port() : d.server.port()));
            }
        }
        vips.addAll(marks.hostAddresses());
        Map<Ipv6Endpoint, LocalAddressPorts> pools = new LinkedHashMap<>();
        for (RuntimeService s : all) {
            for (LocalAddressPorts p : s.localAddresses) if (p.ipv6) pools.put(Ipv6Endpoint.address(p.hi, p.lo), p);
        }
        localAddresses = pools.values().toArray(new LocalAddressPorts[0]);
        vips.addAll(pools.keySet());
        vips.addAll(ownership.managed6());
        List<Ipv6Endpoint> idle = ownership.standby6();
        standby = new long[2 * idle.size()];
        for (int i = 0; i < idle.size(); i++) {
            standby[2 * i] = idle.get(i).hi();
            standby[2 * i + 1] = idle.get(i).lo();
        }
        for (RuntimeService s : marked.values()) markedNatBackends(s, markRules, backends);
        int vipSize = Integer.highestOneBit(Math.max(4, vips.size() * 4 - 1)) << 1;
        vipHis = new long[vipSize];
        vipLos = new long[vipSize];
        vipMask = vipSize - 1;
        boolean[] used = new boolean[vipSize];
        for (Ipv6Endpoint v : vips) {
            int i = slot(0, v.hi(), v.lo(), vipMask);
            while (used[i]) i = (i + 1) & vipMask;
            used[i] = true;
            vipHis[i] = v.hi();
            vipLos[i] = v.lo();
        }
        vipUsed = used;
        vipCount = vips.size();
        vipList = List.copyOf(vips);
        natBackends = List.copyOf(backends);
        List<RuntimeDest> onePacket = onePacketNatServers(v6);
        onePacketHis = new long[onePacket.size()];
        onePacketLos = new long[onePacket.size()];
        onePacketPorts = new int[onePacket.size()];
        onePacketDests = onePacket.toArray(new RuntimeDest[0]);
        for (int i = 0; i < onePacketDests.length; i++) {
            RuntimeDest d = onePacketDests[i];
            onePacketHis[i] = d.server.addrHi();
            onePacketLos[i] = d.server.addrLo();
            onePacketPorts[i] = d.server.port() == 0 ? d.service.key.port() : d.server.port();
        }
    }

    /**
     * As ServiceIndex's for IPv4: where a reply of a one-packet service's NAT server must appear to come from is
     * its service's VIP:port; a server endpoint shared by two such services, or a port-0 service whose server has a
     * port, cannot say which, so it is left out.
     */
    private static List<RuntimeDest> onePacketNatServers(List<RuntimeService> v6) {
        Map<Ipv6Endpoint, RuntimeDest> map = new LinkedHashMap<>();
        Set<Ipv6Endpoint> ambiguous = new HashSet<>();
        for (RuntimeService s : v6) {
            if (!s.onePacket || s.key.protocol() != Protocol.UDP) continue;
            for (RuntimeDest d : s.dests) {
                if (d.method != ForwardMethod.MASQ) continue;
                int port = d.server.port() == 0 ? s.key.port() : d.server.port();
                if (s.key.port() == 0 && port != 0) continue;
                Ipv6Endpoint e = new Ipv6Endpoint(d.server.addrHi(), d.server.addrLo(), 17, port);
                if (map.putIfAbsent(e, d) != null) ambiguous.add(e);
            }
        }
        map.keySet().removeAll(ambiguous);
        return List.copyOf(map.values());
    }

    /**
     * The NAT servers of an IPv6 -f service, for each IPv6 rule of its mark: the server's port, or every port of the
     * rule's range when the server has none and the range is short (as {@link NatBackendList} does for IPv4).
     */
    private static void markedNatBackends(RuntimeService s, List<MarkRule> markRules, Set<Ipv6Endpoint> out) {
        for (RuntimeDest d : s.dests) {
            if (d.method != ForwardMethod.MASQ) continue;
            int port = d.server.port();
            for (MarkRule r : markRules) {
                if (r.mark() != s.key.fwmark() || !r.isIpv6()) continue;
                int proto = r.protocol().number();
                if (port != 0) {
                    out.add(new Ipv6Endpoint(d.server.addrHi(), d.server.addrLo(), proto, port));
                } else if (r.portTo() - r.portFrom() < NatBackendList.MAX_PORTS_PER_RULE) {
                    for (int p = r.portFrom(); p <= r.portTo(); p++) {
                        out.add(new Ipv6Endpoint(d.server.addrHi(), d.server.addrLo(), proto, p));
                    }
                }
            }
        }
    }

    /**
     * The IPv6 -f service of the first IPv6 mark rule that matches the packet, or null. Asked only when
     * {@link #lookup} found no service, as for IPv4.
     */
    RuntimeService lookupMarked(int proto, long hi, long lo, int port) {
        return marks.lookup(proto, hi, lo, port);
    }

    /** The IPv6 -f service of a firewall mark, or null (connections re-attached or imported by their mark). */
    RuntimeService byMark(int fwmark) { return byMark.get(fwmark); }

    /** The NAT real server of a one-packet UDP service that a datagram from [hi lo]:port is a reply of, or null. */
    RuntimeDest onePacketNatServer(long hi, long lo, int port) {
        for (int i = 0; i < onePacketDests.length; i++) {
            if (onePacketHis[i] == hi && onePacketLos[i] == lo && (onePacketPorts[i] == port || onePacketPorts[i] == 0)) {
                return onePacketDests[i];
            }
        }
        return null;
    }

    private static int protoPort(int proto, int port) {
        return proto << 16 | port;
    }

    private static int slot(int protoPort, long hi, long lo, int mask) {
        long h = (hi * 0x9E37_79B9_7F4A_7C15L) ^ (lo * 0xC2B2_AE3D_27D4_EB4FL) ^ (protoPort * 0x1656_67B1L);
        return (int) (h ^ (h >>> 31)) & mask;
    }

    /** The service for a packet to [hi lo]:port, or the VIP's port-0 service, or null. */
    RuntimeService lookup(int proto, long hi, long lo, int port) {
        RuntimeService s = find(protoPort(proto, port), hi, lo);
        return s != null || port == 0 ? s : find(protoPort(proto, 0), hi, lo);
    }

    private RuntimeService find(int pp, long hi, long lo) {
        int i = slot(pp, hi, lo, mask);
        RuntimeService s;
        while ((s = services[i]) != null) {
            if (protoPorts[i] == pp && his[i] == hi && los[i] == lo) return s;
            i = (i + 1) & mask;
        }
        return null;
    }

    /** Whether the address is an IPv6 VIP: the director's, never the kernel's. */
    boolean isVip(long hi, long lo) {
        if (vipCount == 0) return false;
        int i = slot(0, hi, lo, vipMask);
        while (vipUsed[i]) {
            if (vipHis[i] == hi && vipLos[i] == lo) return true;
            i = (i + 1) & vipMask;
        }
        return false;
    }

    /** Whether the director has nothing IPv6 to forward: no IPv6 VIP and no IPv6 mark rule wider than /128. */
    boolean isEmpty() { return vipCount == 0 && !marks.hasRoutedRules(); }

    /** Whether an IPv6 mark rule wider than /128 covers the address: the operator routes it to the director. */
    boolean coveredByRoutedMarkRule(long hi, long lo) { return marks.coversRouted(hi, lo); }

    /** A VRRP-managed IPv6 address this director does not own now: no neighbour advertisement, no echo, no forwarding. */
    boolean isStandby(long hi, long lo) {
        for (int i = 0; i < standby.length; i += 2) if (standby[i] == hi && standby[i + 1] == lo) return true;
        return false;
    }

    /** The ports of an IPv6 FullNAT local address, or null (a scan: pools hold a few addresses). */
    LocalAddressPorts localAddressPorts(long hi, long lo) {
        for (LocalAddressPorts p : localAddresses) if (p.hi == hi && p.lo == lo) return p;
        return null;
    }

    /** The IPv6 VIPs, each once. */
    List<Ipv6Endpoint> vips() { return vipList; }

    /** The NAT real servers' endpoints (address, protocol, port) of the IPv6 services: the host guard drops them. */
    List<Ipv6Endpoint> natBackends() { return natBackends; }

    /** Whether [hi lo]:port is a NAT real server of an IPv6 service of {@code protocol} (a scan: strays only). */
    boolean isNatRealServer(int protocol, long hi, long lo, int port) {
        for (int i = 0; i < natBackends.size(); i++) {
            Ipv6Endpoint e = natBackends.get(i);
            if (e.hi() == hi && e.lo() == lo && e.protocol() == protocol && e.port() == port) return true;
        }
        return false;
    }
}
