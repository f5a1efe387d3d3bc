package io.jlvs.netns;

import io.jlvs.failover.vrrp.PreemptGate;
import io.jlvs.failover.vrrp.VipOwner;
import io.jlvs.failover.vrrp.VrrpEngine;
import io.jlvs.failover.vrrp.VrrpInstanceSnapshot;
import io.jlvs.failover.vrrp.VrrpState;
import io.jlvs.health.config.Source;
import io.jlvs.health.config.VrrpGlobals;
import io.jlvs.health.config.VrrpInstanceConfig;
import io.jlvs.health.config.VrrpNotify;
import io.jlvs.health.script.ProcessScriptRunner;
import io.jlvs.platform.testkit.NetNs;
import io.jlvs.tools.netns.BackgroundProcess;
import io.jlvs.tools.netns.Conditions;
import io.jlvs.tools.netns.ExternalProgram;
import io.jlvs.tools.netns.NetnsTopology;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The VRRP engine alone (no daemon), on a thread inside one namespace, against Debian's keepalived (`keepalived -P`)
 * in another, over a veth pair: version 2 with PASS authentication and version 3 at 0.2 s. The higher priority
 * wins either way; the master that stops (jlvs's close, keepalived's SIGTERM: both send priority 0) hands over
 * within Master_Down_Interval; the higher one preempts on its return; neither side drops a packet of the other.
 */
class VrrpEngineKeepalivedTest {
    static final Duration STATE = Duration.ofSeconds(20);
    static final String JLVS_ADDRESS = "10.9.0.1", KEEPALIVED_ADDRESS = "10.9.0.2", VIP = "10.9.0.100";
    /** The time a notify script takes to run and be seen (fork, exec, the file poll). */
    static final long NOTIFY_SLACK_MILLIS = 500;

    /** The VIP owner's calls, as the daemon would get them. */
    static final class RecordingOwner implements VipOwner {
        final List<String> calls = new CopyOnWriteArrayList<>();

        @Override public void acquire(String instance, List<InetAddress> addresses) { calls.add("acquire " + instance); }

        @Override public void release(String instance, List<InetAddress> addresses) { calls.add("release " + instance); }

        @Override public void announce(List<InetAddress> addresses) { calls.add("announce " + addresses.size()); }
    }

    @ParameterizedTest(name = "VRRP version {0}, advert_int {1}, PASS {2}")
    @CsvSource({"2, 1, true", "3, 0.2, false"})
    void jlvsAndKeepalivedElectHandOverAndPreemptEachOther(int version, String advert, boolean pass) throws Exception {
        assertTrue(ExternalProgram.KEEPALIVED.installed(),
                ExternalProgram.missingMessage("this test", List.of(ExternalProgram.KEEPALIVED)));
        int centis = (int) Math.round(Double.parseDouble(advert) * 100);
        try (NetnsTopology net = new NetnsTopology("jlvsvr" + version);
             ProcessScriptRunner scripts = new ProcessScriptRunner(null)) {
            String jlvsNs = net.addNamespace("-j");
            String keepalivedNs = net.addNamespace("-k");
            net.addVethPair(jlvsNs, "vr0", keepalivedNs, "vr0");
            net.addAddress(jlvsNs, "vr0", JLVS_ADDRESS + "/24");
            net.addAddress(keepalivedNs, "vr0", KEEPALIVED_ADDRESS + "/24");
            Path logs = net.processes().logDirectory();
            Path states = logs.resolve("keepalived-states");
            Path notify = logs.resolve("notify.sh");
            Files.writeString(notify, "#!/bin/sh\necho \"$3\" >> " + states + "\n");
            Files.setPosixFilePermissions(notify, PosixFilePermissions.fromString("rwx------"));
            RecordingOwner owner = new RecordingOwner();
            VrrpGlobals globals = new VrrpGlobals(version, 0, false, null);

            VrrpEngine jlvs = startEngine(jlvsNs, instance(version, centis, 150, pass), globals, scripts, owner);
            BackgroundProcess keepalived = startKeepalived(net, keepalivedNs, version, advert, 100, pass, notify, "1");
            try {
                awaitJlvs(jlvs, VrrpState.MASTER);
                awaitKeepalived(states, "BACKUP");
                assertEquals(List.of("acquire VI_1", "announce 1"), owner.calls.subList(0, 2),
                        "the addresses taken and announced at becoming MASTER");

                long stopped = System.nanoTime();
                jlvs.close(); // priority 0: keepalived takes over after its skew
                awaitKeepalived(states, "MASTER");
                assertWithinMasterDown(stopped, version, centis, 100, "keepalived MASTER after jlvs stopped");
                assertEquals("release VI_1", owner.calls.getLast());

                jlvs = startEngine(jlvsNs, instance(version, centis, 150, pass), globals, scripts, owner);
                awaitJlvs(jlvs, VrrpState.MASTER);
                awaitKeepalived(states, "BACKUP");
                assertTrue(jlvs.status().getFirst().reason().startsWith("preempts master " + KEEPALIVED_ADDRESS),
                        jlvs.status().getFirst().reason());
                jlvs.close();
                awaitKeepalived(states, "MASTER");

                // The reverse: keepalived outranks jlvs.
                keepalived.stop(Duration.ofSeconds(5));
                keepalived = startKeepalived(net, keepalivedNs, version, advert, 200, pass, notify, "2");
                awaitKeepalived(states, "MASTER");
                jlvs = startEngine(jlvsNs, instance(version, centis, 100, pass), globals, scripts, owner);
                awaitJlvs(jlvs, VrrpState.BACKUP);
                VrrpEngine backup = jlvs;
                assertTrue(Conditions.holdsWithin(Duration.ofMillis(5L * centis * 10),
                        () -> backup.status().getFirst().advertsReceived() >= 3), "keepalived's adverts are received");
                assertEquals(VrrpState.BACKUP, jlvs.status().getFirst().state(), "and keep jlvs BACKUP");
                assertEquals(KEEPALIVED_ADDRESS, jlvs.status().getFirst().master());

                long killed = System.nanoTime();
                keepalived.stop(Duration.ofSeconds(5)); // SIGTERM: keepalived sends priority 0
                awaitJlvs(jlvs, VrrpState.MASTER);
                assertWithinMasterDown(killed, version, centis, 100, "jlvs MASTER after keepalived stopped");

                keepalived = startKeepalived(net, keepalivedNs, version, advert, 200, pass, notify, "3");
                awaitJlvs(jlvs, VrrpState.BACKUP);
                awaitKeepalived(states, "MASTER");
                assertTrue(jlvs.status().getFirst().reason().startsWith("higher priority 200 advert from "
                        + KEEPALIVED_ADDRESS), jlvs.status().getFirst().reason());

                VrrpInstanceSnapshot s = jlvs.status().getFirst();
                assertTrue(s.advertsReceived() > 0 && s.advertsSent() > 0, s.toString());
                assertEquals(java.util.Map.of(), s.drops(), "jlvs dropped none of keepalived's packets");
                String log = Files.readString(logs.resolve("keepalived-1.log"))
                        + Files.readString(logs.resolve("keepalived-2.log"))
                        + Files.readString(logs.resolve("keepalived-3.log"));
                List<String> complaints = log.lines()
                        .filter(l -> l.matches("(?i).*(invalid|bad |mismatch|wrong|error).*")).toList();
                assertEquals(List.of(), complaints, "keepalived's log");
                // Keepalived read jlvs's adverts: while preempting it logs each lower-priority one it ignores.
                assertTrue(log.contains("received lower priority (100) advert from " + JLVS_ADDRESS), log);
                assertTrue(log.contains("Entering BACKUP STATE") && log.contains("Entering MASTER STATE"),
                        "the log is keepalived's, with its transitions: " + log.lines().limit(5).toList());
            } finally {
                keepalived.stop(Duration.ofSeconds(5));
                jlvs.close();
            }
        }
    }

    static VrrpInstanceConfig instance(int version, int centis, int priority, boolean pass) throws IOException {
        return new VrrpInstanceConfig("VI_1", new Source(Path.of("keepalived.conf"), 1), false, "vr0", 51, priority,
                centis, version, List.of(new VrrpInstanceConfig.VirtualAddress(InetAddress.getByName(VIP), 24, null)),
                List.of(), false, 0, null, List.of(), pass ? "secret" : null, List.of(), List.of(), VrrpNotify.NONE,
                5, 5, 0, 1, 3);
    }

    /** Builds and starts the engine from a thread inside the namespace, so its sockets and thread live there. */
    static VrrpEngine startEngine(String ns, VrrpInstanceConfig config, VrrpGlobals globals,
                                  ProcessScriptRunner scripts, VipOwner owner) throws Exception {
        return NetNs.callIn(ns, () -> {
            VrrpEngine engine = new VrrpEngine(List.of(config), List.of(), List.of(), globals, scripts, owner,
                    PreemptGate.OPEN);
            engine.start();
            return engine;
        });
    }

    static BackgroundProcess startKeepalived(NetnsTopology net, String ns, int version, String advert, int priority,
                                             boolean pass, Path notify, String run) throws IOException {
        Path logs = net.processes().logDirectory();
        Files.deleteIfExists(logs.resolve("keepalived-states")); // only this run's states count from now on
        Path conf = logs.resolve("keepalived-" + run + ".conf");
        Files.writeString(conf, "global_defs {\n    router_id jlvs-test-" + run + "\n    vrrp_version " + version
                + "\n    script_user root\n    enable_script_security\n}\n"
                + "vrrp_instance VI_1 {\n    state BACKUP\n    interface vr0\n    virtual_router_id 51\n"
                + "    priority " + priority + "\n    advert_int " + advert + "\n"
                + (pass ? "    authentication {\n        auth_type PASS\n        auth_pass secret\n    }\n" : "")
                + "    virtual_ipaddress {\n        " + VIP + "/24 dev vr0\n    }\n    notify " + notify + "\n}\n");
        return net.processes().start(ns, "keepalived-" + run,
                List.of("/usr/sbin/keepalived", "-P", "-n", "-l", "-D", "-f", conf.toString(),
                        "-p", logs.resolve("keepalived-" + run + ".pid").toString(),
                        "-r", logs.resolve("vrrp-" + run + ".pid").toString()));
    }

    static void awaitJlvs(VrrpEngine engine, VrrpState state) {
        Conditions.await("jlvs " + state, STATE, () -> engine.status().size() == 1
                && engine.status().getFirst().state() == state);
    }

    /** Waits until keepalived's notify script last reported the state. */
    static void awaitKeepalived(Path states, String state) {
        Conditions.await("keepalived " + state, STATE, () -> {
            try {
                List<String> lines = Files.exists(states) ? Files.readAllLines(states) : List.of();
                return !lines.isEmpty() && lines.getLast().equals(state);
            } catch (IOException e) {
                return false;
            }
        });
    }

    /** A takeover after priority 0 comes within the skew; the bound checked is the whole Master_Down_Interval. */
    static void assertWithinMasterDown(long sinceNanos, int version, int centis, int priority, String what) {
        long tookMillis = (System.nanoTime() - sinceNanos) / 1_000_000;
        long advertMillis = centis * 10L;
        long skewMillis = version == 2 ? (256 - priority) * 1000L / 256 : (256 - priority) * advertMillis / 256;
        long bound = 3 * advertMillis + skewMillis + NOTIFY_SLACK_MILLIS;
        assertTrue(tookMillis <= bound, what + " took " + tookMillis + " ms; bound " + bound + " ms");
    }
}
