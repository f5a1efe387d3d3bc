package io.jlvs.realserver;

import java.util.Locale;

/** How the director reaches this real server: direct routing (-g) or IP-in-IP tunnelling (-i). */
public enum RealServerMode {
    DR, TUN;

    /** Parses "dr" or "tun" (any case). */
    public static RealServerMode parse(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "dr", "route", "g" -> DR;
            case "tun", "tunnel", "ipip", "i" -> TUN;
            default -> throw new IllegalArgumentException("--mode must be dr or tun, not " + text);
        };
    }
}
