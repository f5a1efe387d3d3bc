package io.jlvs.connections;

/** 128-bit address helpers for tests: IPv4 is IPv4-mapped (hi = 0, lo = 0x0000FFFF_xxxxxxxx). */
final class TestAddresses {
    private TestAddresses() {}

    static long v4(int a, int b, int c, int d) {
        return 0x0000_FFFF_0000_0000L | ((long) a << 24) | ((long) b << 16) | ((long) c << 8) | d;
    }

    static long v4(int address) {
        return 0x0000_FFFF_0000_0000L | (address & 0xFFFF_FFFFL);
    }
}
