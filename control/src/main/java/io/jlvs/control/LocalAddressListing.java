package io.jlvs.control;

import io.jlvs.control.model.IpvsConfig;
import io.jlvs.control.model.ServiceConfig;
import io.jlvs.control.model.ServiceKey;
import java.util.ArrayList;
import java.util.List;

/**
 * jlvsadm -G: the FullNAT local addresses of the services, in DPVS's ipvsadm -G layout (a service line with how
 * many it has, then one line per address); services without local addresses are left out.
 */
final class LocalAddressListing {
    private LocalAddressListing() {}

    static List<String> lines(IpvsConfig config, ServiceKey only) {
        List<String> out = new ArrayList<>();
        out.add(String.format("%-4s %-21s %-8s %s", "Prot", "VIP:VPORT", "TOTAL", "SNAT_IP"));
        for (ServiceConfig s : config.services()) {
            ServiceKey k = s.key();
            if ((only != null && !only.equals(k)) || !s.hasLocalAddresses()) continue;
            String vip = k.isFwmark() ? "FWM " + Integer.toUnsignedString(k.fwmark())
                    : StatusTable.endpoint(k.addrHi(), k.addrLo(), k.port());
            out.add(String.format("%-4s %-21s %d", k.isFwmark() ? "" : k.protocol().listName(), vip,
                    s.localAddressTexts().size()));
            for (String a : s.localAddressTexts()) out.add(String.format("%-36s %s", "", a));
        }
        return out;
    }
}
