package io.jlvs.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Port names from /etc/services, as getservbyname/getservbyport give them to ipvsadm. Read once. */
public final class ServicePorts {
    private static volatile ServicePorts system;

    private final Map<String, Integer> portByName = new HashMap<>();   // "http/tcp" -> 80
    private final Map<String, String> nameByPort = new HashMap<>();    // "80/tcp" -> "http"

    ServicePorts(List<String> lines) {
        for (String line : lines) {
            int hash = line.indexOf('#');
            if (hash >= 0) line = line.substring(0, hash);
            String[] f = line.trim().split("\\s+");
            if (f.length < 2) continue;
            int slash = f[1].indexOf('/');
            if (slash < 0) continue;
            int port;
            try {
                port = Integer.parseInt(f[1].substring(0, slash));
            } catch (NumberFormatException e) {
                continue;
            }
            String proto = f[1].substring(slash + 1);
            nameByPort.putIfAbsent(port + "/" + proto, f[0]);
            portByName.putIfAbsent(f[0] + "/" + proto, port);
            for (int i = 2; i < f.length; i++) portByName.putIfAbsent(f[i] + "/" + proto, port);
        }
    }

    public static ServicePorts system() {
        ServicePorts s = system;
        if (s == null) {
            List<String> lines;
            try {
                lines = Files.readAllLines(Path.of("/etc/services"), StandardCharsets.ISO_8859_1);
            } catch (IOException e) {
                lines = List.of();
            }
            system = s = new ServicePorts(lines);
        }
        return s;
    }

    /** Port of a service name for "tcp"/"udp"/"sctp", or -1. */
    public int port(String name, String proto) {
        Integer p = portByName.get(name + "/" + proto);
        return p == null ? -1 : p;
    }

    /** Name of a port for a protocol, or null. */
    public String name(int port, String proto) {
        return nameByPort.get(port + "/" + proto);
    }
}
