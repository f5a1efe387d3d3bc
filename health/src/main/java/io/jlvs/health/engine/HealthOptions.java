package io.jlvs.health.engine;

import java.nio.file.Path;
import java.time.Clock;

/**
 * @param maintenanceDir a file named IP:PORT (or IP for every port) here forces that server down, as
 *                       ldirectord's maintenancedir; null: none
 * @param clock          wall clock for the times status shows
 */
public record HealthOptions(Path maintenanceDir, Clock clock) {
    public static HealthOptions defaults() { return new HealthOptions(null, Clock.systemUTC()); }
}
