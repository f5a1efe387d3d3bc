package io.jlvs.netns;

import io.jlvs.tools.netns.JlvsDirector;

import java.time.LocalTime;
import java.util.Optional;

/**
 * When a daemon logged a server's health transition: a real server's ("real server IP:PORT DOWN" or "UP") or a
 * layer-7 server's ("layer-7 service IDENT: server IP:PORT down").
 */
final class HealthTransitions {
    private HealthTransitions() {}

    /** The time of the last line logging {@code server}'s move to {@code state} after {@code after}, if any. */
    static Optional<LocalTime> loggedAt(JlvsDirector director, String server, String state, LocalTime after) {
        LocalTime last = null;
        for (String line : director.daemon().logText().split("\n")) {
            if (!line.contains("real server " + server + " " + state)) continue;
            Optional<LocalTime> at = DaemonLogTime.of(line);
            if (at.isPresent() && !at.get().isBefore(after)) last = at.get();
        }
        return Optional.ofNullable(last);
    }

    /** The time of the first DOWN line for {@code server}; an assertion error when there is none. */
    static LocalTime downLoggedAt(JlvsDirector director, String server) {
        return firstLoggedAt(director, "real server " + server + " DOWN");
    }

    /**
     * The time of the first line logging layer-7 service {@code ident}'s {@code server} down; an assertion error
     * when there is none.
     */
    static LocalTime layer7DownLoggedAt(JlvsDirector director, String ident, String server) {
        return firstLoggedAt(director, "layer-7 service " + ident + ": server " + server + " down");
    }

    /** The time of the first line containing {@code text}; an assertion error when there is none. */
    private static LocalTime firstLoggedAt(JlvsDirector director, String text) {
        for (String line : director.daemon().logText().split("\n")) {
            if (!line.contains(text)) continue;
            Optional<LocalTime> at = DaemonLogTime.of(line);
            if (at.isPresent()) return at.get();
        }
        throw new AssertionError("no line with \"" + text + "\" in\n" + director.daemon().logTail(30));
    }
}
