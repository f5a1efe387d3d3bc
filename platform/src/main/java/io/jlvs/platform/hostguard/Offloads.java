package io.jlvs.platform.hostguard;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Receive offloads that merge frames (GRO, LRO, hardware GRO), read and switched with ethtool. A capture socket
 * behind them sees super-frames far above the MTU, which the director would then forward as is.
 */
final class Offloads {
    /** ethtool -k name, ethtool -K name. */
    record Feature(String longName, String shortName) {}

    static final List<Feature> MERGING = List.of(
            new Feature("generic-receive-offload", "gro"),
            new Feature("large-receive-offload", "lro"),
            new Feature("rx-gro-hw", "rx-gro-hw"));

    private Offloads() {}

    /** The merging features that are on and changeable ("[fixed]" ones cannot be switched). */
    static List<Feature> enabledMerging(String iface) throws IOException {
        String listing = Commands.run(List.of("ethtool", "-k", iface));
        List<Feature> enabled = new ArrayList<>();
        for (String line : listing.split("\n")) {
            String trimmed = line.strip();
            for (Feature f : MERGING) {
                if (trimmed.startsWith(f.longName() + ": on") && !trimmed.contains("[fixed]")) enabled.add(f);
            }
        }
        return enabled;
    }

    static boolean isOn(String iface, Feature feature) throws IOException {
        for (String line : Commands.run(List.of("ethtool", "-k", iface)).split("\n")) {
            if (line.strip().startsWith(feature.longName() + ":")) return line.contains(": on");
        }
        throw new IOException("ethtool -k " + iface + " does not list " + feature.longName());
    }

    static void set(String iface, Feature feature, boolean on) throws IOException {
        Commands.run(List.of("ethtool", "-K", iface, feature.shortName(), on ? "on" : "off"));
        if (isOn(iface, feature) != on) {
            throw new IOException("ethtool -K " + iface + " " + feature.shortName() + (on ? " on" : " off")
                    + " had no effect (the driver refused the change)");
        }
    }

    static Feature byShortName(String shortName) throws IOException {
        for (Feature f : MERGING) if (f.shortName().equals(shortName)) return f;
        throw new IOException("unknown offload feature " + shortName);
    }
}
