package io.jlvs.netns;

import io.jlvs.tools.netns.LvsTopology;

import java.util.List;
import java.util.function.Consumer;

/**
 * How an end-to-end suite's `jlvs daemon` runs beyond its mode and packet I/O: more options, and what the topology
 * needs for them before the daemon starts.
 */
record DaemonVariant(List<String> options, Consumer<LvsTopology> prepare) {
    /** The daemon as it is. */
    static final DaemonVariant PLAIN = new DaemonVariant(List.of(), topology -> {});

    /**
     * --fast-path xdp: the peers of the director's veths receive through NAPI, as the frames its XDP program
     * redirects need.
     */
    static final DaemonVariant XDP_FAST_PATH = new DaemonVariant(List.of("--fast-path", "xdp"),
            LvsTopology::enableXdpRedirectIntoDirector);
}
