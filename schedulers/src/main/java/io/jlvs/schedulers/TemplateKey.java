package io.jlvs.schedulers;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Key of a persistence template within one service: the masked client address, the virtual port (0 for port-0
 * and fwmark services) and, with a persistence engine, its data (the SIP Call-ID), compared byte for byte as the
 * kernel's ct_match does. Stored keys are never changed; the mutable instances are per-thread lookup probes with a
 * reusable data buffer, so a lookup allocates nothing.
 */
final class TemplateKey {
    private static final byte[] NO_DATA = new byte[0];

    long hi, lo;
    int port;
    byte[] peData = NO_DATA;
    int peLength;

    TemplateKey() {}

    /** A stored key: copies the probe's engine data to an array of its own. */
    TemplateKey(TemplateKey probe) {
        this.hi = probe.hi;
        this.lo = probe.lo;
        this.port = probe.port;
        this.peLength = probe.peLength;
        this.peData = probe.peLength == 0 ? NO_DATA : Arrays.copyOf(probe.peData, probe.peLength);
    }

    TemplateKey set(long hi, long lo, int port, byte[] peData, int peLength) {
        this.hi = hi; this.lo = lo; this.port = port;
        this.peData = peLength == 0 ? NO_DATA : peData;
        this.peLength = peLength;
        return this;
    }

    /** The engine data as text (a SIP Call-ID is ASCII), "" without an engine. */
    String peText() {
        return new String(peData, 0, peLength, StandardCharsets.ISO_8859_1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TemplateKey k && k.hi == hi && k.lo == lo && k.port == port && k.peLength == peLength
                && Arrays.equals(k.peData, 0, peLength, peData, 0, peLength);
    }

    @Override
    public int hashCode() {
        long h = hi * 0x9E3779B97F4A7C15L ^ lo * 0xC2B2AE3D27D4EB4FL ^ port;
        for (int i = 0; i < peLength; i++) h = h * 31 + peData[i];
        return (int) (h ^ (h >>> 32));
    }
}
