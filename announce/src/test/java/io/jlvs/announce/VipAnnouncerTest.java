package io.jlvs.announce;

import io.jlvs.control.model.BgpStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VipAnnouncerTest {
    /** A routing daemon that records the include file as it read it at each reconfiguration, and can refuse. */
    static final class RecordingDaemon implements RoutingDaemon {
        final Path include;
        final List<String> readIncludes = new ArrayList<>();
        String refusal;

        RecordingDaemon(Path include) { this.include = include; }

        @Override public String name() { return "bird"; }

        int attempts;

        @Override
        public void reconfigure() throws IOException {
            attempts++;
            if (refusal != null) throw new IOException(refusal);
            try {
                readIncludes.add(Files.readString(include));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override public List<String> sessions() { return List.of("router1 BGP --- up 10:00:00 Established"); }

        boolean announces(String prefix) {
            return !readIncludes.isEmpty() && readIncludes.getLast().contains("route " + prefix + " via");
        }
    }

    private final Directors director = new Directors()
            .adm("-A -t 10.0.0.100:80 -s mh").adm("-a -t 10.0.0.100:80 -r 172.16.0.2:80 -g -w 1");

    private VipAnnouncer announcer(Path include, RecordingDaemon daemon) {
        return new VipAnnouncer(new AnnounceSettings(include, Path.of("/nonexistent"), "jlvs-bgp",
                Duration.ofMillis(200)), daemon, director::config, List::of);
    }

    @Test
    void theIncludeFollowsTheServicesAndBirdIsReconfiguredOnlyWhenItChanges(@TempDir Path dir) {
        Path include = dir.resolve("jlvs-vips.conf");
        RecordingDaemon bird = new RecordingDaemon(include);
        VipAnnouncer a = announcer(include, bird);
        assertEquals("", a.refresh());
        assertTrue(bird.announces("10.0.0.100/32"));
        a.refresh();
        assertEquals(1, bird.readIncludes.size(), "nothing changed: no reconfiguration");
        director.adm("-e -t 10.0.0.100:80 -r 172.16.0.2:80 -g -w 0");
        a.refresh();
        assertEquals(2, bird.readIncludes.size());
        assertFalse(bird.announces("10.0.0.100/32"), "the only server at weight 0: withdrawn");
        director.adm("-e -t 10.0.0.100:80 -r 172.16.0.2:80 -g -w 1");
        a.refresh();
        assertTrue(bird.announces("10.0.0.100/32"));
    }

    @Test
    void drainWithdrawsEveryVipAtOnceAndUndrainAnnouncesThemAgain(@TempDir Path dir) {
        Path include = dir.resolve("jlvs-vips.conf");
        RecordingDaemon bird = new RecordingDaemon(include);
        VipAnnouncer a = announcer(include, bird);
        a.refresh();
        assertTrue(bird.announces("10.0.0.100/32"));
        assertEquals("", a.drain(true));
        assertFalse(bird.announces("10.0.0.100/32"));
        BgpStatus s = a.status();
        assertTrue(s.drained());
        assertEquals(List.of(new BgpStatus.Vip("10.0.0.100/32", false, "director drained")), s.vips());
        assertEquals(List.of("router1 BGP --- up 10:00:00 Established"), s.sessions());
        assertEquals("", a.drain(false));
        assertTrue(bird.announces("10.0.0.100/32"));
        assertFalse(a.status().drained());
    }

    @Test
    void aRefusalIsReportedKeptAndRetriedTwoSecondsLaterOrAtOnceOnADrain(@TempDir Path dir) {
        Path include = dir.resolve("jlvs-vips.conf");
        RecordingDaemon bird = new RecordingDaemon(include);
        long[] now = {0};
        VipAnnouncer a = new VipAnnouncer(new AnnounceSettings(include, Path.of("/nonexistent"), "jlvs-bgp",
                Duration.ofMillis(200)), bird, director::config, List::of, () -> now[0]);
        bird.refusal = "birdc configure: cannot connect to /run/bird/bird.ctl";
        assertEquals(bird.refusal, a.refresh());
        assertEquals(bird.refusal, a.status().problem());
        assertEquals(1, bird.attempts);
        bird.refusal = null;
        now[0] += VipAnnouncer.RETRY_NANOS - 1;
        a.refresh();
        assertEquals(1, bird.attempts, "not tried again before the retry time");
        assertTrue(bird.readIncludes.isEmpty());
        assertEquals("", a.drain(true), "a drain tries at once");
        assertEquals(2, bird.attempts);
        bird.refusal = "birdc configure: cannot connect";
        assertEquals(bird.refusal, a.drain(false));
        bird.refusal = null;
        now[0] += VipAnnouncer.RETRY_NANOS;
        assertEquals("", a.refresh());
        assertTrue(bird.announces("10.0.0.100/32"));
        assertEquals("", a.status().problem());
    }

    @Test
    void closingWithdrawsEveryVipAndWritesNothingElse(@TempDir Path dir) throws IOException {
        Path include = dir.resolve("jlvs-vips.conf");
        RecordingDaemon bird = new RecordingDaemon(include);
        VipAnnouncer a = announcer(include, bird);
        a.refresh();
        assertTrue(bird.announces("10.0.0.100/32"));
        a.close();
        assertFalse(bird.announces("10.0.0.100/32"));
        assertEquals(BirdInclude.render(List.of(), "jlvs-bgp"), Files.readString(include));
        assertEquals(List.of("jlvs-vips.conf"), Files.list(dir).map(p -> p.getFileName().toString()).toList(),
                "no temporary file left beside the include");
        a.refresh();
        assertEquals(2, bird.readIncludes.size(), "a closed announcer announces nothing again");
    }
}
