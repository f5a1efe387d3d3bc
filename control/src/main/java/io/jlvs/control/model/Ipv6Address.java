package io.jlvs.control.model;

/** An IPv6 address as two 64-bit halves (network order: {@code hi} holds the first 8 bytes). */
public record Ipv6Address(long hi, long lo) {
    @Override
    public String toString() { return Addresses.formatV6(hi, lo); }
}
