package io.jlvs.platform.net;

import io.jlvs.platform.libc.ErrnoException;
import io.jlvs.platform.libc.Libc;

import java.io.IOException;

import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/** Reads and solicits entries of the kernel's IPv4 neighbour (ARP) table. */
final class Neighbours {

    private Neighbours() {}

    /** A neighbour entry: NUD_* state and link-layer address (-1 when the kernel has none yet). */
    record Entry(int state, long mac) {
        boolean usable() {
            return (state & RtNetlink.NUD_USABLE) != 0 && mac >= 0;
        }
    }

    /** The entry for {@code addressV4} on {@code ifIndex}, or null when the kernel has none. */
    static Entry get(Netlink netlink, int ifIndex, int addressV4) throws IOException {
        Entry[] entry = new Entry[1];
        netlink.request(RtNetlink.RTM_GETNEIGH, 0)
                .u8(RtNetlink.AF_INET).u8(0).u16(0).u32(ifIndex).u16(0).u8(0).u8(0)
                .attrIpv4(RtNetlink.NDA_DST, addressV4);
        try {
            netlink.transact((type, buf, payload, end) -> {
                if (type != RtNetlink.RTM_NEWNEIGH) return;
                int state = Short.toUnsignedInt(buf.get(JAVA_SHORT, payload + 8));
                long mac = netlink.attributes().parse(buf, payload + RtNetlink.NDMSG_LEN, end).mac(RtNetlink.NDA_LLADDR);
                entry[0] = new Entry(state, mac);
            });
        } catch (ErrnoException e) {
            if (e.errno() == Libc.ENOENT) return null;
            throw new IOException("neighbour " + Link.formatIpv4(addressV4) + ": " + e.getMessage(), e);
        }
        return entry[0];
    }

    /**
     * Makes the kernel resolve {@code addressV4} on {@code ifIndex} (creating the entry if needed): NTF_USE acts
     * as if a packet were queued to that neighbour, so the kernel sends ARP requests; the outcome arrives later as
     * an RTM_NEWNEIGH event. Returns at once, without waiting for the answer.
     */
    static void solicit(Netlink netlink, int ifIndex, int addressV4) throws IOException {
        netlink.request(RtNetlink.RTM_NEWNEIGH, RtNetlink.NLM_F_CREATE | RtNetlink.NLM_F_ACK)
                .u8(RtNetlink.AF_INET).u8(0).u16(0).u32(ifIndex).u16(0).u8(RtNetlink.NTF_USE).u8(0)
                .attrIpv4(RtNetlink.NDA_DST, addressV4);
        try {
            netlink.transact(null);
        } catch (IOException e) {
            throw new IOException("asking the kernel to resolve " + Link.formatIpv4(addressV4) + " on ifindex " + ifIndex
                    + ": " + e.getMessage(), e);
        }
    }
}
