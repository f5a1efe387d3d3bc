package io.jlvs.announce;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * BIRD 2 through birdc on its control socket: `configure` after the include changed (BIRD re-reads its whole
 * configuration, and changes only the protocols whose configuration differs: the BGP sessions stay up), and
 * `show protocols` for the BGP sessions.
 */
public final class BirdControl implements RoutingDaemon {
    private final Path socket;

    public BirdControl(Path socket) {
        this.socket = socket;
    }

    @Override
    public String name() { return "bird"; }

    @Override
    public void reconfigure() throws IOException {
        String out = HostCommand.run(List.of("birdc", "-s", socket.toString(), "configure"));
        if (!out.contains("Reconfigured") && !out.contains("Reconfiguration in progress")) {
            throw new IOException("birdc configure: " + lastLine(out));
        }
    }

    @Override
    public List<String> sessions() throws IOException {
        return bgpLines(HostCommand.run(List.of("birdc", "-s", socket.toString(), "show", "protocols")));
    }

    /** The lines of `show protocols` whose protocol is BGP (name, protocol, table, state, since, info). */
    static List<String> bgpLines(String showProtocols) {
        List<String> out = new ArrayList<>();
        for (String line : showProtocols.split("\n")) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length >= 4 && fields[1].equals("BGP")) out.add(String.join(" ", fields));
        }
        return out;
    }

    private static String lastLine(String text) {
        String[] lines = text.strip().split("\n");
        return lines.length == 0 ? "no answer" : lines[lines.length - 1].strip();
    }
}
