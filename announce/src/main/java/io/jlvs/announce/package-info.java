/**
 * Announcing this director's VIPs by BGP through an existing routing daemon (BIRD 2): which VIPs to announce
 * ({@link io.jlvs.announce.AnnouncePolicy}), the include file jlvs owns ({@link io.jlvs.announce.BirdInclude}),
 * the daemon's control ({@link io.jlvs.announce.BirdControl}), the link whose life is the daemon's
 * ({@link io.jlvs.announce.LivenessLink}), and the announcer that ties them ({@link io.jlvs.announce.VipAnnouncer}).
 */
package io.jlvs.announce;
