package io.jlvs.platform.packetio;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/** Test handler: keeps a copy of every frame and its status bits. */
final class FrameCollector implements FrameHandler {
    final List<byte[]> frames = new ArrayList<>();
    final List<Integer> statuses = new ArrayList<>();

    @Override
    public void onFrame(MemorySegment seg, long offset, int length, int status) {
        frames.add(seg.asSlice(offset, length).toArray(JAVA_BYTE));
        statuses.add(status);
    }

    List<byte[]> tagged(int tag) {
        return frames.stream().filter(f -> TestFrames.tagOf(f) == tag).toList();
    }

    long count(Predicate<byte[]> which) {
        return frames.stream().filter(which).count();
    }

    /** Receives until {@code done} holds or the time runs out; returns whether it holds. */
    boolean drainUntil(PacketPort port, BooleanSupplier done, long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        PacketPort[] ports = {port};
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) return false;
            Poller.await(ports, 10);
            port.receive(this, 512);
        }
        return true;
    }

    /** Receives for {@code millis}, whatever arrives. */
    void drainFor(PacketPort port, long millis) {
        drainUntil(port, () -> false, millis);
    }
}
