package io.jlvs.health.engine;

import io.jlvs.control.model.ServerHealth;
import io.jlvs.control.model.ServerState;
import io.jlvs.health.check.CheckResult;
import io.jlvs.health.config.RealServer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;

/** One real server of a virtual server: its checkers, its health state and the weight it gets. Engine thread only. */
final class ServerRun {
    final RealServer def;
    final Endpoint endpoint;
    final List<CheckerRun> checkers = new ArrayList<>();
    FlapDamper flap = new FlapDamper();
    ServerState state;
    long sinceMillis;
    boolean drained;
    /** A weight a checker set (misc_dynamic, FILE_CHECK), -1 for none. */
    int dynamicWeight = -1;
    long heldUntilMillis;
    ScheduledFuture<?> holdRelease;
    boolean inMaintenance;
    /** The last check's checker and verdict, for status. */
    String lastChecker = "";
    CheckResult lastResult;
    long lastCheckMillis;

    ServerRun(RealServer def, ServerState state, long sinceMillis) {
        this.def = def;
        this.endpoint = Endpoint.of(def.config());
        this.state = state;
        this.sinceMillis = sinceMillis;
    }

    boolean up() { return state == ServerState.UP; }

    /** Every checker passes (a server without checkers always does). */
    boolean checksPass() {
        for (CheckerRun c : checkers) if (!c.passing) return false;
        return true;
    }

    /** The weight the server counts with while up: a checker's dynamic weight, else the configured one. */
    int upWeight() { return dynamicWeight >= 0 ? dynamicWeight : def.config().weight(); }

    /** The weight in IPVS: 0 when drained or inhibited, -1 when out of the service. */
    int weightInForce() {
        if (up()) return drained ? 0 : upWeight();
        return def.inhibitOnFailure() ? 0 : -1;
    }

    /** What this server adds to its virtual server's live weight. */
    int liveWeight() { return up() && !drained ? upWeight() : 0; }

    /** Takes over the health state of the same server before a reload (its checkers are handled apart). */
    void carryStateFrom(ServerRun old) {
        state = old.state;
        sinceMillis = old.sinceMillis;
        drained = old.drained;
        dynamicWeight = old.dynamicWeight;
        heldUntilMillis = old.heldUntilMillis;
        inMaintenance = old.inMaintenance;
        lastChecker = old.lastChecker;
        lastResult = old.lastResult;
        lastCheckMillis = old.lastCheckMillis;
        flap = old.flap;
    }

    ServerHealth health(int weight) {
        CheckResult r = lastResult;
        return new ServerHealth(endpoint.hi(), endpoint.lo(), endpoint.port(), state, sinceMillis,
                def.config().weight(), weight, drained, lastChecker, r == null ? "" : r.reason(), lastCheckMillis,
                r == null ? 0 : r.elapsedNanos(), heldUntilMillis, 0, 0);
    }
}
