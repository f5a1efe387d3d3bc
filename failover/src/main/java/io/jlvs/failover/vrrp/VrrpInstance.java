package io.jlvs.failover.vrrp;

import io.jlvs.health.config.VrrpInstanceConfig;

import io.jlvs.control.model.Addresses;

import java.time.Duration;

/**
 * One VRRP instance's state machine (RFC 3768 / RFC 5798 section 6.4, with keepalived's nopreempt, preempt_delay,
 * down_timer_adverts and start in MASTER), on whatever clock the caller passes: nothing here reads the time, sleeps
 * or does I/O, so tests drive it on virtual time. One thread calls it (the engine's).
 *
 * <p>Timers: as MASTER an advert every advert interval; as BACKUP the master is declared down after
 * down_timer_adverts x the master's advert interval + skew, where skew is (256 - priority) / 256 of a second in
 * version 2 and of the advert interval in version 3. A BACKUP that outranks the master preempts by letting that
 * timer run out (it ignores the master's adverts), unless nopreempt, preempt_delay since it came up, or the
 * {@link PreemptGate} holds it back (the gate for at most {@link #GATE_BOUND}).
 */
public final class VrrpInstance {
    /** The longest a closed preempt gate holds back a takeover. */
    static final Duration GATE_BOUND = Duration.ofSeconds(10);
    private static final long NONE = Long.MAX_VALUE;

    private final VrrpInstanceConfig config;
    /** This director's address in its adverts (128 bits, IPv4 as IPv4-mapped). */
    private final long primaryHi, primaryLo;
    private final InstanceEffects effects;
    private final PreemptGate gate;

    private VrrpState state = VrrpState.INIT;
    private int effectivePriority;
    private long masterAdverNanos;
    private long advertDeadline = NONE;
    private long masterDownDeadline = NONE;
    private long preemptAllowedAt;
    private long gateWaitUntil = NONE;
    /** The master's address as last heard, when known. */
    private boolean masterKnown;
    private long masterHi, masterLo;
    /** The lower-priority master whose adverts this backup ignores to preempt it, when there is one. */
    private boolean preempting;
    private long preemptedHi, preemptedLo;
    private int preemptedPriority;
    /** The master last heard sent priority 0: it is leaving. */
    private boolean masterLeft;
    private boolean fault;
    /** What tracking said last ("track_interface eth1 down", ...). */
    private String trackReason = "";
    private String lastReason = "";
    private long advertsSent, advertsReceived, advertsDropped;
    private final long[] drops = new long[AdvertRejection.values().length];
    private final boolean strict;

    /** An IPv4 instance whose adverts come from {@code primaryV4}, without vrrp_strict. */
    VrrpInstance(VrrpInstanceConfig config, int primaryV4, InstanceEffects effects, PreemptGate gate) {
        this(config, 0, Addresses.mappedLo(primaryV4), effects, gate, false);
    }

    /**
     * @param strict vrrp_strict: a master that hears a lower-priority master discards the advert as RFC 3768
     *               6.4.3 says (keepalived's vrrp_lower_prio_no_advert, which vrrp_strict turns on) instead of
     *               answering at once; it still announces its addresses again
     */
    VrrpInstance(VrrpInstanceConfig config, long primaryHi, long primaryLo, InstanceEffects effects, PreemptGate gate,
                 boolean strict) {
        this.config = config;
        this.strict = strict;
        this.primaryHi = primaryHi;
        this.primaryLo = primaryLo;
        this.effects = effects;
        this.gate = gate;
        this.effectivePriority = config.priority();
        this.masterAdverNanos = config.advertIntervalCentis() * 10_000_000L;
    }

    public VrrpInstanceConfig config() { return config; }

    public String name() { return config.name(); }

    public VrrpState state() { return state; }

    public int effectivePriority() { return effectivePriority; }

    /** The master's address as last heard (this director's own while MASTER), "" when unknown. */
    public String master() { return masterKnown ? Addresses.format(masterHi, masterLo) : ""; }

    public String lastReason() { return lastReason; }

    public long advertsSent() { return advertsSent; }

    public long advertsReceived() { return advertsReceived; }

    /** Packets of this router id dropped, for every reason together. */
    public long advertsDropped() { return advertsDropped; }

    /** Packets of this router id dropped for {@code why}. */
    public long drops(AdvertRejection why) { return drops[why.ordinal()]; }

    /** Whether a tracked interface or script puts this instance in FAULT now. */
    boolean faulty() { return fault; }

    /** A packet of this router id that was refused (TTL, checksum, length, authentication...). */
    void dropped(AdvertRejection why) {
        advertsDropped++;
        drops[why.ordinal()]++;
    }

    /** The advert interval this instance sends, in centiseconds. */
    int intervalCentis() { return config.advertIntervalCentis(); }

    /** The earliest time {@link #tick} has something to do (Long.MAX_VALUE: nothing). */
    long nextDeadline() {
        long d = Math.min(advertDeadline, masterDownDeadline);
        return gateWaitUntil != NONE ? Math.min(d, gateWaitUntil) : d;
    }

    /** Leaves INIT: an address owner (priority 255) or an instance configured MASTER starts as master. */
    void start(long now) {
        preemptAllowedAt = now + config.preemptDelaySeconds() * 1_000_000_000L;
        if (fault) {
            enter(VrrpState.FAULT, now, trackReason);
        } else if (config.priority() == 255) {
            becomeMaster(now, "address owner (priority 255)");
        } else if (config.initialMaster()) {
            becomeMaster(now, "configured state MASTER");
        } else {
            becomeBackup(now, "start");
        }
    }

    /** Runs the timers due at {@code now}. */
    void tick(long now) {
        if (state == VrrpState.MASTER && now >= advertDeadline) {
            send(effectivePriority);
            advertDeadline = now + advertNanos();
        }
        if (state == VrrpState.BACKUP && now >= masterDownDeadline) {
            String reason = preempting ? "preempts master " + Addresses.format(preemptedHi, preemptedLo)
                    + " of lower priority " + preemptedPriority + " (ours " + effectivePriority + ")"
                    : masterLeft ? "master " + master() + " left (priority 0 advert), skew timer expired"
                    : !masterKnown ? "master down timer expired, no master heard"
                    : "master down timer expired, master " + master() + " silent";
            becomeMaster(now, reason);
        }
        if (gateWaitUntil != NONE && now >= gateWaitUntil) gateWaitUntil = NONE;
    }

    /** A decoded advert of this instance's router id arrived. */
    void onAdvert(long now, VrrpAdvert advert) {
        AdvertRejection why = advert.mismatch(config.version(), config.advertIntervalCentis(), config.authPass());
        if (why != null) {
            dropped(why);
            return;
        }
        if (advert.sourceHi == primaryHi && advert.sourceLo == primaryLo) {
            dropped(AdvertRejection.OWN);
            return;
        }
        advertsReceived++;
        switch (state) {
            case BACKUP -> backupHears(now, advert);
            case MASTER -> masterHears(now, advert);
            default -> { }
        }
    }

    private void backupHears(long now, VrrpAdvert advert) {
        if (advert.priority == 0) {
            heardMaster(advert);
            masterLeft = true;
            masterDownDeadline = now + skewNanos();
            return;
        }
        masterLeft = false;
        boolean outranked = advert.priority > effectivePriority
                || (advert.priority == effectivePriority && sourceAboveOurs(advert));
        if (outranked || config.nopreempt() || now < preemptAllowedAt || holdByGate(now)) {
            preempting = false;
            heardMaster(advert);
            if (advert.version == 3) masterAdverNanos = Math.max(1, advert.intervalCentis) * 10_000_000L;
            masterDownDeadline = now + masterDownNanos();
        }
        else {
            // A lower-priority master: its adverts are ignored and the master down timer takes over from it.
            preempting = true;
            preemptedHi = advert.sourceHi;
            preemptedLo = advert.sourceLo;
            preemptedPriority = advert.priority;
        }
    }

    private void heardMaster(VrrpAdvert advert) {
        masterKnown = true;
        masterHi = advert.sourceHi;
        masterLo = advert.sourceLo;
    }

    /** RFC 5798 6.4.2-3: at equal priority the higher primary address wins (compared as unsigned numbers). */
    private boolean sourceAboveOurs(VrrpAdvert advert) {
        int c = Long.compareUnsigned(advert.sourceHi, primaryHi);
        return c != 0 ? c > 0 : Long.compareUnsigned(advert.sourceLo, primaryLo) > 0;
    }

    /** Whether a closed gate holds a preemption back now (starting its bound at the first such advert). */
    private boolean holdByGate(long now) {
        if (gate.ready()) {
            gateWaitUntil = NONE;
            return false;
        }
        if (gateWaitUntil == NONE) gateWaitUntil = now + GATE_BOUND.toNanos();
        return now < gateWaitUntil;
    }

    private void masterHears(long now, VrrpAdvert advert) {
        if (advert.priority == 0) {
            send(effectivePriority);
            advertDeadline = now + advertNanos();
            return;
        }
        boolean higher = advert.priority > effectivePriority
                || (advert.priority == effectivePriority && sourceAboveOurs(advert));
        if (higher) {
            heardMaster(advert);
            if (advert.version == 3) masterAdverNanos = Math.max(1, advert.intervalCentis) * 10_000_000L;
            becomeBackup(now, advert.priority == effectivePriority
                    ? "equal priority " + advert.priority + " advert from the higher address " + master()
                    : "higher priority " + advert.priority + " advert from " + master() + " (ours "
                            + effectivePriority + ")");
        } else {
            // Two masters: the other yields on our advert (at once, or at the next interval under vrrp_strict);
            // our addresses are announced again so that whoever listened to the other one comes back (keepalived
            // issues 166 and 2649).
            if (!strict) {
                send(effectivePriority);
                advertDeadline = now + advertNanos();
            }
            effects.reannounce(this, now, "another master " + Addresses.format(advert.sourceHi, advert.sourceLo)
                    + " with priority " + advert.priority
                    + " (ours " + effectivePriority + ")");
        }
    }

    /** The tracked interfaces' and scripts' verdict: fault, and the priority they add to the configured one. */
    void track(long now, boolean faulty, int priorityDelta, String reason) {
        effectivePriority = config.priority() == 255 ? 255 : Math.clamp(config.priority() + priorityDelta, 1, 254);
        String before = trackReason;
        trackReason = reason;
        if (faulty && !fault) {
            fault = true;
            if (state == VrrpState.MASTER) send(0);
            if (state != VrrpState.INIT && state != VrrpState.STOPPED) enter(VrrpState.FAULT, now, reason);
        } else if (!faulty && fault) {
            fault = false;
            if (state == VrrpState.FAULT) {
                preemptAllowedAt = now + config.preemptDelaySeconds() * 1_000_000_000L;
                becomeBackup(now, "recovered from: " + before);
            }
        }
    }

    /**
     * A sync group moves this instance with another one: to FAULT, to MASTER (unless faulty itself), or to BACKUP
     * (a MASTER steps down; one the group held in FAULT comes back, unless faulty itself).
     */
    void follow(long now, VrrpState target, String reason) {
        if (state == target || state == VrrpState.STOPPED || state == VrrpState.INIT) return;
        switch (target) {
            case MASTER -> { if (!fault) becomeMaster(now, reason); }
            case BACKUP -> { if (!fault) becomeBackup(now, reason); }
            case FAULT -> {
                if (state == VrrpState.MASTER) send(0);
                enter(VrrpState.FAULT, now, reason);
            }
            default -> { }
        }
    }

    /** Stops: a master sends priority 0 so that a backup takes over after its skew only. */
    void stop(long now) {
        if (state == VrrpState.MASTER) send(0);
        enter(VrrpState.STOPPED, now, "stopped");
    }

    private void becomeMaster(long now, String reason) {
        preempting = false;
        masterLeft = false;
        send(effectivePriority);
        advertDeadline = now + advertNanos();
        masterDownDeadline = NONE;
        gateWaitUntil = NONE;
        masterKnown = true;
        masterHi = primaryHi;
        masterLo = primaryLo;
        enter(VrrpState.MASTER, now, reason);
    }

    private void becomeBackup(long now, String reason) {
        advertDeadline = NONE;
        masterDownDeadline = now + masterDownNanos();
        enter(VrrpState.BACKUP, now, reason);
    }

    private void enter(VrrpState next, long now, String reason) {
        VrrpState from = state;
        state = next;
        if (from == VrrpState.MASTER && next != VrrpState.MASTER && masterHi == primaryHi && masterLo == primaryLo) {
            masterKnown = false;
        }
        lastReason = reason;
        if (next != VrrpState.MASTER) advertDeadline = NONE;
        if (next != VrrpState.BACKUP) masterDownDeadline = NONE;
        if (from != next) effects.transition(this, from, next, reason, now);
    }

    private void send(int priority) {
        advertsSent++;
        effects.sendAdvert(this, priority);
    }

    private long advertNanos() { return config.advertIntervalCentis() * 10_000_000L; }

    /** Master_Down_Interval: down_timer_adverts x the master's advert interval + skew. */
    long masterDownNanos() { return config.downTimerAdverts() * masterAdverInterval() + skewNanos(); }

    private long masterAdverInterval() {
        return config.version() == 3 ? masterAdverNanos : advertNanos();
    }

    /** Skew_Time: (256 - priority) / 256 of a second (v2) or of the master's advert interval (v3). */
    long skewNanos() {
        long unit = config.version() == 3 ? masterAdverInterval() : 1_000_000_000L;
        return (256 - effectivePriority) * unit / 256;
    }
}
