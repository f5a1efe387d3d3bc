package io.jlvs.netns;

import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.LvsTopology;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The spoofed SYN flood of the tests (the tools' syn-flood.py), sent from the topology's client namespace. */
final class SynFlood {
    private final LvsTopology topology;
    private final Path script;

    /** Writes the flood's script beside the topology's logs. */
    SynFlood(LvsTopology topology) {
        this.topology = topology;
        this.script = topology.processes().logDirectory().resolve("syn-flood.py");
        try (InputStream in = LvsTopology.class.getResourceAsStream("syn-flood.py")) {
            Files.write(script, in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code rate} spoofed SYNs a second to the VIP's {@code port} for {@code seconds}. */
    BackgroundProcess start(String label, int port, int seconds, int rate) {
        return start(label, topology.vip(), port, seconds, rate);
    }

    /** The same to the IPv6 VIP of a dual-stack topology ({@link LvsTopology#VIP6}), from spoofed IPv6 sources. */
    BackgroundProcess start6(String label, int port, int seconds, int rate) {
        return start(label, LvsTopology.VIP6, port, seconds, rate);
    }

    private BackgroundProcess start(String label, String vip, int port, int seconds, int rate) {
        return topology.processes().start(topology.clientNamespace(), label, List.of("python3", script.toString(),
                vip, Integer.toString(port), Integer.toString(seconds), Integer.toString(rate)));
    }
}
