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
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The host guard's tc classifier ({@link BpfProgram#hostGuard}) decides as the guard's nftables rules do, with
 * the director's own addresses standing in for their fib check: drop IPv4 to a VIP; drop IPv4 from a NAT backend's
 * address, protocol and source port unless it is addressed to the director or is a fragment (nftables drops a
 * reply's fragments together: it remembers the first's datagram for the later ones); leave the rest.
 * Frames of every header length, protocol and fragment state, and addresses drawn from small pools so that
 * matches are common.
 */
class HostGuardProgramProperties {
    static final int SHOT = 2, UNSPEC = -1;
    static final int[] VIPS = {0x0A000064, 0x0A000065};
    static final int[] LOCALS = {0x0A000001, 0xAC100001};
    static final int[] BACKEND_ADDRESSES = {0xAC100002, 0xAC100003, 0xAC100002};
    static final int[] BACKEND_PROTOCOLS = {6, 17, 6};
    static final int[] BACKEND_PORTS = {80, 53, 8080};
    static final ClassicBpf PROGRAM = new ClassicBpf(
            BpfProgram.hostGuard(VIPS, LOCALS, BACKEND_ADDRESSES, BACKEND_PROTOCOLS, BACKEND_PORTS).toTcBytecode());

    record Frame(int etherType, int ihlWords, int protocol, int fragmentOffset, int source, int destination,
                 int sourcePort, int truncateTo) {
        byte[] bytes() {
            int ipHeader = ihlWords * 4;
            byte[] f = new byte[14 + ipHeader + 8];
            f[12] = (byte) (etherType >> 8);
            f[13] = (byte) etherType;
            f[14] = (byte) (0x40 | ihlWords);
            f[20] = (byte) (fragmentOffset >> 8);
            f[21] = (byte) fragmentOffset;
            f[23] = (byte) protocol;
            putInt(f, 26, source);
            putInt(f, 30, destination);
            f[14 + ipHeader] = (byte) (sourcePort >> 8);
            f[14 + ipHeader + 1] = (byte) sourcePort;
            return truncateTo < f.length ? Arrays.copyOf(f, truncateTo) : f;
        }

        /** The nftables rules' verdict, with the local addresses for "fib daddr type local". */
        int expected() {
            if (etherType != 0x0800) return UNSPEC;
            if (contains(VIPS, destination)) return SHOT;
            if (contains(LOCALS, destination) || (fragmentOffset & 0x3FFF) != 0) return UNSPEC;
            for (int i = 0; i < BACKEND_ADDRESSES.length; i++) {
                if (BACKEND_ADDRESSES[i] == source && BACKEND_PROTOCOLS[i] == protocol && BACKEND_PORTS[i] == sourcePort) {
                    return SHOT;
                }
            }
            return UNSPEC;
        }
    }

    @Provide
    Arbitrary<Frame> frames() {
        // Sources lean to the backends and destinations to clients, so that replies of every kind are common.
        Arbitrary<Integer> sources = Arbitraries.of(0xAC100002, 0xAC100003, 0xAC100002, 0xAC100003, 0x0A000002, 0x0A000064);
        Arbitrary<Integer> destinations = Arbitraries.of(0x0A000002, 0xC0A80001, 0x0A000064, 0x0A000065, 0x0A000001,
                0xAC100001, 0xAC100002);
        return Combinators.combine(
                Arbitraries.of(0x0800, 0x0800, 0x0800, 0x0806, 0x86DD),
                Arbitraries.integers().between(5, 15),
                Arbitraries.of(6, 17, 6, 17, 1, 132),
                Arbitraries.of(0, 0, 0x2000, 0x4000, 0x0001, 0x00B9),
                sources, destinations,
                Arbitraries.of(80, 53, 8080, 81),
                Arbitraries.integers().between(1, 1000)).as(Frame::new);
    }

    @Property(tries = 5000)
    void decidesAsTheNftablesRulesDo(@ForAll("frames") Frame frame) {
        byte[] bytes = frame.bytes();
        int full = 14 + frame.ihlWords() * 4 + 8;
        if (bytes.length < full) {
            // Cut short of what the program reads: the kernel ends it with 0 (TC_ACT_OK, the stack decides).
            int verdict = PROGRAM.run(bytes);
            if (verdict != 0) assertEquals(frame.expected(), verdict, "a short frame the program could judge whole");
            return;
        }
        assertEquals(frame.expected(), PROGRAM.run(bytes), frame.toString());
    }

    @Test
    void examplesOfEachRule() {
        assertEquals(SHOT, PROGRAM.run(new Frame(0x0800, 5, 6, 0, 0x0A000002, 0x0A000065, 1234, 1000).bytes()), "to a VIP");
        assertEquals(SHOT, PROGRAM.run(new Frame(0x0800, 7, 6, 0, 0xAC100002, 0x0A000002, 8080, 1000).bytes()),
                "an un-NATed reply, IP options before its ports");
        assertEquals(UNSPEC, PROGRAM.run(new Frame(0x0800, 5, 6, 0, 0xAC100002, 0xAC100001, 8080, 1000).bytes()),
                "a reply to the director itself");
        assertEquals(UNSPEC, PROGRAM.run(new Frame(0x0800, 5, 6, 0x00B9, 0xAC100002, 0x0A000002, 8080, 1000).bytes()),
                "a later fragment carries no ports");
        assertEquals(UNSPEC, PROGRAM.run(new Frame(0x0800, 5, 6, 0x2000, 0xAC100002, 0x0A000002, 8080, 1000).bytes()),
                "a first fragment (more fragments set, offset 0) goes on to nftables, which drops it with the later ones");
        assertEquals(SHOT, PROGRAM.run(new Frame(0x0800, 5, 6, 0x4000, 0xAC100002, 0x0A000002, 8080, 1000).bytes()),
                "don't fragment is no fragment");
        assertEquals(UNSPEC, PROGRAM.run(new Frame(0x0800, 5, 17, 0, 0xAC100002, 0x0A000002, 8080, 1000).bytes()),
                "another protocol on the backend's port");
        assertEquals(UNSPEC, PROGRAM.run(new Frame(0x0806, 5, 6, 0, 0x0A000002, 0x0A000065, 1234, 1000).bytes()), "ARP");
    }

    @Test
    void withoutBackendsOnlyVipTrafficIsDroppedAndNothingElseIsRead() {
        ClassicBpf vipsOnly = new ClassicBpf(BpfProgram.hostGuard(VIPS, LOCALS, new int[0], new int[0], new int[0]).toTcBytecode());
        assertEquals(SHOT, vipsOnly.run(new Frame(0x0800, 5, 6, 0, 0x0A000002, 0x0A000064, 1234, 1000).bytes()));
        assertEquals(UNSPEC, vipsOnly.run(new Frame(0x0800, 5, 6, 0, 0xAC100002, 0x0A000002, 80, 1000).bytes()));
    }

    @Test
    void tooManyBackendsForOneProgramAreRefused() {
        int n = 600;
        int[] addresses = new int[n], protocols = new int[n], ports = new int[n];
        Arrays.fill(protocols, 6);
        assertThrows(IllegalArgumentException.class, () -> BpfProgram.hostGuard(VIPS, LOCALS, addresses, protocols, ports));
        assertThrows(IllegalArgumentException.class, () -> BpfProgram.hostGuard(VIPS, LOCALS, new int[1], new int[2], new int[1]));
    }

    private static boolean contains(int[] values, int v) {
        for (int x : values) if (x == v) return true;
        return false;
    }

    private static void putInt(byte[] f, int at, int v) {
        f[at] = (byte) (v >>> 24);
        f[at + 1] = (byte) (v >>> 16);
        f[at + 2] = (byte) (v >>> 8);
        f[at + 3] = (byte) v;
    }

}
