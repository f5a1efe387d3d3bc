package io.jlvs.platform.packetio;

/**
 * A port's MTU: its interface's, as last read ({@link PacketPort#followMtu}), but never above the largest IP packet
 * the port's buffers, sized when it opened, carry. Written by the thread that reads the interfaces, read per packet
 * by the port's worker: one volatile int.
 */
final class PortMtu {
    private final int ceiling;
    private volatile int current;

    /** @param ceiling the longest IP packet the port's transmit buffers hold */
    PortMtu(int mtu, int ceiling) {
        if (ceiling <= 0) throw new IllegalArgumentException("a port that carries no IP packet: " + ceiling);
        this.ceiling = ceiling;
        this.current = Math.min(mtu, ceiling);
    }

    int get() {
        return current;
    }

    /** The interface's MTU is now {@code mtu}; returns the port's, at most {@link #ceiling()}. */
    int follow(int mtu) {
        if (mtu <= 0) throw new IllegalArgumentException("an interface MTU must be positive: " + mtu);
        int now = Math.min(mtu, ceiling);
        current = now;
        return now;
    }

    int ceiling() {
        return ceiling;
    }
}
