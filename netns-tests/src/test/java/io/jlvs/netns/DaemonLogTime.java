package io.jlvs.netns;

import java.time.LocalTime;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The time a jlvs daemon's log line starts with ("HH:mm:ss.SSS "), read on the host clock the test shares. */
final class DaemonLogTime {
    private static final Pattern LOG_TIME = Pattern.compile("^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) ");

    private DaemonLogTime() {}

    /** The line's time, to the millisecond; empty for a line that does not start with one. */
    static Optional<LocalTime> of(String line) {
        Matcher m = LOG_TIME.matcher(line);
        return m.find() ? Optional.of(LocalTime.parse(m.group(1))) : Optional.empty();
    }
}
