package io.jlvs.control;

import io.jlvs.control.model.Addresses;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * ipvsadm's parse_service for -t/-u/--sctp-service/-r values: "host[:port]" with a dotted quad or an IPv4 host
 * name, "[v6addr]:port", or a bare IPv6 address; the port as a number 0..65535 or a name from /etc/services.
 */
final class AddressArgs {
    private AddressArgs() {}

    /** A parsed host[:port]; port -1 when none was given. */
    record HostPort(long hi, long lo, int af, int port) {}

    /** Returns null where ipvsadm's parse_service returns SERVICE_NONE. */
    static HostPort parse(String buf, String proto) {
        if (buf.isEmpty() || isAllDigits(buf)) return null;
        String host = buf;
        String port = null;
        long[] v6 = new long[2];
        if (buf.charAt(0) == '[') {
            int close = buf.indexOf(']');
            if (close < 0 || close + 1 >= buf.length() || buf.charAt(close + 1) != ':') return null;
            host = buf.substring(1, close);
            port = buf.substring(close + 2);
        }
        long hi, lo;
        int af;
        if (Addresses.parseV6(host, v6)) {
            hi = v6[0];
            lo = v6[1];
            af = 6;
        } else {
            if (port == null) {
                int colon = host.lastIndexOf(':');
                if (colon >= 0) {
                    port = host.substring(colon + 1);
                    host = host.substring(0, colon);
                }
            }
            long v4 = resolveV4(host);
            if (v4 < 0) return null;
            hi = 0;
            lo = Addresses.mappedLo((int) v4);
            af = 4;
        }
        int portNumber = -1;
        if (port != null) {
            portNumber = parseNumber(port, 0, 65535);
            if (portNumber < 0) portNumber = proto == null ? -1 : ServicePorts.system().port(port, proto);
            if (portNumber < 0) return null;
        }
        return new HostPort(hi, lo, af, portNumber);
    }

    /** inet_aton, else gethostbyname (IPv4 only): the address, or -1. */
    static long resolveV4(String host) {
        long v4 = Addresses.parseV4(host);
        if (v4 >= 0) return v4;
        if (host.isEmpty() || host.indexOf(':') >= 0) return -1;
        try {
            for (InetAddress a : InetAddress.getAllByName(host)) {
                if (a instanceof Inet4Address) {
                    byte[] b = a.getAddress();
                    return ((b[0] & 0xFFL) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
                }
            }
        } catch (UnknownHostException | SecurityException e) {
            return -1;
        }
        return -1;
    }

    /** ipvsadm's string_to_number: a whole decimal number within [min, max], else -1. */
    /** A dotted IPv4 multicast address (224.0.0.0/4), as --mcast-group takes. */
    static boolean isMulticastV4(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) return false;
        for (String p : parts) if (parseNumber(p, 0, 255) < 0) return false;
        return parseNumber(parts[0], 224, 239) >= 0;
    }

    static int parseNumber(String s, long min, long max) {
        if (s == null || s.isEmpty()) return -1;
        int i = 0;
        boolean negative = false;
        // strtol skips leading white space and accepts a sign
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) negative = s.charAt(i++) == '-';
        if (i >= s.length()) return -1;
        long value = 0;
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') return -1;
            value = value * 10 + (c - '0');
            if (value > 0x7FFF_FFFFL + 1) return -1;
        }
        if (negative) value = -value;
        return value >= min && value <= max ? (int) value : -1;
    }

    private static boolean isAllDigits(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') return false;
        }
        return true;
    }
}
