package io.jlvs.control.model;

import java.util.List;
import java.util.Set;

/**
 * Desired settings of one virtual service, as -A/-E give them.
 *
 * @param scheduler      scheduler name (rr, wlc, mh, ...)
 * @param schedFlags     scheduler flags by ipvsadm name (sh-fallback, sh-port, mh-fallback, mh-port, flag-1..3)
 * @param persistTimeout persistence timeout in seconds, 0 = not persistent
 * @param netmaskHi      persistence granularity as a 128-bit mask over the (IPv4-mapped) client address:
 * @param netmaskLo      IPv4 /24 is hi = -1, lo = 0xFFFF_FFFF_FFFF_FF00; the default is all ones
 * @param pe             persistence engine name ("sip") or null
 * @param onePacket      one-packet scheduling (-o)
 * @param synproxy       the director answers SYNs with cookies and opens connections on a returned one (--synproxy)
 * @param localAddresses the IPv4 addresses FullNAT connections of this service take their source from (--laddr),
 *                       in the order given, without repeats; empty when none
 * @param localAddresses6 the IPv6 addresses FullNAT connections of an IPv6 service take their source from (--laddr),
 *                       in the order given, without repeats; empty when none (a pool holds one family: the service's)
 * @param sloppyTcp      a TCP segment without SYN and without a connection is scheduled, as with the sloppy_tcp knob,
 *                       for this service alone (--sloppy-tcp: a tier of directors behind ECMP takes flows the router
 *                       moves to it mid-flow)
 */
public record ServiceConfig(ServiceKey key, String scheduler, Set<String> schedFlags, int persistTimeout,
                            long netmaskHi, long netmaskLo, String pe, boolean onePacket, boolean synproxy,
                            List<Integer> localAddresses, boolean sloppyTcp, List<Ipv6Address> localAddresses6) {

    public ServiceConfig {
        schedFlags = Set.copyOf(schedFlags);
        localAddresses = List.copyOf(localAddresses);
        localAddresses6 = List.copyOf(localAddresses6);
        if (localAddresses6.stream().distinct().count() != localAddresses6.size())
            throw new IllegalArgumentException("repeated local address");
        if (persistTimeout < 0) throw new IllegalArgumentException("negative persistence timeout");
        if (localAddresses.stream().distinct().count() != localAddresses.size())
            throw new IllegalArgumentException("repeated local address");
    }

    /** A service without IPv6 local addresses. */
    public ServiceConfig(ServiceKey key, String scheduler, Set<String> schedFlags, int persistTimeout,
                         long netmaskHi, long netmaskLo, String pe, boolean onePacket, boolean synproxy,
                         List<Integer> localAddresses, boolean sloppyTcp) {
        this(key, scheduler, schedFlags, persistTimeout, netmaskHi, netmaskLo, pe, onePacket, synproxy, localAddresses,
                sloppyTcp, List.of());
    }

    /** A service without --sloppy-tcp. */
    public ServiceConfig(ServiceKey key, String scheduler, Set<String> schedFlags, int persistTimeout,
                         long netmaskHi, long netmaskLo, String pe, boolean onePacket, boolean synproxy,
                         List<Integer> localAddresses) {
        this(key, scheduler, schedFlags, persistTimeout, netmaskHi, netmaskLo, pe, onePacket, synproxy, localAddresses,
                false);
    }

    /** A service without local addresses. */
    public ServiceConfig(ServiceKey key, String scheduler, Set<String> schedFlags, int persistTimeout,
                         long netmaskHi, long netmaskLo, String pe, boolean onePacket, boolean synproxy) {
        this(key, scheduler, schedFlags, persistTimeout, netmaskHi, netmaskLo, pe, onePacket, synproxy, List.of());
    }

    /** A service without the SYN proxy. */
    public ServiceConfig(ServiceKey key, String scheduler, Set<String> schedFlags, int persistTimeout,
                         long netmaskHi, long netmaskLo, String pe, boolean onePacket) {
        this(key, scheduler, schedFlags, persistTimeout, netmaskHi, netmaskLo, pe, onePacket, false);
    }

    /** A non-persistent service with the given scheduler and the default (host) granularity. */
    public static ServiceConfig of(ServiceKey key, String scheduler) {
        return new ServiceConfig(key, scheduler, Set.of(), 0, -1L, -1L, null, false);
    }

    public boolean persistent() { return persistTimeout > 0; }

    /** Prefix length of the granularity mask within the family (32 for IPv4 /32, 128 for IPv6 /128). */
    public int netmaskPrefix() {
        int bits = Long.bitCount(netmaskHi) + Long.bitCount(netmaskLo);
        return key.af() == 4 ? bits - 96 : bits;
    }

    /** The IPv4 granularity mask as a 32-bit value (valid for IPv4 services). */
    public int netmaskV4() { return (int) netmaskLo; }

    public ServiceConfig withScheduler(String name) {
        return new ServiceConfig(key, name, schedFlags, persistTimeout, netmaskHi, netmaskLo, pe, onePacket, synproxy,
                localAddresses, sloppyTcp, localAddresses6);
    }

    /** Whether the service has FullNAT local addresses (of its family). */
    public boolean hasLocalAddresses() { return !localAddresses.isEmpty() || !localAddresses6.isEmpty(); }

    /** The local addresses in the order given, each as jlvsadm prints it. */
    public List<String> localAddressTexts() {
        return key.af() == 6 ? localAddresses6.stream().map(Ipv6Address::toString).toList()
                : localAddresses.stream().map(Addresses::formatV4).toList();
    }
}
