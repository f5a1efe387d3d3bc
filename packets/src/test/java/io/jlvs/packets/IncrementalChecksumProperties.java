package io.jlvs.packets;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.foreign.MemorySegment;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** RFC 1624 incremental updates after random rewrites equal a full recomputation. */
class IncrementalChecksumProperties {

    @Property(tries = 2000)
    void update16OfAnyWordEqualsFullRecomputation(@ForAll long seed, @ForAll @IntRange(min = 2, max = 1500) int length) {
        Random r = new Random(seed);
        byte[] data = RandomFrames.bytes(r, length);
        MemorySegment seg = MemorySegment.ofArray(data);
        int before = Checksums.finish(Checksums.sum(seg, 0, length, 0));
        int at = 2 * r.nextInt(length / 2);
        int oldWord = Layouts.u16(seg, at);
        int newWord = r.nextInt(65536);
        Layouts.put16(seg, at, newWord);
        int full = Checksums.finish(Checksums.sum(seg, 0, length, 0));
        assertEquals(full, Checksums.update16(before, oldWord, newWord), "seed " + seed);
    }

    @Property(tries = 2000)
    void update32OfAnyAlignedFieldEqualsFullRecomputation(@ForAll long seed, @ForAll @IntRange(min = 4, max = 1500) int length) {
        Random r = new Random(seed);
        byte[] data = RandomFrames.bytes(r, length);
        MemorySegment seg = MemorySegment.ofArray(data);
        int before = Checksums.finish(Checksums.sum(seg, 0, length, 0));
        int at = 2 * r.nextInt((length - 2) / 2);
        int oldValue = Layouts.u32(seg, at);
        int newValue = r.nextInt();
        Layouts.put32(seg, at, newValue);
        int full = Checksums.finish(Checksums.sum(seg, 0, length, 0));
        assertEquals(full, Checksums.update32(before, oldValue, newValue), "seed " + seed);
    }

    /**
     * The rewrites' 8-byte form keeps the other 6 bytes and gives the checksum RFC 1624 eqn. 3 gives, written out
     * here the plain way (fold until no carry is left, then complement).
     */
    @Property(tries = 2000)
    void checksumDeltaOnAWordKeepsTheOtherBytesAndFollowsRfc1624(@ForAll long word,
            @ForAll @IntRange(min = 0, max = 6 * 0xFFFF) int delta) {
        long updated = Checksums.applyDeltaToWord(word, delta);
        assertEquals(word >>> 16, updated >>> 16);
        int acc = (~(int) word & 0xFFFF) + delta;
        while ((acc >>> 16) != 0) acc = (acc & 0xFFFF) + (acc >>> 16);
        assertEquals(~acc & 0xFFFF, (int) updated & 0xFFFF);
    }

    /** The whole NAT path: random rewrites of address, port and TTL, then every checksum equals a fresh one. */
    @Property(tries = 1000)
    void natRewritesLeaveTheChecksumsAFullRecomputationGives(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] frame = RandomFrames.ipv4TcpOrUdp(r);
        MemorySegment seg = FrameSegments.inRing(frame);
        FlowDescription f = new FlowDescription();
        assertEquals(ParseStatus.OK, PacketParser.parse(seg, FrameSegments.FRAME_OFFSET, frame.length, f));
        boolean udpWithoutChecksum = f.protocol == Ipv4.PROTO_UDP && Layouts.u16(seg, f.l4Offset + Udp.CHECKSUM) == 0;
        int field = Checksums.checksumFieldOffset(f.protocol);
        for (int i = 0, n = 1 + r.nextInt(5); i < n; i++) {
            switch (r.nextInt(3)) {
                case 0 -> NatRewrite.setIpv4Destination(seg, f, r.nextInt(), r.nextInt(65536), false);
                case 1 -> NatRewrite.setIpv4Source(seg, f, r.nextInt(), r.nextInt(65536), false);
                default -> NatRewrite.decrementTtl(seg, f);
            }
            assertEquals(Checksums.ipv4Header(seg, f.l3Offset, f.ipHeaderLength),
                    Layouts.u16(seg, f.l3Offset + Ipv4.CHECKSUM), "IPv4 header, seed " + seed);
            int stored = Layouts.u16(seg, f.l4Offset + field);
            if (udpWithoutChecksum) {
                assertEquals(0, stored, "UDP without checksum stays without, seed " + seed);
            } else {
                assertEquals(Checksums.transportIpv4(seg, f.l3Offset, f.l4Offset, f.l4Length, f.protocol), stored,
                        "transport checksum, seed " + seed);
            }
        }
    }

    /** The same after a partial-checksum rewrite: the result is complete, as if computed from scratch. */
    @Property(tries = 300)
    void partialChecksumRewritesEndComplete(@ForAll long seed) {
        Random r = new Random(seed);
        boolean tcp = r.nextBoolean();
        PacketBuilder b = PacketBuilder.ethernet(RandomFrames.mac(r), RandomFrames.mac(r))
                .ipv4(RandomFrames.ipv4(r), RandomFrames.ipv4(r));
        if (tcp) b.tcp(r.nextInt(65536), r.nextInt(65536)); else b.udp(r.nextInt(65536), r.nextInt(65536));
        byte[] frame = b.payload(RandomFrames.bytes(r, r.nextInt(1400))).partialChecksum().build();
        MemorySegment seg = FrameSegments.inRing(frame);
        FlowDescription f = new FlowDescription();
        PacketParser.parse(seg, FrameSegments.FRAME_OFFSET, frame.length, f);
        NatRewrite.setIpv4Destination(seg, f, r.nextInt(), r.nextInt(65536), true);
        assertEquals(true, Checksums.verify(seg, f), "seed " + seed);
    }
}
