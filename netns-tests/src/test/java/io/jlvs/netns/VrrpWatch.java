package io.jlvs.netns;

import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.JlvsDirector;

import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Watching a jlvs daemon's VRRP transitions through its log, with the times it gives. */
final class VrrpWatch {
    /** A transition is logged within this of happening; the log and the test read one host clock. */
    static final long LOG_SLACK_MILLIS = 300;

    private VrrpWatch() {}

    /**
     * Waits for the daemon to log the instance's transition into the state at or after {@code afterMillis}
     * (epoch millis) and returns when the log says it happened.
     */
    static long awaitTransition(JlvsDirector director, String instance, String state, long afterMillis,
                                Duration timeout) {
        long[] at = {-1};
        Conditions.await(instance + " -> " + state + " in " + director.daemon().logFile(), timeout, () -> {
            for (String line : director.daemon().logText().split("\n")) {
                if (!line.contains("VRRP " + instance + ": ") || !line.contains("-> " + state + " ")) continue;
                Optional<LocalTime> time = DaemonLogTime.of(line);
                if (time.isEmpty()) continue;
                long millis = time.get().atDate(LocalDate.now()).atZone(ZoneId.systemDefault())
                        .toInstant().toEpochMilli();
                if (millis >= afterMillis - LOG_SLACK_MILLIS) {
                    at[0] = millis;
                    return true;
                }
            }
            return false;
        });
        return at[0];
    }

    /**
     * Waits until the instance's latest transition in the daemon's log is into {@code state}: the state it is in now,
     * read from the log it writes every transition to, so the wait costs no {@code jlvs status} process per look.
     */
    static void awaitState(JlvsDirector director, String instance, String state, Duration timeout) {
        Pattern transition = Pattern.compile("VRRP " + Pattern.quote(instance) + ": \\S+ -> (\\S+) ");
        Conditions.await(instance + " " + state + " in " + director.daemon().logFile(), timeout, () -> {
            String latest = null;
            for (Matcher m = transition.matcher(director.daemon().logText()); m.find(); ) latest = m.group(1);
            return state.equals(latest);
        });
    }

    /** Master_Down_Interval in milliseconds: 3 x advert + (256 - priority) / 256 of a second (v2) or of an advert (v3). */
    static long masterDownMillis(int version, int advertCentis, int priority) {
        long advert = advertCentis * 10L;
        return 3 * advert + (256 - priority) * (version == 3 ? advert : 1000) / 256;
    }
}
