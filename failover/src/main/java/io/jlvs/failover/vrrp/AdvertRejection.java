package io.jlvs.failover.vrrp;

/** Why a received VRRP packet was dropped; each is counted per instance (or per socket before the VRID is known). */
public enum AdvertRejection {
    TOO_SHORT("shorter than an IP header and a VRRP header"),
    NOT_VRRP("not IPv4 or IPv6 with protocol 112"),
    TTL("TTL not 255, or an IPv6 hop limit not 255 to ff02::12: sent from beyond the link (RFC 3768 7.1, RFC 5798 7.1)"),
    VERSION("VRRP version other than 2 or 3 (IPv6: 3), or than the instance's"),
    TYPE("type other than ADVERTISEMENT"),
    LENGTH("address count does not match the length"),
    CHECKSUM("bad checksum"),
    VRID("virtual router id 0 (valid ids are 1-255)"),
    AUTH("authentication type or password does not match"),
    INTERVAL("advert interval other than the instance's (version 2 requires the same)"),
    OWN("our own advert looped back");

    public final String description;

    AdvertRejection(String description) { this.description = description; }
}
