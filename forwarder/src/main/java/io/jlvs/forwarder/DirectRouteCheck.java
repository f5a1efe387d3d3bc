package io.jlvs.forwarder;

/**
 * Asked when a direct-routing real server is added: DR reaches the server by its MAC, so it must sit on a network
 * the director is directly connected to. The daemon answers from the kernel's routing table; tests use a lambda.
 */
@FunctionalInterface
public interface DirectRouteCheck {
    /** Allows every server (no routing table to ask). */
    DirectRouteCheck ANY = addressV4 -> null;

    /** Null when {@code addressV4} is on a directly connected network, else why not (for the operator). */
    String problem(int addressV4);
}
