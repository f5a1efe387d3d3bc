package io.jlvs.announce;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * `jlvs daemon --bgp bird` and its options.
 *
 * @param include the include file jlvs writes (--bgp-include); the operator's bird.conf includes it
 * @param socket  BIRD's control socket (--bgp-socket)
 * @param link    the liveness link the routes go through (--bgp-link)
 * @param period  how often the VIPs' health is looked at (changes of the desired state are seen within it)
 * @param bfd     BFD's timers for the include's BFD protocol (--bgp-bfd), or null without BFD
 */
public record AnnounceSettings(Path include, Path socket, String link, Duration period, BfdSettings bfd) {
    public static final Path DEFAULT_INCLUDE = Path.of("/etc/bird/jlvs-vips.conf");
    public static final Path DEFAULT_SOCKET = Path.of("/run/bird/bird.ctl");
    public static final String DEFAULT_LINK = "jlvs-bgp";
    public static final Duration DEFAULT_PERIOD = Duration.ofMillis(200);

    public AnnounceSettings {
        Objects.requireNonNull(include, "include");
        Objects.requireNonNull(socket, "socket");
        if (!BirdInclude.validLinkName(link)) {
            throw new IllegalArgumentException("--bgp-link must be an interface name of 1 to 15 letters, digits, "
                    + "'_', '.' or '-': " + link);
        }
        if (period.isNegative() || period.isZero()) throw new IllegalArgumentException("period must be positive");
    }

    /** Without BFD. */
    public AnnounceSettings(Path include, Path socket, String link, Duration period) {
        this(include, socket, link, period, null);
    }
}
