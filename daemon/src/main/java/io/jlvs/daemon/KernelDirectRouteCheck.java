package io.jlvs.daemon;

import io.jlvs.forwarder.DirectRouteCheck;
import io.jlvs.platform.net.Link;
import io.jlvs.platform.net.NextHopLookup;
import io.jlvs.platform.net.Route;

import java.io.IOException;

/** Answers {@link DirectRouteCheck} from the kernel's routing table (RTM_GETROUTE), when a DR server is added. */
final class KernelDirectRouteCheck implements DirectRouteCheck {
    private final NextHopLookup nextHops;

    KernelDirectRouteCheck(NextHopLookup nextHops) {
        this.nextHops = nextHops;
    }

    @Override
    public String problem(int addressV4) {
        String address = Link.formatIpv4(addressV4);
        try {
            Route route = nextHops.route(addressV4);
            return route.directlyConnected() ? null
                    : address + " is reached via the gateway " + Link.formatIpv4(route.gatewayV4());
        } catch (IOException e) {
            return "no usable route to " + address + " (" + e.getMessage() + ")";
        }
    }
}
