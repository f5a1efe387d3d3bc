package io.jlvs.announce;

import io.jlvs.control.model.BgpStatus;
import io.jlvs.control.model.IpvsConfig;
import io.jlvs.control.model.ServiceHealth;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Keeps the routing daemon's announcement of this director's VIPs equal to {@link AnnouncePolicy}'s decisions:
 * on every {@link #refresh} (the daemon calls it periodically and after a drain) it decides, and when the set of
 * announced VIPs differs from the one in force it rewrites the include file (a new file renamed over the old, so
 * BIRD never reads half of one) and has BIRD re-read its configuration. A failure is kept for `jlvs status`, logged
 * once per new failure, and retried after {@link #RETRY_NANOS} (at once when the VIPs to announce change or the
 * operator drains or undrains). Closing withdraws every VIP.
 */
public final class VipAnnouncer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VipAnnouncer.class);
    /** How long after a failed reconfiguration the same include is tried again. */
    static final long RETRY_NANOS = 2_000_000_000L;

    private final AnnounceSettings settings;
    private final RoutingDaemon daemon;
    private final Supplier<IpvsConfig> config;
    private final Supplier<? extends Collection<ServiceHealth>> health;
    private final LongSupplier nanoClock;
    /** The include's text last tried without success, and when it may be tried again. */
    private String failedText;
    private long retryAt;
    private boolean drained;
    private boolean closed;
    /** The include's text in force in the routing daemon; null until the first successful reconfiguration. */
    private String inForce;
    private List<VipDecision> decisions = List.of();
    private String problem = "";

    public VipAnnouncer(AnnounceSettings settings, RoutingDaemon daemon, Supplier<IpvsConfig> config,
                        Supplier<? extends Collection<ServiceHealth>> health) {
        this(settings, daemon, config, health, System::nanoTime);
    }

    /** nanoClock: the monotonic clock of the retries. */
    VipAnnouncer(AnnounceSettings settings, RoutingDaemon daemon, Supplier<IpvsConfig> config,
                 Supplier<? extends Collection<ServiceHealth>> health, LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.settings = settings;
        this.daemon = daemon;
        this.config = config;
        this.health = health;
    }

    /** Decides again and brings the routing daemon in line; returns the problem ("" when in line). */
    public synchronized String refresh() {
        return refresh(false);
    }

    private String refresh(boolean now) {
        if (closed) return problem;
        List<VipDecision> next = AnnouncePolicy.decide(config.get(), health.get(), drained);
        String text = BirdInclude.render(next, settings.link(), settings.bfd());
        if (!next.equals(decisions)) logChanges(decisions, next);
        decisions = next;
        if (text.equals(inForce)) return problem;
        if (!now && text.equals(failedText) && nanoClock.getAsLong() - retryAt < 0) return problem;
        try {
            writeInclude(text);
            daemon.reconfigure();
            inForce = text;
            failedText = null;
            if (!problem.isEmpty()) LOG.info("{} reconfigured again", daemon.name());
            problem = "";
        } catch (IOException e) {
            if (!e.getMessage().equals(problem)) LOG.error("announcing the VIPs failed: {}", e.getMessage());
            problem = e.getMessage();
            failedText = text;
            retryAt = nanoClock.getAsLong() + RETRY_NANOS;
        }
        return problem;
    }

    /**
     * `jlvs director drain` (true) or `undrain` (false): every VIP withdrawn, or announced again where the policy
     * says so. Returns the routing daemon's problem ("" when it took the change).
     */
    public synchronized String drain(boolean drain) {
        if (drained != drain) LOG.info("director {}", drain ? "drained: every VIP withdrawn" : "undrained");
        drained = drain;
        return refresh(true);
    }

    public synchronized boolean drained() { return drained; }

    /** The state for `jlvs status`: the decisions, the routing daemon's sessions and any problem. */
    public BgpStatus status() {
        List<VipDecision> now;
        String trouble;
        boolean isDrained;
        synchronized (this) {
            now = decisions;
            trouble = problem;
            isDrained = drained;
        }
        List<String> sessions = List.of();
        try {
            sessions = daemon.sessions();
        } catch (IOException e) {
            if (trouble.isEmpty()) trouble = e.getMessage();
        }
        List<BgpStatus.Vip> vips = new ArrayList<>(now.size());
        for (VipDecision d : now) vips.add(new BgpStatus.Vip(d.prefix(), d.announced(), d.reason()));
        return new BgpStatus(daemon.name(), settings.include().toString(), isDrained, sessions, trouble, vips);
    }

    private void writeInclude(String text) throws IOException {
        Path target = settings.include();
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // Readable by all: Debian's BIRD runs as the user bird.
        Path temp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static void logChanges(List<VipDecision> before, List<VipDecision> after) {
        for (VipDecision d : after) {
            VipDecision old = before.stream().filter(b -> b.addrHi() == d.addrHi() && b.addrLo() == d.addrLo())
                    .findFirst().orElse(null);
            if (old == null || old.announced() != d.announced()) {
                LOG.info("{} {}: {}", d.prefix(), d.announced() ? "announced" : "withdrawn", d.reason());
            }
        }
    }

    /** Withdraws every VIP (an include without routes) and stops refreshing. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        String empty = BirdInclude.render(List.of(), settings.link(), settings.bfd());
        try {
            writeInclude(empty);
            daemon.reconfigure();
            LOG.info("every VIP withdrawn from {}", daemon.name());
        } catch (IOException e) {
            LOG.warn("withdrawing the VIPs at stop failed: {}", e.getMessage());
        }
    }
}
