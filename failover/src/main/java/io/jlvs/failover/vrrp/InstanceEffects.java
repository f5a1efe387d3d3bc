package io.jlvs.failover.vrrp;

/** What a {@link VrrpInstance} asks of the world: adverts sent and its transitions acted on. */
interface InstanceEffects {
    /** Send one advert with this priority (0: the master is leaving). */
    void sendAdvert(VrrpInstance instance, int priority);

    /** The instance moved from one state to another at {@code now}, for the reason given. */
    void transition(VrrpInstance instance, VrrpState from, VrrpState to, String reason, long now);

    /** A master heard another master of lower rank at {@code now} and stays: announce the addresses again. */
    void reannounce(VrrpInstance instance, long now, String reason);
}
