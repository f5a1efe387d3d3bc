package io.jlvs.control;

import io.jlvs.control.model.Addresses;

/** ipvsadm's addrport_to_anyname: "addr:port", IPv6 in brackets, names instead of numbers without -n. */
final class AddressNames {
    private final NameResolver resolver;
    private final boolean numeric;

    AddressNames(NameResolver resolver, boolean numeric) {
        this.resolver = resolver;
        this.numeric = numeric;
    }

    /** Appends addr:port; proto is "tcp"/"udp" for port names, or null for numbers only. */
    StringBuilder append(StringBuilder sb, long hi, long lo, int port, String proto) {
        boolean v4 = Addresses.isV4(hi, lo);
        if (!v4) sb.append('[');
        sb.append(numeric ? Addresses.format(hi, lo) : resolver.hostName(hi, lo));
        if (!v4) sb.append(']');
        sb.append(':');
        String name = numeric || proto == null ? null : resolver.portName(port, proto);
        return name != null ? sb.append(name) : sb.append(port);
    }

    String format(long hi, long lo, int port, String proto) {
        return append(new StringBuilder(48), hi, lo, port, proto).toString();
    }
}
