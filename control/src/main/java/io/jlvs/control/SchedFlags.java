package io.jlvs.control;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Scheduler flags: IPVS keeps three bits (IP_VS_SVC_F_SCHED1..3); sh and mh name the first two
 * (sh-fallback/sh-port, mh-fallback/mh-port), other schedulers show flag-1..flag-3, as ipvsadm prints them.
 */
public final class SchedFlags {
    private SchedFlags() {}

    static Set<String> names(String scheduler, boolean[] bits) {
        return new LinkedHashSet<>(ordered(scheduler, bits));
    }

    /** The flags of a service in ipvsadm's order, named for its scheduler. */
    public static List<String> ordered(String scheduler, Set<String> flags) {
        boolean[] bits = new boolean[3];
        for (String f : flags) {
            switch (f) {
                case "flag-1", "sh-fallback", "mh-fallback" -> bits[0] = true;
                case "flag-2", "sh-port", "mh-port" -> bits[1] = true;
                case "flag-3" -> bits[2] = true;
                default -> { }
            }
        }
        return ordered(scheduler, bits);
    }

    private static List<String> ordered(String scheduler, boolean[] bits) {
        List<String> out = new ArrayList<>(3);
        if (scheduler.equals("sh") || scheduler.equals("mh")) {
            if (bits[0]) out.add(scheduler + "-fallback");
            if (bits[1]) out.add(scheduler + "-port");
        } else {
            for (int i = 0; i < 3; i++) if (bits[i]) out.add("flag-" + (i + 1));
        }
        return out;
    }
}
