package io.jlvs.schedulers;

/**
 * Key of a persistence template within one service: the masked client address and the virtual port (0 for port-0
 * and fwmark services). Stored keys are never changed; the mutable instances are per-thread lookup probes, so a
 * lookup allocates nothing.
 */
final class TemplateKey {
    long hi, lo;
    int port;

    TemplateKey() {}

    TemplateKey(long hi, long lo, int port) { this.hi = hi; this.lo = lo; this.port = port; }

    TemplateKey set(long hi, long lo, int port) {
        this.hi = hi; this.lo = lo; this.port = port;
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TemplateKey k && k.hi == hi && k.lo == lo && k.port == port;
    }

    @Override
    public int hashCode() {
        long h = hi * 0x9E3779B97F4A7C15L ^ lo * 0xC2B2AE3D27D4EB4FL ^ port;
        return (int) (h ^ (h >>> 32));
    }
}
