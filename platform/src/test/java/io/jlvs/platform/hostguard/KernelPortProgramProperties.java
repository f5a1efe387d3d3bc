package io.jlvs.platform.hostguard;

import io.jlvs.platform.packetio.BpfProgram;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Kernel ports (layer-7 listeners on a VIP) in both classic BPF programs: the host guard's tc classifier leaves TCP
 * to a kernel port, and the ICMP errors to a kernel port's VIP, to the kernel as the nftables rules do, and still
 * drops the rest of the VIP's traffic; the director's socket filter keeps TCP to a kernel port out of jlvs's rings
 * and still passes the VIP's other traffic, its ICMP included.
 */
class KernelPortProgramProperties {
    static final int SHOT = 2, UNSPEC = -1, ACCEPT = -1, DROP = 0;
    static final int VIP = 0x0A000064, OTHER_VIP = 0x0A000065;
    static final int[] VIPS = {VIP, OTHER_VIP};
    static final int[] KERNEL_ADDRESSES = {VIP, VIP};
    static final int[] KERNEL_PORTS = {8080, 8443};
    static final int[] LOCALS = {0x0A000001};
    static final ClassicBpf GUARD = new ClassicBpf(BpfProgram.hostGuard(VIPS, KERNEL_ADDRESSES, KERNEL_PORTS, LOCALS,
            new int[] {0xAC100002}, new int[] {6}, new int[] {80}).toTcBytecode());
    static final ClassicBpf FILTER = new ClassicBpf(BpfProgram.forDirector(VIPS, KERNEL_ADDRESSES, KERNEL_PORTS,
            new int[] {0xAC100002}, new int[0], true, false).toTcBytecode());

    /** An IPv4 frame: for ICMP, the first transport byte is the type; otherwise the ports. */
    record Frame(int ihlWords, int protocol, int fragmentOffset, int destination, int destinationPort, int icmpType,
                 int truncateTo) {
        byte[] bytes() {
            int l4 = 14 + ihlWords * 4;
            byte[] f = new byte[l4 + 8];
            f[12] = 0x08;
            f[14] = (byte) (0x40 | ihlWords);
            f[20] = (byte) (fragmentOffset >> 8);
            f[21] = (byte) fragmentOffset;
            f[23] = (byte) protocol;
            putInt(f, 26, 0x0A000002);
            putInt(f, 30, destination);
            if (protocol == 1) {
                f[l4] = (byte) icmpType;
            } else {
                f[l4] = 0x30;
                f[l4 + 1] = 0x39;
                f[l4 + 2] = (byte) (destinationPort >> 8);
                f[l4 + 3] = (byte) destinationPort;
            }
            return truncateTo < f.length ? Arrays.copyOf(f, truncateTo) : f;
        }

        boolean firstFragment() { return (fragmentOffset & 0x1FFF) == 0; }

        boolean toKernelPort() {
            if (protocol != 6 || !firstFragment()) return false;
            for (int i = 0; i < KERNEL_PORTS.length; i++) {
                if (KERNEL_ADDRESSES[i] == destination && KERNEL_PORTS[i] == destinationPort) return true;
            }
            return false;
        }

        /** The nftables prerouting chain's verdict (no NAT backend source here). */
        int guardExpected() {
            if (toKernelPort()) return UNSPEC;
            boolean icmpError = protocol == 1 && firstFragment() && (icmpType == 3 || icmpType == 11 || icmpType == 12);
            if (icmpError && destination == VIP) return UNSPEC;
            return destination == VIP || destination == OTHER_VIP ? SHOT : UNSPEC;
        }

        /** The socket filter's: ICMP always, TCP to a kernel port never, anything else to a VIP. */
        int filterExpected() {
            if (protocol == 1) return ACCEPT;
            if (toKernelPort()) return DROP;
            return destination == VIP || destination == OTHER_VIP ? ACCEPT : DROP;
        }
    }

    @Provide
    Arbitrary<Frame> frames() {
        return Combinators.combine(
                Arbitraries.integers().between(5, 15),
                Arbitraries.of(6, 6, 17, 1, 1),
                Arbitraries.of(0, 0, 0x2000, 0x4000, 0x00B9),
                Arbitraries.of(VIP, VIP, OTHER_VIP, 0x0A000001, 0x0A000002),
                Arbitraries.of(8080, 8443, 80, 8081),
                Arbitraries.of(0, 3, 8, 11, 12, 5),
                Arbitraries.integers().between(1, 1000)).as(Frame::new);
    }

    @Property(tries = 5000)
    void theGuardLeavesKernelPortsToTheKernelAsTheNftablesRulesDo(@ForAll("frames") Frame frame) {
        byte[] bytes = frame.bytes();
        if (bytes.length < 14 + frame.ihlWords() * 4 + 8) {
            // Cut short of what the program reads: the kernel ends it with 0 (TC_ACT_OK, nftables decides).
            int verdict = GUARD.run(bytes);
            if (verdict != 0) assertEquals(frame.guardExpected(), verdict, "a short frame the program could judge whole");
            return;
        }
        assertEquals(frame.guardExpected(), GUARD.run(bytes), frame.toString());
    }

    @Property(tries = 5000)
    void theSocketFilterKeepsKernelPortsOutOfTheRings(@ForAll("frames") Frame frame) {
        byte[] bytes = frame.bytes();
        if (bytes.length < 14 + frame.ihlWords() * 4 + 8) {
            int verdict = FILTER.run(bytes);
            if (verdict != 0) assertEquals(frame.filterExpected(), verdict, "a short frame the program could judge whole");
            return;
        }
        assertEquals(frame.filterExpected(), FILTER.run(bytes), frame.toString());
    }

    @Test
    void examplesOfEachRule() {
        assertEquals(UNSPEC, GUARD.run(new Frame(5, 6, 0, VIP, 8080, 0, 1000).bytes()), "TCP to a kernel port");
        assertEquals(SHOT, GUARD.run(new Frame(5, 6, 0, VIP, 80, 0, 1000).bytes()), "TCP to another port of that VIP");
        assertEquals(SHOT, GUARD.run(new Frame(5, 17, 0, VIP, 8080, 0, 1000).bytes()), "UDP to the kernel port's number");
        assertEquals(SHOT, GUARD.run(new Frame(5, 6, 0, OTHER_VIP, 8080, 0, 1000).bytes()), "the port on another VIP");
        assertEquals(SHOT, GUARD.run(new Frame(5, 6, 0x00B9, VIP, 8080, 0, 1000).bytes()), "a later fragment has no port");
        assertEquals(UNSPEC, GUARD.run(new Frame(7, 1, 0, VIP, 0, 3, 1000).bytes()), "fragmentation needed, IP options");
        assertEquals(SHOT, GUARD.run(new Frame(5, 1, 0, VIP, 0, 8, 1000).bytes()), "an echo request is jlvs's");
        assertEquals(SHOT, GUARD.run(new Frame(5, 1, 0, OTHER_VIP, 0, 3, 1000).bytes()), "an error to a VIP without one");
        assertEquals(DROP, FILTER.run(new Frame(6, 6, 0, VIP, 8443, 0, 1000).bytes()), "kernel port, IP options");
        assertEquals(ACCEPT, FILTER.run(new Frame(5, 6, 0, VIP, 80, 0, 1000).bytes()), "the VIP's L4 port");
        assertEquals(ACCEPT, FILTER.run(new Frame(5, 1, 0, VIP, 0, 8, 1000).bytes()), "ping of the VIP");
    }

    private static void putInt(byte[] f, int at, int v) {
        f[at] = (byte) (v >>> 24);
        f[at + 1] = (byte) (v >>> 16);
        f[at + 2] = (byte) (v >>> 8);
        f[at + 3] = (byte) v;
    }
}
