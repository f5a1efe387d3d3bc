package io.jlvs.daemon;

import io.jlvs.connections.ChangeFeed;
import io.jlvs.connections.ConnectionView;
import io.jlvs.connections.ConnectionVisitor;
import io.jlvs.connections.TcpState;
import io.jlvs.control.model.Addresses;
import io.jlvs.control.model.ForwardMethod;
import io.jlvs.failover.sync.SyncDaemon;
import io.jlvs.failover.sync.SyncEntry;
import io.jlvs.forwarder.ConnectionImport;
import io.jlvs.forwarder.DataPlane;
import io.jlvs.forwarder.FullNatRecord;
import io.jlvs.forwarder.IpvsRuntime;
import io.jlvs.forwarder.SpliceRecord;
import io.jlvs.packets.Ipv4;

import java.util.function.Consumer;

/**
 * The connection sync's view of the data plane: as master it reads the connections the workers offer
 * ({@link ChangeFeed}) and the whole table for a resync; as backup it imports what arrives
 * ({@link IpvsRuntime#importConnection}). One object per daemon. The master's drain runs on the sync daemon's
 * event loop and its resync walk on a thread of its own, possibly at the same time: each fills records of its own
 * ({@link Scratch}), so that neither sends the other's splice or local address. The backup's import runs on the
 * event loop only.
 */
final class SyncBridge implements SyncDaemon.Source, SyncDaemon.Target {
    private final ChangeFeed feed;
    private final IpvsRuntime ipvs;
    private final ConnectionView view = new ConnectionView();
    private final ConnectionImport imported = new ConnectionImport();
    private final Scratch draining = new Scratch();
    private final Scratch walking = new Scratch();

    /** What a visitor reads besides the table's view: the SYN proxy's splice and FullNAT's local address. */
    private static final class Scratch {
        final SpliceRecord splice = new SpliceRecord();
        final FullNatRecord fullNat = new FullNatRecord();
    }

    SyncBridge(ChangeFeed feed, IpvsRuntime ipvs) {
        this.feed = feed;
        this.ipvs = ipvs;
    }

    @Override
    public int drain(SyncEntry into, Consumer<SyncEntry> each, int max) {
        return feed.drain(view, visitor(draining, into, each), max, System.nanoTime());
    }

    @Override
    public void walk(SyncEntry into, Consumer<SyncEntry> each) {
        feed.walk(visitor(walking, into, each), System.nanoTime());
    }

    private ConnectionVisitor visitor(Scratch scratch, SyncEntry into, Consumer<SyncEntry> each) {
        SpliceRecord splice = scratch.splice;
        FullNatRecord fullNat = scratch.fullNat;
        return v -> {
            // A FullNAT connection carries its local address and port in jlvs's option (a backup could not forward
            // it without them; a kernel backup skips the option and reads the method as a bypass, which forwards
            // nothing wrong). One this daemon holds no record of is not sent.
            boolean fullNatFlow = DataPlane.isFullNat(v.flags());
            if (fullNatFlow && !ipvs.fullNatOf(v, fullNat)) return;
            fill(v, into);
            // A connection the SYN proxy opened carries its splice in jlvs's option (a kernel backup skips it).
            if (ipvs.spliceOf(v, splice)) SpliceOption.toWire(splice, into.splice);
            else into.splice.clear();
            if (fullNatFlow) FullNatOption.toWire(fullNat, into.fullNat);
            else into.fullNat.clear();
            each.accept(into);
        };
    }

    /** A table entry as the kernel's sync message describes it (the timeout is what is left of it). */
    static void fill(ConnectionView v, SyncEntry e) {
        e.protocol = v.protocol();
        e.ipv6 = !Addresses.isV4(v.clientHi(), v.clientLo());
        e.flags = v.flags() & SyncEntry.F_FWD_MASK;
        e.state = v.protocol() == Ipv4.PROTO_TCP ? v.state() : 0;
        // IPVS's inactive flag: every connection but an established TCP one (a backup lets an active one replace an
        // entry of the same client port bound to another server, and ignores an inactive one)
        if (v.protocol() != Ipv4.PROTO_TCP || v.state() != TcpState.ESTABLISHED) e.flags |= SyncEntry.F_INACTIVE;
        e.clientHi = v.clientHi();
        e.clientLo = v.clientLo();
        e.clientPort = v.clientPort();
        e.virtualHi = v.virtualHi();
        e.virtualLo = v.virtualLo();
        e.virtualPort = v.virtualPort();
        e.destHi = v.realHi();
        e.destLo = v.realLo();
        e.destPort = v.realPort();
        e.fwmark = v.fwmark();
        e.timeoutSeconds = (int) Math.max(1, Math.min(Integer.MAX_VALUE, v.remainingSeconds()));
    }

    @Override
    public void accept(SyncEntry e) {
        int timeout = e.timeoutSeconds > 0 ? e.timeoutSeconds
                : TcpState.defaultTimeoutSeconds(e.protocol == Ipv4.PROTO_TCP ? e.state : TcpState.ESTABLISHED);
        imported.protocol(e.protocol).client(e.clientHi, e.clientLo, e.clientPort)
                .virtual(e.virtualHi, e.virtualLo, e.virtualPort).real(e.destHi, e.destLo, e.destPort)
                .fwmark(e.fwmark).method(e.fullNat.present() ? ForwardMethod.FULLNAT : method(e.method())).state(e.protocol == Ipv4.PROTO_TCP ? e.state : 0)
                .timeoutSeconds(timeout).template(e.template())
                .inactive((e.flags & SyncEntry.F_INACTIVE) != 0);
        if (e.splice.present()) SpliceOption.fromWire(e.splice, imported.splice());
        else imported.splice().clear();
        if (e.fullNat.present()) FullNatOption.fromWire(e.fullNat, imported.fullNat());
        else imported.fullNat().clear();
        ipvs.importConnection(imported, System.nanoTime());
    }

    private static ForwardMethod method(int wire) {
        return switch (wire) {
            case SyncEntry.F_LOCALNODE -> ForwardMethod.LOCAL;
            case SyncEntry.F_TUNNEL -> ForwardMethod.TUNNEL;
            case SyncEntry.F_DROUTE -> ForwardMethod.ROUTE;
            default -> ForwardMethod.MASQ;
        };
    }
}
