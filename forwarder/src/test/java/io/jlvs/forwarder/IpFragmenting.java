package io.jlvs.forwarder;

import io.jlvs.packets.Checksums;
import io.jlvs.packets.Ethernet;
import io.jlvs.packets.Ipv4;
import io.jlvs.packets.Ipv6;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Test frames cut into fragments as a sender's kernel cuts them, and fragments put together again as a receiver's
 * kernel does, both for untagged Ethernet frames holding IPv4 (no options) or IPv6. IPv6's unfragmentable part is the
 * header and any hop-by-hop and routing headers; the fragment header goes after them.
 */
final class IpFragmenting {
    private static final int ETH = Ethernet.HEADER_LENGTH;

    private IpFragmenting() {}

    /** The frame's IP datagram cut into fragments of at most {@code chunk} data bytes (a multiple of 8). */
    static List<byte[]> split(byte[] frame, int chunk, int identification) {
        int version = (frame[ETH] & 0xFF) >>> 4;
        return version == 4 ? splitIpv4(frame, chunk, identification) : splitIpv6(frame, chunk, identification);
    }

    private static List<byte[]> splitIpv4(byte[] frame, int chunk, int identification) {
        int header = (frame[ETH] & 0x0F) * 4;
        int total = u16(frame, ETH + Ipv4.TOTAL_LENGTH);
        int data = total - header;
        List<byte[]> out = new ArrayList<>();
        for (int at = 0; at < data; at += chunk) {
            int size = Math.min(chunk, data - at);
            byte[] f = new byte[ETH + header + size];
            System.arraycopy(frame, 0, f, 0, ETH + header);
            System.arraycopy(frame, ETH + header + at, f, ETH + header, size);
            put16(f, ETH + Ipv4.TOTAL_LENGTH, header + size);
            put16(f, ETH + Ipv4.IDENTIFICATION, identification);
            put16(f, ETH + Ipv4.FLAGS_FRAGMENT, (at + size < data ? Ipv4.FLAG_MF : 0) | at >>> 3);
            ipv4HeaderChecksum(f, header);
            out.add(f);
        }
        return out;
    }

    private static List<byte[]> splitIpv6(byte[] frame, int chunk, int identification) {
        int nextAt = ETH + Ipv6.NEXT_HEADER;
        int at = ETH + Ipv6.HEADER_LENGTH;
        while (frame[nextAt] == Ipv6.EXT_HOP_BY_HOP || frame[nextAt] == Ipv6.EXT_ROUTING) {
            nextAt = at;
            at += ((frame[at + 1] & 0xFF) + 1) * 8;
        }
        int unfragmentable = at; // Ethernet, IPv6 header, hop-by-hop and routing headers
        int fragmentableNext = frame[nextAt] & 0xFF;
        int end = ETH + Ipv6.HEADER_LENGTH + u16(frame, ETH + Ipv6.PAYLOAD_LENGTH);
        int data = end - unfragmentable;
        List<byte[]> out = new ArrayList<>();
        for (int offset = 0; offset < data; offset += chunk) {
            int size = Math.min(chunk, data - offset);
            byte[] f = new byte[unfragmentable + 8 + size];
            System.arraycopy(frame, 0, f, 0, unfragmentable);
            f[nextAt] = (byte) Ipv6.EXT_FRAGMENT;
            f[unfragmentable] = (byte) fragmentableNext;
            put16(f, unfragmentable + Ipv6.FRAG_OFFSET_FIELD, offset | (offset + size < data ? 1 : 0));
            ByteBuffer.wrap(f, unfragmentable + Ipv6.FRAG_IDENTIFICATION, 4).putInt(identification);
            System.arraycopy(frame, unfragmentable + offset, f, unfragmentable + 8, size);
            put16(f, ETH + Ipv6.PAYLOAD_LENGTH, f.length - ETH - Ipv6.HEADER_LENGTH);
            out.add(f);
        }
        return out;
    }

    /**
     * The datagram the fragments make, as an Ethernet frame (the first fragment's link header), whatever order they
     * came in; fails when a byte is missing or the fragments disagree on their addresses.
     */
    static byte[] reassemble(List<byte[]> fragments) {
        int version = (fragments.getFirst()[ETH] & 0xFF) >>> 4;
        return version == 4 ? reassembleIpv4(fragments) : reassembleIpv6(fragments);
    }

    private static byte[] reassembleIpv4(List<byte[]> fragments) {
        List<byte[]> sorted = new ArrayList<>(fragments);
        sorted.sort(Comparator.comparingInt(f -> (u16(f, ETH + Ipv4.FLAGS_FRAGMENT) & Ipv4.FRAGMENT_OFFSET_MASK)));
        byte[] first = sorted.getFirst();
        int header = (first[ETH] & 0x0F) * 4;
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (byte[] f : sorted) {
            check(f, first, ETH + Ipv4.SRC, 8, "addresses");
            int offset = (u16(f, ETH + Ipv4.FLAGS_FRAGMENT) & Ipv4.FRAGMENT_OFFSET_MASK) * 8;
            if (offset != data.size()) throw new AssertionError("fragment at " + offset + " after " + data.size());
            data.write(f, ETH + header, u16(f, ETH + Ipv4.TOTAL_LENGTH) - header);
        }
        if ((u16(sorted.getLast(), ETH + Ipv4.FLAGS_FRAGMENT) & Ipv4.FLAG_MF) != 0) {
            throw new AssertionError("the last fragment is missing");
        }
        byte[] whole = new byte[ETH + header + data.size()];
        System.arraycopy(first, 0, whole, 0, ETH + header);
        System.arraycopy(data.toByteArray(), 0, whole, ETH + header, data.size());
        put16(whole, ETH + Ipv4.TOTAL_LENGTH, header + data.size());
        put16(whole, ETH + Ipv4.FLAGS_FRAGMENT, 0);
        ipv4HeaderChecksum(whole, header);
        return whole;
    }

    private static byte[] reassembleIpv6(List<byte[]> fragments) {
        List<byte[]> sorted = new ArrayList<>(fragments);
        sorted.sort(Comparator.comparingInt(f -> u16(f, fragmentHeader(f) + Ipv6.FRAG_OFFSET_FIELD) & 0xFFF8));
        byte[] first = sorted.getFirst();
        int header = fragmentHeader(first);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (byte[] f : sorted) {
            check(f, first, ETH + Ipv6.SRC, 32, "addresses");
            int at = fragmentHeader(f);
            int field = u16(f, at + Ipv6.FRAG_OFFSET_FIELD);
            if ((field & 0xFFF8) != data.size()) throw new AssertionError("fragment at " + (field & 0xFFF8));
            int end = ETH + Ipv6.HEADER_LENGTH + u16(f, ETH + Ipv6.PAYLOAD_LENGTH);
            data.write(f, at + 8, end - at - 8);
        }
        if ((u16(sorted.getLast(), fragmentHeader(sorted.getLast()) + Ipv6.FRAG_OFFSET_FIELD) & 1) != 0) {
            throw new AssertionError("the last fragment is missing");
        }
        byte[] whole = new byte[header + data.size()];
        System.arraycopy(first, 0, whole, 0, header);
        System.arraycopy(data.toByteArray(), 0, whole, header, data.size());
        whole[nextHeaderFieldOf(first, header)] = first[header]; // the fragment header's next header takes its place
        put16(whole, ETH + Ipv6.PAYLOAD_LENGTH, whole.length - ETH - Ipv6.HEADER_LENGTH);
        return whole;
    }

    /** Where the fragment header of an IPv6 frame starts (after hop-by-hop and routing headers). */
    static int fragmentHeader(byte[] f) {
        int next = f[ETH + Ipv6.NEXT_HEADER] & 0xFF;
        int at = ETH + Ipv6.HEADER_LENGTH;
        while (next != Ipv6.EXT_FRAGMENT) {
            if (next != Ipv6.EXT_HOP_BY_HOP && next != Ipv6.EXT_ROUTING) throw new AssertionError("no fragment header");
            next = f[at] & 0xFF;
            at += ((f[at + 1] & 0xFF) + 1) * 8;
        }
        return at;
    }

    private static int nextHeaderFieldOf(byte[] f, int fragmentHeader) {
        int field = ETH + Ipv6.NEXT_HEADER;
        int at = ETH + Ipv6.HEADER_LENGTH;
        while (at < fragmentHeader) {
            field = at;
            at += ((f[at + 1] & 0xFF) + 1) * 8;
        }
        return field;
    }

    private static void check(byte[] f, byte[] first, int at, int length, String what) {
        for (int i = 0; i < length; i++) {
            if (f[at + i] != first[at + i]) throw new AssertionError("fragments differ in their " + what);
        }
    }

    private static void ipv4HeaderChecksum(byte[] f, int header) {
        put16(f, ETH + Ipv4.CHECKSUM, 0);
        put16(f, ETH + Ipv4.CHECKSUM, Checksums.ipv4Header(java.lang.foreign.MemorySegment.ofArray(f), ETH, header));
    }

    static int u16(byte[] b, int at) { return (b[at] & 0xFF) << 8 | b[at + 1] & 0xFF; }

    private static void put16(byte[] b, int at, int value) {
        b[at] = (byte) (value >>> 8);
        b[at + 1] = (byte) value;
    }
}
