package io.jlvs.forwarder;

import io.jlvs.platform.packetio.BpfProgram;
import io.jlvs.platform.packetio.FrameHandler;
import io.jlvs.platform.packetio.PacketPort;
import io.jlvs.platform.packetio.PortStats;

import java.lang.foreign.MemorySegment;

/** A port without a socket that counts what is sent through it and receives nothing: the warm-up's ports. */
final class DiscardPort implements PacketPort {
    private final String name;
    private final int ifIndex;
    private final long mac;
    private long sent;

    DiscardPort(String name, int ifIndex, long mac) {
        this.name = name;
        this.ifIndex = ifIndex;
        this.mac = mac;
    }

    long sent() { return sent; }

    @Override public String name() { return name; }
    @Override public int ifIndex() { return ifIndex; }
    @Override public long mac() { return mac; }
    @Override public int mtu() { return 1500; }
    @Override public int receive(FrameHandler handler, int maxFrames) { return 0; }

    @Override
    public boolean send(MemorySegment src, long offset, int length) {
        sent++;
        return true;
    }

    @Override public void flush() {}
    @Override public int pollFd() { return -1; }
    @Override public void setFilter(BpfProgram program) {}
    @Override public PortStats stats() { return new PortStats(0, 0, sent, 0, 0, 0, 0, 0, 0, 0); }
    @Override public void close() {}
}
