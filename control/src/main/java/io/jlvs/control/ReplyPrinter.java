package io.jlvs.control;

import io.jlvs.control.l7.L7Endpoint;
import io.jlvs.control.l7.L7Listing;
import io.jlvs.control.model.Addresses;
import io.jlvs.control.model.ConnectionRow;
import io.jlvs.control.model.IpvsSysctl;
import io.jlvs.control.model.Timeouts;

import io.jlvs.control.protocol.ControlReply;
import io.jlvs.control.protocol.ProtocolException;
import io.jlvs.control.protocol.ReplySink;
import java.io.Flushable;
import java.io.IOException;

/**
 * jlvsadm's side of the replies: prints each as ipvsadm prints it, results on out and failures on err (out is
 * flushed first so that a terminal shows them in order). Knows the exit code once the Outcome arrived.
 */
final class ReplyPrinter implements ReplySink {
    private final Appendable out;
    private final Appendable err;
    private final NameResolver resolver;
    private ConnectionListing connections;
    private boolean finished;
    private int exitCode;

    ReplyPrinter(Appendable out, Appendable err, NameResolver resolver) {
        this.out = out;
        this.err = err;
        this.resolver = resolver;
    }

    boolean finished() { return finished; }

    /** The exit code of the Outcome; valid once {@link #finished()}. */
    int exitCode() { return exitCode; }

    @Override
    public void send(ControlReply reply) throws IOException {
        switch (reply) {
            case ControlReply.Failure f -> {
                flush(out);
                err.append(f.message()).append('\n');
                flush(err);
            }
            case ControlReply.Outcome o -> {
                flush(out);
                exitCode = o.exitCode();
                finished = true;
            }
            case ControlReply.ServiceTable t -> {
                ServiceListing listing = new ServiceListing(t.format(), t.kind() == ControlReply.TableKind.RULES, resolver);
                if (t.kind() == ControlReply.TableKind.ONE) {
                    for (ControlReply.ServiceRow row : t.services()) listing.listOne(row, out);
                } else {
                    listing.listAll(t.connectionTableSize(), t.services(), out);
                }
            }
            case ControlReply.MarkRules m -> {
                for (var rule : m.rules()) out.append(rule.saveText()).append('\n');
            }
            case ControlReply.ConnectionsHeader h -> {
                connections = new ConnectionListing(out, resolver, h.numeric(), h.persistenceEngineColumns());
                connections.header();
            }
            case ControlReply.ConnectionBatch b -> {
                if (connections == null) throw new ProtocolException("connection rows arrived without a header");
                for (ConnectionRow row : b.rows()) connections.row(row);
            }
            case ControlReply.TimeoutValues v -> {
                Timeouts t = v.timeouts();
                out.append("Timeout (tcp tcpfin udp): ").append(Integer.toString(t.tcp())).append(' ')
                   .append(Integer.toString(t.tcpFin())).append(' ').append(Integer.toString(t.udp())).append('\n');
            }
            case ControlReply.SysctlValues s -> {
                for (ControlReply.SysctlValue v : s.values())
                    out.append(IpvsSysctl.PREFIX).append(v.name()).append(" = ").append(v.value()).append('\n');
            }
            case ControlReply.SyncDaemons d -> {
                // ipvsadm's print_daemon
                for (ControlReply.SyncDaemonRow row : d.daemons()) {
                    out.append(row.state()).append(" sync daemon (mcast=").append(row.multicastInterface())
                       .append(", syncid=").append(Integer.toString(row.syncId()));
                    if (row.maxLength() > 0) out.append(", maxlen=").append(Integer.toString(row.maxLength()));
                    if (!row.group().isEmpty()) out.append(", group=").append(row.group());
                    if (row.port() > 0) out.append(", port=").append(Integer.toString(row.port()));
                    if (row.ttl() > 0) out.append(", ttl=").append(Integer.toString(row.ttl()));
                    out.append(")\n");
                }
            }
            case ControlReply.Usage u -> out.append(u.versionOnly() ? UsageText.version() : UsageText.text());
            case ControlReply.Notice n -> out.append(n.message()).append('\n');
            case ControlReply.Health h -> throw new ProtocolException("a health row answers no jlvsadm command");
            case ControlReply.Vrrp v -> throw new ProtocolException("a VRRP row answers no jlvsadm command");
            case ControlReply.Bgp b -> throw new ProtocolException("a BGP row answers no jlvsadm command");
            case ControlReply.L7Table t -> {
                // tcpvsadm's listing; names as the resolver gives them unless -n
                L7Listing listing = t.numeric() ? L7Listing.numeric() : new L7Listing(this::endpointName);
                if (t.all()) out.append(L7Listing.header());
                for (ControlReply.L7ServiceRow row : t.services()) listing.listOne(row.service(), row.counters(), row.health(), t.stats(), out);
            }
        }
    }

    /** tcpvsadm's addrport_to_anyname: host name and service name, each the number when there is none. */
    private String endpointName(L7Endpoint e) {
        String port = resolver.portName(e.port(), "tcp");
        return resolver.hostName(0, Addresses.mappedLo(e.address())) + ":" + (port == null ? e.port() : port);
    }

    private static void flush(Appendable a) throws IOException {
        if (a instanceof Flushable f) f.flush();
    }
}
