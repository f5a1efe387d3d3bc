package io.jlvs.failover.vrrp;

import java.net.InetAddress;
import java.util.List;

/** The director's side of VRRP: owning, releasing and announcing an instance's addresses. */
public interface VipOwner {
    /** The instance became MASTER: answer ARP and ping for its addresses and forward to them. */
    void acquire(String instance, List<InetAddress> addresses);

    /** The instance left MASTER: be silent for its addresses and stop forwarding to them. */
    void release(String instance, List<InetAddress> addresses);

    /** One gratuitous ARP for each address, so that neighbours point them at this director now. */
    void announce(List<InetAddress> addresses);
}
