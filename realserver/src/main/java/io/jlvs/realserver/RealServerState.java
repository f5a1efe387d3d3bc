package io.jlvs.realserver;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * What `jlvs realserver` changed on this host for one VIP, so `--undo` puts back exactly that: the sysctls it set
 * (with their old values), whether it added the VIP, brought an interface up, or runs a decapsulator (its pid).
 * Kept in /run/jlvs, one file per network namespace and VIP (the namespace's inode tells namespaces apart, since
 * /run is shared by all of them).
 */
final class RealServerState {
    private static final Path DIRECTORY = Path.of("/run/jlvs");

    final Map<String, String> oldSysctls = new LinkedHashMap<>();
    boolean vipAdded;
    String interfaceBroughtUp;
    long decapsulatorPid;

    static Path file(String vip) throws IOException {
        String netns = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString().replaceAll("[^0-9]", "");
        return DIRECTORY.resolve("realserver-" + netns + "-" + vip + ".state");
    }

    static RealServerState load(String vip) throws IOException {
        RealServerState state = new RealServerState();
        Path file = file(vip);
        if (!Files.exists(file)) return state;
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("sysctl.")) state.oldSysctls.put(key.substring(7), p.getProperty(key));
        }
        state.vipAdded = Boolean.parseBoolean(p.getProperty("vipAdded"));
        state.interfaceBroughtUp = p.getProperty("interfaceBroughtUp");
        state.decapsulatorPid = Long.parseLong(p.getProperty("decapsulatorPid", "0"));
        return state;
    }

    /** Records the value a sysctl had before the first change (a second run keeps the original). */
    void rememberSysctl(String key, String oldValue) {
        oldSysctls.putIfAbsent(key, oldValue);
    }

    void save(String vip) throws IOException {
        Properties p = new Properties();
        oldSysctls.forEach((k, v) -> p.setProperty("sysctl." + k, v));
        p.setProperty("vipAdded", Boolean.toString(vipAdded));
        if (interfaceBroughtUp != null) p.setProperty("interfaceBroughtUp", interfaceBroughtUp);
        p.setProperty("decapsulatorPid", Long.toString(decapsulatorPid));
        Files.createDirectories(DIRECTORY);
        try (Writer w = Files.newBufferedWriter(file(vip))) {
            p.store(w, "jlvs realserver: what to undo for VIP " + vip);
        }
    }

    static void delete(String vip) throws IOException {
        Files.deleteIfExists(file(vip));
    }
}
