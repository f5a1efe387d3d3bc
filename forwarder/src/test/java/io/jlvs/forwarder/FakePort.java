package io.jlvs.forwarder;

import io.jlvs.platform.packetio.BpfProgram;
import io.jlvs.platform.packetio.FrameHandler;
import io.jlvs.platform.packetio.PacketPort;
import io.jlvs.platform.packetio.PortStats;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/** A port without a socket: records what the pipeline sends. */
class FakePort implements PacketPort {
    final List<byte[]> sent = new ArrayList<>();
    private final String name;
    private final int ifIndex;
    private final long mac;

    FakePort(String name, int ifIndex, long mac) {
        this.name = name;
        this.ifIndex = ifIndex;
        this.mac = mac;
    }

    @Override public String name() { return name; }
    @Override public int ifIndex() { return ifIndex; }
    @Override public long mac() { return mac; }
    /** The link MTU the port reports; tests lower it to make a path too small. */
    int mtu = 1500;

    @Override public int mtu() { return mtu; }

    @Override
    public int followMtu(int interfaceMtu) {
        mtu = interfaceMtu;
        return mtu;
    }
    @Override public int receive(FrameHandler handler, int maxFrames) { return 0; }

    @Override
    public boolean send(MemorySegment src, long offset, int length) {
        sent.add(src.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
        return true;
    }

    @Override public void flush() {}
    @Override public int pollFd() { return -1; }
    @Override public void setFilter(BpfProgram program) {}
    @Override public PortStats stats() { return new PortStats(0, 0, sent.size(), 0, 0, 0, 0, 0, 0, 0); }
    @Override public void close() {}

    byte[] takeOnly() {
        if (sent.size() != 1) throw new AssertionError(name + " sent " + sent.size() + " frames, expected 1");
        return sent.removeFirst();
    }

    /** Counts frames instead of keeping them, for allocation measurements. */
    static final class Counting extends FakePort {
        long count;

        Counting(String name, int ifIndex, long mac) {
            super(name, ifIndex, mac);
        }

        @Override public boolean send(MemorySegment src, long offset, int length) { count++; return true; }
    }
}
