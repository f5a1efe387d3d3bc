package io.jlvs.health.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code virtual_server_group NAME { ... }} blocks: each member is "IP PORT", an IP range "10.0.0.1-10 PORT"
 * (the last IPv4 byte, or the last 16 bits of an IPv6 address in hex, runs up to the number after the dash), or
 * "fwmark N".
 */
final class VirtualServerGroups {
    record Group(Source source, List<ServiceAddress> members) {}

    private final Map<String, Group> byName = new HashMap<>();

    void define(Statement s, Diagnostics diagnostics) throws ValueException {
        String name = s.value();
        List<ServiceAddress> members = new ArrayList<>();
        for (Statement member : s.block()) {
            try {
                if (member.block() != null) throw new ValueException("a group member takes no { } block");
                members.addAll(member(member));
            } catch (ValueException e) {
                diagnostics.error(member.source(), "virtual_server_group " + name + ": " + e.getMessage());
            }
        }
        Group previous = byName.putIfAbsent(name, new Group(s.source(), members));
        if (previous != null)
            throw new ValueException(name + " is already defined at " + Diagnostics.where(previous.source(), s.source()));
    }

    Group get(String name) { return byName.get(name); }

    private static List<ServiceAddress> member(Statement s) throws ValueException {
        List<String> words = new ArrayList<>();
        words.add(s.name());
        s.args().forEach(w -> words.add(w.text()));
        int dash = s.name().lastIndexOf('-');
        if (dash < 0 || s.name().equals("fwmark")) return List.of(ServiceAddress.parse(words));
        IpAddress first = IpAddress.parse(s.name().substring(0, dash));
        words.set(0, first.toString());
        ServiceAddress base = ServiceAddress.parse(words);
        String endText = s.name().substring(dash + 1);
        boolean v4 = first.af() == 4;
        int start = (int) (first.lo() & (v4 ? 0xFF : 0xFFFF));
        int end;
        try {
            end = Integer.parseInt(endText, v4 ? 10 : 16);
        } catch (NumberFormatException e) {
            throw new ValueException("'" + endText + "' is not the end of an address range");
        }
        if (end < start || end > (v4 ? 0xFF : 0xFFFF))
            throw new ValueException("range " + s.name() + " must end between " + (v4 ? start : Integer.toHexString(start))
                    + " and " + (v4 ? "255" : "ffff"));
        List<ServiceAddress> out = new ArrayList<>();
        long prefix = first.lo() & ~(v4 ? 0xFFL : 0xFFFFL);
        for (int i = start; i <= end; i++) out.add(new ServiceAddress(new IpAddress(first.hi(), prefix | i), base.port(), 0));
        return out;
    }
}
