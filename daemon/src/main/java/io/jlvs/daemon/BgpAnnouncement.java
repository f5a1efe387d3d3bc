package io.jlvs.daemon;

import io.jlvs.announce.AnnounceSettings;
import io.jlvs.announce.BirdControl;
import io.jlvs.announce.LivenessLink;
import io.jlvs.announce.SessionCache;
import io.jlvs.announce.VipAnnouncer;
import io.jlvs.control.AdmException;
import io.jlvs.control.ClusterOperations;
import io.jlvs.control.DirectorRuntime;
import io.jlvs.control.model.BgpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * `jlvs daemon --bgp bird`: the liveness link, the announcer of the VIPs through BIRD, and the thread that looks at
 * the services' health every period (the desired state in force and the health engine's quorums). BIRD's sessions
 * for `jlvs status` are asked for at most once a second ({@link SessionCache}). Closing
 * withdraws every VIP before the liveness link goes.
 */
final class BgpAnnouncement implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BgpAnnouncement.class);

    private final LivenessLink link;
    private final VipAnnouncer announcer;
    private final ScheduledExecutorService loop;

    private BgpAnnouncement(LivenessLink link, VipAnnouncer announcer, ScheduledExecutorService loop) {
        this.link = link;
        this.announcer = announcer;
        this.loop = loop;
    }

    /** Opens the liveness link, announces what the services allow now, and keeps doing so every period. */
    static BgpAnnouncement start(AnnounceSettings settings, DirectorRuntime runtime, ClusterOperations health)
            throws IOException {
        LivenessLink link = LivenessLink.open(settings.link());
        VipAnnouncer announcer = new VipAnnouncer(settings,
                new SessionCache(new BirdControl(settings.socket()), SessionCache.DEFAULT_TTL), runtime::config,
                health::status);
        String problem = announcer.refresh();
        if (!problem.isEmpty()) LOG.warn("BIRD did not take the VIPs yet ({}); retrying every {} ms", problem,
                settings.period().toMillis());
        ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("jlvs-bgp").daemon(true).factory());
        long period = settings.period().toMillis();
        loop.scheduleWithFixedDelay(() -> {
            try {
                announcer.refresh();
            } catch (RuntimeException e) {
                LOG.error("announcing the VIPs failed", e);
            }
        }, period, period, TimeUnit.MILLISECONDS);
        LOG.info("announcing the VIPs through BIRD ({}, include {}, liveness link {})", settings.socket(),
                settings.include(), link.name());
        return new BgpAnnouncement(link, announcer, loop);
    }

    BgpStatus status() { return announcer.status(); }

    /** `jlvs director drain` / `undrain`; refused when BIRD did not take the change. */
    void drain(boolean drain) throws AdmException {
        String problem = announcer.drain(drain);
        if (!problem.isEmpty()) {
            throw AdmException.refused("the director is " + (drain ? "drained" : "undrained")
                    + " but BIRD did not take it: " + problem);
        }
    }

    @Override
    public void close() {
        loop.shutdownNow();
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        announcer.close();
        link.close();
    }
}
