package io.jlvs.connections;

/** Receives the connections of a listing, one at a time, in one reused {@link ConnectionView}. */
@FunctionalInterface
public interface ConnectionVisitor {
    /** The view is only valid during the call: copy what must outlive it. */
    void visit(ConnectionView connection);
}
