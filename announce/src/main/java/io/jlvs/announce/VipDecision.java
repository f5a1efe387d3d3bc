package io.jlvs.announce;

import io.jlvs.control.model.Addresses;

/**
 * One VIP and whether this director announces it.
 *
 * @param addrHi    the VIP's address, as in ServiceKey (IPv4 mapped)
 * @param addrLo    the low half
 * @param announced announced (true) or withdrawn
 * @param reason    why, for `jlvs status` and the log
 */
public record VipDecision(long addrHi, long addrLo, boolean announced, String reason) {
    /** The host prefix: 10.0.0.100/32 or 2001:db8::1/128. */
    public String prefix() {
        return Addresses.isV4(addrHi, addrLo) ? Addresses.format(addrHi, addrLo) + "/32"
                : Addresses.formatV6(addrHi, addrLo) + "/128";
    }

    public boolean isV4() { return Addresses.isV4(addrHi, addrLo); }
}
