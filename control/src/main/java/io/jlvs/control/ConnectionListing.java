package io.jlvs.control;

import io.jlvs.control.model.ConnectionRow;
import java.io.IOException;

/**
 * ipvsadm -c: the connection table and the persistence templates, one row at a time straight to the output (a
 * million rows never become one string). Rows as ipvsadm's print_conn: "%-3s %-6s %-11s %-18s %-18s %s", expire
 * as mm:ss; with --persistent-conn the title gains "pe name" and "pe_data", and rows that carry engine data (the
 * templates of --pe sip services) print them as "... %-16s %-18s %s" (destination, pe name, pe_data: ipvsadm's
 * widths, which differ from its title's).
 */
final class ConnectionListing {
    private final Appendable out;
    private final AddressNames names;
    private final StringBuilder sb = new StringBuilder(128);
    private final StringBuilder addr = new StringBuilder(48);

    private final boolean persistenceEngineColumns;

    ConnectionListing(Appendable out, NameResolver resolver, boolean numeric, boolean persistentConn) {
        this.out = out;
        this.names = new AddressNames(resolver, numeric);
        this.persistenceEngineColumns = persistentConn;
    }

    /** Writes the title lines. */
    void header() throws IOException {
        sb.setLength(0);
        sb.append("IPVS connection entries\npro expire ");
        Printf.left(sb, "state", 11).append(' ');
        Printf.left(sb, "source", 18).append(' ');
        Printf.left(sb, "virtual", 18).append(' ');
        if (persistenceEngineColumns) {
            Printf.left(sb, "destination", 18).append(' ');
            Printf.left(sb, "pe name", 16).append(' ').append("pe_data\n");
        } else {
            sb.append("destination\n");
        }
        out.append(sb);
    }

    /** Writes one entry. */
    void row(ConnectionRow row) throws IOException {
        String proto = switch (row.protocol()) {
            case "TCP" -> "tcp";
            case "UDP" -> "udp";
            default -> null;
        };
        sb.setLength(0);
        Printf.left(sb, row.protocol(), 3).append(' ');
        int expire = Math.max(0, row.expireSeconds());
        int start = sb.length();
        Printf.twoDigits(sb, expire / 60).append(':');
        Printf.twoDigits(sb, expire % 60);
        for (int i = sb.length() - start; i < 6; i++) sb.append(' ');
        sb.append(' ');
        Printf.left(sb, row.state(), 11).append(' ');
        address(row.clientHi(), row.clientLo(), row.clientPort(), proto);
        Printf.left(sb, addr, 18).append(' ');
        address(row.virtualHi(), row.virtualLo(), row.virtualPort(), proto);
        Printf.left(sb, addr, 18).append(' ');
        address(row.realHi(), row.realLo(), row.realPort(), proto);
        if (persistenceEngineColumns && row.peName() != null) {
            Printf.left(sb, addr, 16).append(' ');
            Printf.left(sb, row.peName(), 18).append(' ').append(row.peData()).append('\n');
        } else {
            sb.append(addr).append('\n');
        }
        out.append(sb);
    }

    private void address(long hi, long lo, int port, String proto) {
        addr.setLength(0);
        names.append(addr, hi, lo, port, proto);
    }
}
