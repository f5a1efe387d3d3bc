package io.jlvs.announce;

import io.jlvs.platform.packetio.TunDevice;

import java.io.IOException;
import java.util.List;

/**
 * The interface the announced routes go through: a TUN device (not persistent) that exists while this process
 * holds its descriptor. When the daemon ends, however it ends (kill -9 included), the kernel removes the
 * interface, BIRD's device protocol sees it go, and the static routes through it are withdrawn from every BGP
 * session: a dead director stops drawing traffic without waiting for the routers' hold timer.
 */
public final class LivenessLink implements AutoCloseable {
    private final TunDevice device;

    private LivenessLink(TunDevice device) {
        this.device = device;
    }

    /** Creates the interface in the calling thread's network namespace and sets it up. */
    public static LivenessLink open(String name) throws IOException {
        if (!BirdInclude.validLinkName(name)) throw new IOException("bad liveness link name " + name);
        TunDevice device = TunDevice.open(name);
        try {
            HostCommand.run(List.of("ip", "link", "set", "dev", name, "up"));
            return new LivenessLink(device);
        } catch (IOException | RuntimeException e) {
            device.close();
            throw e;
        }
    }

    public String name() { return device.name(); }

    @Override
    public void close() {
        device.close(); // the interface disappears with its last descriptor
    }
}
