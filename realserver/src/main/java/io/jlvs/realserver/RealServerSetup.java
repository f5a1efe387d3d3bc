package io.jlvs.realserver;

import io.jlvs.platform.net.Sysctl;

import java.io.IOException;
import java.io.PrintStream;

/**
 * `jlvs realserver --vip VIP --mode dr|tun [--undo]`: prepares this host (its network namespace) to serve a VIP
 * behind a DR or TUN director, and undoes exactly what it did.
 * <ul>
 * <li>VIP/32 on lo, so packets to it are accepted;</li>
 * <li>arp_ignore=1 and arp_announce=2 on every ARP interface, never on "all" (which other software relies on);</li>
 * <li>DR: strict rp_filter relaxed to loose on interfaces other than the default route's (clients routed back
 *     elsewhere would be dropped); TUN: rp_filter off on the decapsulating interface: decapsulated packets come
 *     in there while the route back to the client leaves another interface, and since that interface has no
 *     IPv4 address the kernel drops them under loose filtering too. Effective = max(all, interface), so a
 *     non-zero "all" is set to 0 after raising every other interface's own value to it (theirs stay as they were);</li>
 * <li>TUN: tunl0 up when the kernel has the ipip module; otherwise the caller runs a
 *     {@link UserSpaceDecapsulator} on {@link #DECAP_INTERFACE}, made here.</li>
 * </ul>
 * What changed is recorded in a state file ({@link RealServerState}) for {@link #undo}.
 */
public final class RealServerSetup {
    public static final String DECAP_INTERFACE = HostNetwork.DECAP_INTERFACE;

    private final String vip;
    private final RealServerMode mode;
    private final PrintStream log;

    public RealServerSetup(String vip, RealServerMode mode, PrintStream log) {
        this.vip = vip;
        this.mode = mode;
        this.log = log;
    }

    /**
     * Prepares the host. For TUN without the ipip module, returns a started decapsulator that the caller keeps
     * running (and closes before {@link #undo}); otherwise null.
     */
    public UserSpaceDecapsulator apply() throws IOException {
        RealServerState state = RealServerState.load(vip);
        if (Ipv6RealServer.isIpv6(vip)) return applyIpv6(state);
        try {
            addVip(state);
            for (String iface : HostNetwork.arpInterfaces()) {
                raise(state, iface, "arp_ignore", 1);
                raise(state, iface, "arp_announce", 2);
            }
            UserSpaceDecapsulator decapsulator = null;
            if (mode == RealServerMode.DR) {
                relaxStrictRpFilters(state);
            } else if (HostNetwork.kernelHasIpip()) {
                if (!HostNetwork.interfaceUp(HostNetwork.IPIP_INTERFACE)) {
                    HostCommand.run("ip", "link", "set", HostNetwork.IPIP_INTERFACE, "up");
                    state.interfaceBroughtUp = HostNetwork.IPIP_INTERFACE;
                    log.println("jlvs realserver: " + HostNetwork.IPIP_INTERFACE + " up (kernel ipip module)");
                }
                turnOffRpFilter(state, HostNetwork.IPIP_INTERFACE);
            } else {
                decapsulator = startDecapsulator(state);
            }
            state.save(vip);
            return decapsulator;
        } catch (IOException | RuntimeException e) {
            state.save(vip); // what was done so far can still be undone
            throw e;
        }
    }

    /** An IPv6 VIP: see {@link Ipv6RealServer}; no sysctl is needed, and rp_filter is IPv4's only. */
    private UserSpaceDecapsulator applyIpv6(RealServerState state) throws IOException {
        try {
            Ipv6RealServer.addVip(vip, state, log);
            UserSpaceDecapsulator decapsulator = null;
            if (mode == RealServerMode.TUN) {
                if (Ipv6RealServer.kernelHasIp6Tunnel()) {
                    if (!HostNetwork.interfaceUp(Ipv6RealServer.IP6_TUNNEL_INTERFACE)) {
                        HostCommand.run("ip", "link", "set", Ipv6RealServer.IP6_TUNNEL_INTERFACE, "up");
                        state.interfaceBroughtUp = Ipv6RealServer.IP6_TUNNEL_INTERFACE;
                        log.println("jlvs realserver: " + Ipv6RealServer.IP6_TUNNEL_INTERFACE
                                + " up (kernel ip6_tunnel module)");
                    }
                } else {
                    long[] halves = Ipv6RealServer.halves(vip);
                    decapsulator = startDecapsulator(state,
                            UserSpaceDecapsulator.forIpv6(DECAP_INTERFACE, halves[0], halves[1]), "ip6_tunnel");
                }
            }
            state.save(vip);
            return decapsulator;
        } catch (IOException | RuntimeException e) {
            state.save(vip);
            throw e;
        }
    }

    private UserSpaceDecapsulator startDecapsulator(RealServerState state) throws IOException {
        return startDecapsulator(state, new UserSpaceDecapsulator(DECAP_INTERFACE, ipv4(vip)), "ipip");
    }

    private UserSpaceDecapsulator startDecapsulator(RealServerState state, UserSpaceDecapsulator d, String module)
            throws IOException {
        try {
            // A new interface takes its rp_filter from "default": set it before packets can arrive.
            turnOffRpFilter(state, DECAP_INTERFACE);
            HostCommand.run("ip", "link", "set", DECAP_INTERFACE, "up");
        } catch (IOException | RuntimeException e) {
            d.close();
            throw e;
        }
        state.decapsulatorPid = ProcessHandle.current().pid();
        d.start();
        log.println("jlvs realserver: no " + module + " module in this kernel: decapsulating in user space (raw "
                + "socket -> " + DECAP_INTERFACE + ")");
        return d;
    }

    /** Undoes what {@link #apply} recorded: sysctls back to their old values, VIP removed if it added it. */
    public void undo() throws IOException {
        RealServerState state = RealServerState.load(vip);
        long self = ProcessHandle.current().pid();
        if (state.decapsulatorPid != 0 && state.decapsulatorPid != self) {
            // A foreground `jlvs realserver --mode tun` elsewhere: it undoes its part itself on SIGTERM.
            ProcessHandle.of(state.decapsulatorPid).ifPresent(ProcessHandle::destroy);
        }
        for (var e : state.oldSysctls.entrySet()) {
            try {
                Sysctl.write(e.getKey(), e.getValue());
            } catch (RuntimeException gone) {
                // the interface went away (the decapsulator's TUN device): nothing to restore
            }
        }
        if (state.interfaceBroughtUp != null) HostCommand.tryRun("ip", "link", "set", state.interfaceBroughtUp, "down");
        if (state.vipAdded) HostCommand.tryRun("ip", "addr", "del", Ipv6RealServer.onLo(vip), "dev", "lo");
        RealServerState.delete(vip);
        log.println("jlvs realserver: undone for VIP " + vip + " (" + state.oldSysctls.size() + " sysctl(s) restored"
                + (state.vipAdded ? ", VIP removed from lo" : "") + ")");
    }

    private void addVip(RealServerState state) throws IOException {
        for (HostNetwork.Address a : HostNetwork.ipv4Addresses()) {
            if (a.address().equals(vip) && a.iface().equals("lo")) return;
        }
        HostCommand.run("ip", "addr", "add", vip + "/32", "dev", "lo");
        state.vipAdded = true;
        log.println("jlvs realserver: " + vip + "/32 on lo");
    }

    /** Sets the interface's own value to {@code wanted} when the effective value is lower. */
    private void raise(RealServerState state, String iface, String name, int wanted) {
        if (HostNetwork.effectiveMax(iface, name) >= wanted) return;
        set(state, iface, name, wanted);
    }

    private void relaxStrictRpFilters(RealServerState state) throws IOException {
        String defaultIface = HostNetwork.defaultRouteInterface();
        for (String iface : HostNetwork.arpInterfaces()) {
            if (!iface.equals(defaultIface)) loosenRpFilter(state, iface);
        }
    }

    /** Strict (1) becomes loose (2); max(all, iface) = 2 even when "all" is strict. */
    private void loosenRpFilter(RealServerState state, String iface) {
        if (HostNetwork.effectiveMax(iface, "rp_filter") == 1) set(state, iface, "rp_filter", 2);
    }

    /** Effective rp_filter 0 on {@code iface} only: every other interface keeps its effective value. */
    private void turnOffRpFilter(RealServerState state, String iface) throws IOException {
        int all = HostNetwork.conf("all", "rp_filter");
        if (all != 0) {
            for (String other : HostNetwork.allInterfaces()) {
                if (!other.equals(iface) && HostNetwork.conf(other, "rp_filter") < all) set(state, other, "rp_filter", all);
            }
            set(state, "all", "rp_filter", 0);
        }
        if (HostNetwork.conf(iface, "rp_filter") != 0) set(state, iface, "rp_filter", 0);
    }

    private void set(RealServerState state, String iface, String name, int value) {
        String key = HostNetwork.confKey(iface, name);
        state.rememberSysctl(key, Sysctl.read(key));
        Sysctl.write(key, Integer.toString(value));
        log.println("jlvs realserver: " + name + "=" + value + " on " + iface);
    }

    static int ipv4(String dotted) {
        String[] p = dotted.split("\\.");
        if (p.length != 4) throw new IllegalArgumentException("not an IPv4 address: " + dotted);
        int a = 0;
        for (String part : p) {
            int v = Integer.parseInt(part);
            if (v < 0 || v > 255) throw new IllegalArgumentException("not an IPv4 address: " + dotted);
            a = (a << 8) | v;
        }
        return a;
    }
}
