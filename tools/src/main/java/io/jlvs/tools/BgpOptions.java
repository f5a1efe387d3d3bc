package io.jlvs.tools;

import io.jlvs.announce.AnnounceSettings;
import io.jlvs.announce.BfdSettings;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/** `jlvs daemon --bgp bird` and its options: announcing the VIPs by BGP through BIRD 2. */
final class BgpOptions {
    @Option(names = "--bgp", paramLabel = "bird",
            description = "Announce each VIP as a host route through this routing daemon (BIRD 2) while this director "
                    + "can serve it; withdrawn when its services lose their servers or quorum, when the director is "
                    + "drained (jlvs director drain) and when the daemon stops or dies.")
    String daemon;

    @Option(names = "--bgp-include", paramLabel = "FILE",
            description = "The include file jlvs writes (default: /etc/bird/jlvs-vips.conf); bird.conf "
                    + "includes it and exports proto \"jlvs_vips\" to its BGP sessions.")
    Path include;

    @Option(names = "--bgp-socket", paramLabel = "PATH",
            description = "BIRD's control socket, for birdc (default: /run/bird/bird.ctl).")
    Path socket;

    @Option(names = "--bgp-link", paramLabel = "NAME",
            description = "The interface the announced routes go through, which exists only while the daemon runs "
                    + "(default: " + AnnounceSettings.DEFAULT_LINK + ").")
    String link;

    @Option(names = "--bgp-bfd",
            description = "Add a BFD protocol (jlvs_bfd) to the include file, so that BGP sessions with 'bfd on' "
                    + "notice a silent peer within interval x 3 instead of the hold time.")
    boolean bfd;

    @Option(names = "--bgp-bfd-interval", paramLabel = "MS",
            description = "BFD's transmit and receive interval in milliseconds (default: 100; needs --bgp-bfd).")
    Integer bfdIntervalMillis;

    /** The settings, or null without --bgp; a routing daemon other than bird, or its options without it, refused. */
    AnnounceSettings settings() {
        if (daemon == null) {
            if (include != null || socket != null || link != null || bfd || bfdIntervalMillis != null) {
                throw new IllegalArgumentException(
                        "--bgp-include, --bgp-socket, --bgp-link and --bgp-bfd need --bgp bird");
            }
            return null;
        }
        if (!daemon.equals("bird")) throw new IllegalArgumentException("--bgp must be bird, not " + daemon);
        if (bfdIntervalMillis != null && !bfd) throw new IllegalArgumentException("--bgp-bfd-interval needs --bgp-bfd");
        BfdSettings bfdSettings = !bfd ? null : new BfdSettings(bfdIntervalMillis == null
                ? BfdSettings.DEFAULT_INTERVAL : Duration.ofMillis(bfdIntervalMillis), BfdSettings.DEFAULT_MULTIPLIER);
        return new AnnounceSettings(include != null ? include : AnnounceSettings.DEFAULT_INCLUDE,
                socket != null ? socket : AnnounceSettings.DEFAULT_SOCKET,
                link != null ? link : AnnounceSettings.DEFAULT_LINK, AnnounceSettings.DEFAULT_PERIOD, bfdSettings);
    }
}
