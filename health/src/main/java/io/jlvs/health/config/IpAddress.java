package io.jlvs.health.config;

import io.jlvs.control.model.Addresses;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 literal in jlvs's 128-bit form (IPv4 as IPv4-mapped IPv6, see {@link Addresses}). */
record IpAddress(long hi, long lo) {
    /** Parses a literal (no DNS). */
    static IpAddress parse(String text) throws ValueException {
        long v4 = Addresses.parseV4(text);
        if (v4 >= 0) return new IpAddress(0, Addresses.mappedLo((int) v4));
        long[] v6 = new long[2];
        if (Addresses.parseV6(text, v6)) return new IpAddress(v6[0], v6[1]);
        throw new ValueException("'" + text + "' is not an IP address");
    }

    /** An address as jlvs prints addresses (IPv6 as inet_ntop does). */
    static String format(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 4) return a.getHostAddress();
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b);
        return Addresses.formatV6(buf.getLong(0), buf.getLong(8));
    }

    int af() { return Addresses.isV4(hi, lo) ? 4 : 6; }

    InetAddress inet() {
        try {
            return InetAddress.getByAddress(Addresses.toBytes(hi, lo));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }

    @Override
    public String toString() { return Addresses.format(hi, lo); }
}
