package io.jlvs.health.check;

/**
 * The verdict of one check.
 *
 * @param up            the server passed
 * @param reason        in words, for the log and the status listing: "connected", "connection refused",
 *                      "timeout after 1.0 s", "HTTP 503", "digest mismatch", "exit code 1"
 * @param elapsedNanos  how long the check took
 * @param dynamicWeight a weight the checker sets (MISC_CHECK misc_dynamic, FILE_CHECK); -1: none
 */
public record CheckResult(boolean up, String reason, long elapsedNanos, int dynamicWeight) {
    public static CheckResult up(String reason, long elapsedNanos) {
        return new CheckResult(true, reason, elapsedNanos, -1);
    }

    public static CheckResult down(String reason, long elapsedNanos) {
        return new CheckResult(false, reason, elapsedNanos, -1);
    }
}
