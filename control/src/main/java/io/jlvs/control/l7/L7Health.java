package io.jlvs.control.l7;

import java.util.List;

/**
 * What the health checks say of each server of a service, index for index with its servers (a missing one reads
 * {@link ServerState#UNCHECKED}), for -L.
 */
public record L7Health(List<ServerState> servers) {
    public static final L7Health NONE = new L7Health(List.of());

    /** A server's health as routing uses it. */
    public enum ServerState {
        /** Not checked (check = none, or the service is stopped): it serves. */
        UNCHECKED,
        /** Its checks pass (or have not failed yet): it serves. */
        UP,
        /** Its checks failed: it gets no new requests. */
        DOWN
    }

    public L7Health {
        servers = List.copyOf(servers);
    }

    public ServerState server(int index) {
        return index < servers.size() ? servers.get(index) : ServerState.UNCHECKED;
    }
}
