package io.jlvs.tools.bench;

import java.util.Locale;

/**
 * How the veth peers of the director's interfaces receive, for every row of the NAT part ({@code --veth-receive}).
 * A veth hands a frame to its peer's per-CPU backlog (veth's default), or through the peer's NAPI once GRO is on,
 * polled in the sender's softirq, or in a kernel thread of the peer's own (threaded NAPI, as a NIC's receive runs
 * apart from its sender). Frames the XDP fast path redirects need the peer's NAPI, so its row needs gro or threaded;
 * every row of a run is measured the same way so that their ratios compare one path with another, not one receive
 * mode with another.
 */
enum VethReceive {
    BACKLOG, GRO, THREADED;

    static VethReceive parse(String text) {
        try {
            return valueOf(text.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--veth-receive: '" + text + "' is not backlog, gro or threaded");
        }
    }

    /** The default: veth's own, but threaded for a run with the XDP fast path, which needs the peers' NAPI. */
    static VethReceive defaultFor(SetupSelection setups) {
        return setups.includes("xdp") ? THREADED : BACKLOG;
    }

    String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
