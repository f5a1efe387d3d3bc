package io.jlvs.schedulers;

import java.util.Set;

/**
 * The service's scheduler flag bits (IP_VS_SVC_F_SCHED1..3). As in the kernel, sh-fallback and mh-fallback are
 * both flag-1, sh-port and mh-port both flag-2; each scheduler reads the bits it understands and ignores the rest.
 */
final class SchedulerFlags {
    static final int FLAG_1 = 1;
    static final int FLAG_2 = 2;
    static final int FLAG_3 = 4;

    private SchedulerFlags() {}

    static int parse(Set<String> flags) {
        int bits = 0;
        for (String flag : flags) {
            bits |= switch (flag) {
                case "flag-1", "sh-fallback", "mh-fallback" -> FLAG_1;
                case "flag-2", "sh-port", "mh-port" -> FLAG_2;
                case "flag-3" -> FLAG_3;
                default -> throw new IllegalArgumentException("invalid scheduler flag: " + flag);
            };
        }
        return bits;
    }

    /** ipvsadm's listing text for the hashing schedulers: "sh-fallback,sh-port". */
    static String text(String prefix, int bits) {
        StringBuilder sb = new StringBuilder();
        if ((bits & FLAG_1) != 0) sb.append(prefix).append("-fallback");
        if ((bits & FLAG_2) != 0) sb.append(sb.isEmpty() ? "" : ",").append(prefix).append("-port");
        return sb.toString();
    }
}
