package io.jlvs.platform.xdp;

import io.jlvs.platform.bpf.BpfPrograms;
import io.jlvs.platform.libc.ErrnoException;
import io.jlvs.platform.libc.Libc;
import io.jlvs.platform.net.Netlink;
import io.jlvs.platform.net.XdpNetlink;

import java.io.IOException;

/**
 * Attaches an XDP program to an interface and detaches it, through netlink (IFLA_XDP).
 *
 * <p>Attaching never replaces a program that is already there (XDP_FLAGS_UPDATE_IF_NOEXIST): an operator's own XDP
 * program is refused with a message naming it. The driver's native mode is tried first, generic (skb) mode when
 * the driver has none. Detaching removes only a program of the given name, and names the expected program to the
 * kernel (XDP_FLAGS_REPLACE), so a program attached by someone else in between is never removed. The methods
 * taking a {@link Netlink} act in the namespace that socket was opened in; the others in the calling thread's.
 */
public final class XdpLink {
    private XdpLink() {}

    private static final int XDP_FLAGS_UPDATE_IF_NOEXIST = 1, XDP_FLAGS_SKB_MODE = 2, XDP_FLAGS_DRV_MODE = 4,
            XDP_FLAGS_REPLACE = 16;
    private static final int EBUSY = 16, EEXIST = 17, EINVAL = 22, EOPNOTSUPP = 95;

    /** Where an attached program runs: in the driver, or on the skb after the driver (slower, works everywhere). */
    public enum Mode {
        NATIVE, GENERIC
    }

    /**
     * Attaches {@code programFd} to {@code ifName} (index {@code ifIndex}), natively if the driver can, else in
     * generic mode; returns the mode. Throws, changing nothing, when the interface has an XDP program already.
     */
    public static Mode attach(String ifName, int ifIndex, int programFd) throws IOException {
        return attach(ifName, ifIndex, programFd, null);
    }

    /** As {@link #attach(Netlink, String, int, int, Mode)}, in the calling thread's namespace. */
    public static Mode attach(String ifName, int ifIndex, int programFd, Mode only) throws IOException {
        try (Netlink netlink = Netlink.open()) {
            return attach(netlink, ifName, ifIndex, programFd, only);
        }
    }

    public static Mode attach(Netlink netlink, String ifName, int ifIndex, int programFd) throws IOException {
        return attach(netlink, ifName, ifIndex, programFd, null);
    }

    /**
     * As {@link #attach(Netlink, String, int, int)}, in the given mode only ({@code null}: native if the driver can,
     * else generic). Native mode on a driver without it is refused with a message naming the interface.
     */
    public static Mode attach(Netlink netlink, String ifName, int ifIndex, int programFd, Mode only) throws IOException {
        if (XdpNetlink.query(netlink, ifIndex).any()) throw taken(netlink, ifName, ifIndex, null);
        if (only != Mode.GENERIC) {
            try {
                XdpNetlink.set(netlink, ifIndex, programFd, XDP_FLAGS_UPDATE_IF_NOEXIST | XDP_FLAGS_DRV_MODE, -1);
                return Mode.NATIVE;
            } catch (ErrnoException e) {
                if (e.errno() == EBUSY || e.errno() == EEXIST) throw taken(netlink, ifName, ifIndex, e);
                if (only == Mode.NATIVE || e.errno() != EOPNOTSUPP && e.errno() != EINVAL) throw attachFailed(ifName, e);
            }
        }
        try {
            XdpNetlink.set(netlink, ifIndex, programFd, XDP_FLAGS_UPDATE_IF_NOEXIST | XDP_FLAGS_SKB_MODE, -1);
            return Mode.GENERIC;
        } catch (ErrnoException e) {
            if (e.errno() == EBUSY || e.errno() == EEXIST) throw taken(netlink, ifName, ifIndex, e);
            throw attachFailed(ifName, e);
        }
    }

    /** Every XDP program jlvs loads has a name that starts with this. */
    public static final String JLVS_PREFIX = "jlvs_";

    /**
     * Detaches the XDP program of {@code ifIndex} if its name starts with {@code namePrefix}; returns whether one
     * was removed. Another program is left in place.
     */
    public static boolean detach(int ifIndex, String namePrefix) throws IOException {
        try (Netlink netlink = Netlink.open()) {
            return detach(netlink, ifIndex, namePrefix);
        }
    }

    public static boolean detach(Netlink netlink, int ifIndex, String namePrefix) throws IOException {
        XdpNetlink.Attached attached = XdpNetlink.query(netlink, ifIndex);
        if (!attached.any() || attached.programId() == 0) return false;
        int programFd;
        try {
            programFd = BpfPrograms.fdById(attached.programId());
        } catch (ErrnoException gone) {
            if (gone.errno() == Libc.ENOENT) return false;
            throw gone;
        }
        try {
            if (!BpfPrograms.name(programFd).startsWith(namePrefix)) return false;
            int modeFlag = attached.mode() == XdpNetlink.ATTACHED_DRIVER ? XDP_FLAGS_DRV_MODE : XDP_FLAGS_SKB_MODE;
            XdpNetlink.set(netlink, ifIndex, -1, XDP_FLAGS_REPLACE | modeFlag, programFd);
            return true;
        } finally {
            Libc.close(programFd);
        }
    }

    /**
     * Swaps program {@code expectedFd}, attached in {@code mode}, for {@code programFd} in one step; refused when
     * another program is attached now.
     */
    public static void replace(Netlink netlink, int ifIndex, Mode mode, int programFd, int expectedFd) throws IOException {
        int modeFlag = mode == Mode.NATIVE ? XDP_FLAGS_DRV_MODE : XDP_FLAGS_SKB_MODE;
        XdpNetlink.set(netlink, ifIndex, programFd, XDP_FLAGS_REPLACE | modeFlag, expectedFd);
    }

    /** The XDP program attached to {@code ifIndex} now. */
    public static XdpNetlink.Attached query(int ifIndex) throws IOException {
        return XdpNetlink.query(ifIndex);
    }

    private static IOException taken(Netlink netlink, String ifName, int ifIndex, ErrnoException cause)
            throws IOException {
        XdpNetlink.Attached attached = XdpNetlink.query(netlink, ifIndex);
        String which = describe(attached);
        IOException refusal = new IOException(ifName + " already has an XDP program (" + which + "): jlvs does not "
                + "replace another program; remove it (ip link set dev " + ifName + " xdp off) or use --io afpacket");
        if (cause != null) refusal.addSuppressed(cause);
        return refusal;
    }

    private static String describe(XdpNetlink.Attached attached) {
        String mode = switch (attached.mode()) {
            case XdpNetlink.ATTACHED_DRIVER -> "native";
            case XdpNetlink.ATTACHED_GENERIC -> "generic";
            case XdpNetlink.ATTACHED_HARDWARE -> "offloaded";
            default -> "several modes";
        };
        if (attached.programId() == 0) return mode;
        try {
            return "id " + attached.programId() + ", \"" + BpfPrograms.nameById(attached.programId()) + "\", " + mode;
        } catch (IOException e) {
            return "id " + attached.programId() + ", " + mode;
        }
    }

    private static IOException attachFailed(String ifName, ErrnoException e) {
        return new ErrnoException("attaching the XDP program to " + ifName + " failed: " + e.getMessage()
                + (e.errno() == 1 ? " (loading XDP programs needs CAP_NET_ADMIN and CAP_BPF)" : ""), e.errno());
    }
}
