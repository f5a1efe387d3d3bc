package io.jlvs.tools;

import io.jlvs.console.api.StatusJson;
import io.jlvs.control.ControlClient;
import io.jlvs.control.StatusTable;
import io.jlvs.control.model.BgpStatus;
import io.jlvs.control.model.ServiceHealth;
import io.jlvs.control.model.VrrpStatus;
import io.jlvs.control.protocol.ControlReply;
import io.jlvs.control.protocol.ControlRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** `jlvs status`: every service, its real servers and their health, as a table or as JSON. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show each VRRP instance's state and why, the BGP announcement of the VIPs, and each service, its real servers, their health "
                + "state and since when, the last check's result and reason, and the quorum state.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    ControlSocketOption socket;

    @Option(names = "--json", description = "Print JSON for scripts instead of the table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        List<ServiceHealth> services = new ArrayList<>();
        List<VrrpStatus> vrrp = new ArrayList<>();
        List<BgpStatus> bgp = new ArrayList<>();
        List<String> dataPlane = new ArrayList<>();
        int rc = ControlClient.exchange(socket.path(), new ControlRequest.Status(), reply -> {
            switch (reply) {
                case ControlReply.Health h -> services.add(h.service());
                case ControlReply.Vrrp v -> vrrp.add(v.instance());
                case ControlReply.Bgp b -> bgp.add(b.status());
                case ControlReply.Notice n -> dataPlane.add(n.message());
                case ControlReply.Failure f -> System.err.println("jlvs: " + f.message());
                default -> { }
            }
        }, System.err);
        if (rc != 0) return rc;
        long now = System.currentTimeMillis();
        if (json) {
            System.out.print(StatusJson.format(vrrp, bgp.isEmpty() ? null : bgp.getFirst(), services));
        } else {
            for (String line : dataPlane) System.out.println(line);
            String instances = StatusTable.formatVrrp(vrrp, now);
            System.out.print(instances.isEmpty() ? "" : instances + "\n");
            for (BgpStatus b : bgp) System.out.print(StatusTable.formatBgp(b) + "\n");
            System.out.print(StatusTable.format(services, now));
        }
        return 0;
    }
}
