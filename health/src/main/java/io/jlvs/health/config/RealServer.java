package io.jlvs.health.config;

import io.jlvs.control.model.RealServerConfig;

import java.util.List;

/**
 * One real_server block.
 *
 * @param config           the server as IPVS gets it when up: configured weight (default 1), the virtual
 *                         server's method (lvs_method), uthreshold/lthreshold
 * @param inhibitOnFailure when down, weight 0 instead of removal (existing connections keep flowing)
 * @param notifyUp         run when the server comes up; null if none
 * @param notifyDown       run when the server goes down; null if none
 * @param checkers         every checker of the server; all must pass for it to be up. None: always up.
 */
public record RealServer(Source source, RealServerConfig config, boolean inhibitOnFailure, Script notifyUp,
                         Script notifyDown, List<CheckerSpec> checkers) {
    public RealServer {
        checkers = List.copyOf(checkers);
    }
}
