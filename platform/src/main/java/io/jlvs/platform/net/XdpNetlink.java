package io.jlvs.platform.net;

import java.io.IOException;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * The IFLA_XDP attribute of a link (linux/if_link.h): which XDP program is attached and how, and the RTM_SETLINK
 * request that attaches or detaches one. Policy (which mode, refusing an operator's program) is the caller's.
 */
public final class XdpNetlink {
    private XdpNetlink() {}

    private static final int IFLA_XDP = 43;
    private static final int IFLA_XDP_FD = 1, IFLA_XDP_ATTACHED = 2, IFLA_XDP_FLAGS = 3, IFLA_XDP_PROG_ID = 4,
            IFLA_XDP_EXPECTED_FD = 8;

    /** XDP_ATTACHED_*: how the program on a link runs (MULTI: several modes at once, each with its own program). */
    public static final int ATTACHED_NONE = 0, ATTACHED_DRIVER = 1, ATTACHED_GENERIC = 2, ATTACHED_HARDWARE = 3,
            ATTACHED_MULTI = 4;

    /** The XDP state of one link: {@code programId} 0 when none (or when several are attached). */
    public record Attached(int mode, int programId) {
        public boolean any() {
            return mode != ATTACHED_NONE;
        }
    }

    /** The XDP program attached to link {@code ifIndex}. */
    public static Attached query(int ifIndex) throws IOException {
        try (Netlink netlink = Netlink.open()) {
            netlink.request(RtNetlink.RTM_GETLINK, 0).u8(RtNetlink.AF_UNSPEC).u8(0).u16(0).u32(ifIndex).u32(0).u32(0);
            Attached[] result = {new Attached(ATTACHED_NONE, 0)};
            netlink.transact((type, buf, payload, end) -> {
                if (type != RtNetlink.RTM_NEWLINK || buf.get(JAVA_INT, payload + 4) != ifIndex) return;
                RtAttributes a = netlink.attributes().parse(buf, payload + RtNetlink.IFINFOMSG_LEN, end);
                if (!a.has(IFLA_XDP)) return;
                long start = a.offset(IFLA_XDP);
                RtAttributes nested = netlink.attributes().parse(buf, start, start + a.length(IFLA_XDP));
                int mode = nested.has(IFLA_XDP_ATTACHED)
                        ? Byte.toUnsignedInt(buf.get(JAVA_BYTE, nested.offset(IFLA_XDP_ATTACHED))) : ATTACHED_NONE;
                result[0] = new Attached(mode, nested.u32(IFLA_XDP_PROG_ID, 0));
            });
            return result[0];
        }
    }

    /**
     * Sets link {@code ifIndex}'s XDP program to {@code programFd} (-1 detaches) with the XDP_FLAGS_* in
     * {@code flags}; {@code expectedFd} (with XDP_FLAGS_REPLACE) names the program that must be attached now, else
     * the kernel refuses with EEXIST. The kernel's extended-ack text ends up in the exception's message.
     */
    public static void set(int ifIndex, int programFd, int flags, int expectedFd) throws IOException {
        try (Netlink netlink = Netlink.open()) {
            NetlinkRequest request = netlink.request(RtNetlink.RTM_SETLINK, RtNetlink.NLM_F_ACK)
                    .u8(RtNetlink.AF_UNSPEC).u8(0).u16(0).u32(ifIndex).u32(0).u32(0);
            int xdp = request.beginNested(IFLA_XDP);
            request.attrU32(IFLA_XDP_FD, programFd).attrU32(IFLA_XDP_FLAGS, flags);
            if (expectedFd >= 0) request.attrU32(IFLA_XDP_EXPECTED_FD, expectedFd);
            request.endNested(xdp);
            netlink.transact(null);
        }
    }
}
