package io.jlvs.control.l7;

/**
 * The layer-7 proxy as the control plane sees it: the desired state in force, applying a new one (the proxy
 * changes only the difference: listeners of untouched services and their connections go on), and the figures of
 * a service for -L. The daemon's proxy implements it.
 */
public interface L7Operations {
    /** The desired state in force. */
    L7Config config() throws L7Exception;

    /** Puts next in force; a refusal (a listen address that cannot be bound ...) leaves the previous one. */
    void apply(L7Config next) throws L7Exception;

    /** The figures of one service of the config in force. */
    L7Counters counters(L7Service service) throws L7Exception;

    /** The health of the servers of one service of the config in force; unchecked unless told otherwise. */
    default L7Health health(L7Service service) throws L7Exception { return L7Health.NONE; }

    /** A director without the layer-7 proxy: every request is refused. */
    L7Operations NONE = new L7Operations() {
        public L7Config config() throws L7Exception { throw unavailable(); }

        public void apply(L7Config next) throws L7Exception { throw unavailable(); }

        public L7Counters counters(L7Service service) throws L7Exception { throw unavailable(); }

        private L7Exception unavailable() {
            return L7Exception.refused("this jlvs runs without the layer-7 proxy");
        }
    };
}
