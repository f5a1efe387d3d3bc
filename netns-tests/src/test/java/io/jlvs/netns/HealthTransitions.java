package io.jlvs.netns;

import io.jlvs.tools.netns.JlvsDirector;

import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** When a daemon logged a real server's health transition ("real server IP:PORT DOWN" or "UP"). */
final class HealthTransitions {
    private static final Pattern LOG_TIME = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) ");

    private HealthTransitions() {}

    /** The time of the last line logging {@code server}'s move to {@code state} after {@code after}, if any. */
    static Optional<LocalTime> loggedAt(JlvsDirector director, String server, String state, LocalTime after) {
        LocalTime last = null;
        for (String line : director.daemon().logText().split("\n")) {
            if (!line.contains("real server " + server + " " + state)) continue;
            Matcher m = LOG_TIME.matcher(line);
            if (!m.find()) continue;
            LocalTime at = LocalTime.parse(m.group(1)).truncatedTo(ChronoUnit.MILLIS);
            if (!at.isBefore(after)) last = at;
        }
        return Optional.ofNullable(last);
    }

    /** The time of the first DOWN line for {@code server}; an assertion error when there is none. */
    static LocalTime downLoggedAt(JlvsDirector director, String server) {
        for (String line : director.daemon().logText().split("\n")) {
            if (line.contains("real server " + server + " DOWN")) {
                Matcher m = LOG_TIME.matcher(line);
                if (m.find()) return LocalTime.parse(m.group(1)).truncatedTo(ChronoUnit.MILLIS);
            }
        }
        throw new AssertionError("no DOWN line for " + server + " in\n" + director.daemon().logTail(30));
    }
}
